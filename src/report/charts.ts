/**
 * The report's charts: Vega-Lite specs compiled to Vega and rendered to SVG in Node at build
 * time (no browser, no script in the page).
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Count, ReportData } from "./data.ts";

/** One chart of the report: a title, and its SVG (absent when there is nothing to draw). */
export interface Chart {
  id: string;
  title: string;
  svg?: string;
  /** Shown under the chart, or instead of it when there is no data. */
  note?: string;
}

const WIDTH = 520;

type VegaLiteLogger = NonNullable<NonNullable<Parameters<typeof compile>[1]>["logger"]>;

/** Vega-Lite warns on the console by default; src/ writes nothing there. */
function quietLogger(): VegaLiteLogger {
  let current = 0;
  const log = {
    level(to?: number) {
      if (to === undefined) return current;
      current = to;
      return log;
    },
    error: () => log,
    warn: () => log,
    info: () => log,
    debug: () => log,
  };
  return log as unknown as VegaLiteLogger;
}

async function render(spec: TopLevelSpec): Promise<string> {
  const { spec: vega } = compile(spec, { logger: quietLogger() });
  const view = new View(parse(vega), { renderer: "none", logLevel: 0 });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

function bars(values: Count[], label: string, color = "#2f6f9f"): TopLevelSpec {
  return {
    width: WIDTH,
    data: { values },
    mark: { type: "bar", color },
    encoding: {
      y: { field: "label", type: "nominal", sort: "-x", title: label },
      x: { field: "n", type: "quantitative", title: "count" },
    },
  };
}

/** Renders every chart of the report; a chart without data gets a note instead. */
export async function renderCharts(data: ReportData): Promise<Chart[]> {
  const none = data.hasEvents
    ? "Nothing recorded in this period."
    : "Not recorded yet: this bot version records no events (see the README's weekly loop).";
  const out: Chart[] = [];
  const add = async (
    id: string,
    title: string,
    has: boolean,
    spec: () => TopLevelSpec,
    note?: string,
  ) => {
    out.push(
      has
        ? { id, title, svg: await render(spec()), ...(note ? { note } : {}) }
        : { id, title, note: none },
    );
  };
  await add("weekly", "Questions per week", data.weekly.length > 0, () => ({
    width: WIDTH,
    data: { values: data.weekly },
    mark: "bar",
    encoding: {
      x: { field: "week", type: "ordinal", title: "week starting" },
      y: { field: "n", type: "quantitative", title: "questions", stack: "zero" },
      color: {
        field: "kind",
        type: "nominal",
        title: null,
        scale: { domain: ["answered", "unanswered"], range: ["#2f8f5f", "#d08a2a"] },
      },
    },
  }));
  await add(
    "entries",
    "Most asked entries and their helpful rate",
    data.entries.length > 0,
    () => ({
      width: WIDTH,
      data: {
        values: data.entries.map((e) => ({
          ...e,
          rate:
            e.helpfulRate === null ? "not rated" : `${Math.round(e.helpfulRate * 100)}% helpful`,
        })),
      },
      layer: [
        { mark: { type: "bar", color: "#2f6f9f" } },
        { mark: { type: "text", align: "left", dx: 4 }, encoding: { text: { field: "rate" } } },
      ],
      encoding: {
        y: { field: "faqId", type: "nominal", sort: "-x", title: "entry" },
        x: { field: "asked", type: "quantitative", title: "times answered" },
      },
    }),
    "Helpful rates count every rating ever given.",
  );
  await add("clusters", "Unanswered questions, grouped", data.clusters.length > 0, () =>
    bars(
      data.clusters.map((c, i) => ({ label: `#${i + 1}`, n: c.count })),
      "group",
      "#d08a2a",
    ),
  );
  await add("levels", "Knee checks by outcome level", data.checksByLevel.length > 0, () =>
    bars(data.checksByLevel, "level"),
  );
  await add(
    "conditions",
    "Knee checks by likely condition",
    data.checksByCondition.length > 0,
    () => bars(data.checksByCondition, "condition"),
  );
  await add("checkins", "Check-in results", data.checkins.length > 0, () =>
    bars(data.checkins, "result", "#2f8f5f"),
  );
  await add("platforms", "Platforms used", data.platforms.length > 0, () =>
    bars(data.platforms, "platform"),
  );
  return out;
}

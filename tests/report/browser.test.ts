/**
 * The report in a real browser: Debian's Chromium (headless, driven by playwright-core with the
 * system executable and a fresh profile; nothing downloaded) opens a report built from a fixture store and checks
 * that every chart drew marks, and that no user id and no group under 3 questions shows. The
 * screenshot stays under report/ (a CI artifact, gitignored).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, it } from "vitest";
import { renderCharts } from "../../src/report/charts.ts";
import { gatherReport } from "../../src/report/data.ts";
import { reportHtml } from "../../src/report/html.ts";
import { createMemoryInsightStore } from "../../src/store/memory.ts";
import { words } from "../../src/text/tokens.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import { FIXTURE_SINGLES, FIXTURE_TOPICS, fillStore } from "../review/fixture.ts";
import { fillEvents } from "./fixture-events.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI === "true") {
  throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium package`);
}
const OUT = resolve(import.meta.dirname, "../../report");

async function buildFixtureReport(): Promise<string> {
  const store = createMemoryInsightStore();
  const now = Date.now();
  await fillStore(store, now);
  await fillEvents(store, now);
  const stopwords = new Set(shippedKnowledge().lexicon.stopwords.flatMap((w) => words(w)));
  const data = await gatherReport(store, { from: now - 30 * 86_400_000, to: now, stopwords });
  return reportHtml(data, await renderCharts(data));
}

describe.skipIf(!hasChromium)(
  `the report in headless Chromium${hasChromium ? "" : ` (skipped: no ${CHROMIUM}; apt-get install chromium)`}`,
  () => {
    it("draws every chart and shows no user id and no group under 3", async () => {
      const html = await buildFixtureReport();
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, "fixture-report.html");
      writeFileSync(file, html);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        const requests: string[] = [];
        page.on("request", (r) => {
          if (!r.url().startsWith("file:")) requests.push(r.url());
        });
        await page.goto(pathToFileURL(file).href);
        const charts = await page.$$eval("figure.chart", (figs) =>
          figs.map((f) => ({
            id: f.getAttribute("data-chart"),
            marks: f.querySelectorAll("g.role-mark > path, g.role-mark > g, g.role-mark > text")
              .length,
            width: f.querySelector("svg")?.getBoundingClientRect().width ?? 0,
          })),
        );
        expect(charts.map((c) => c.id)).toEqual([
          "weekly",
          "entries",
          "clusters",
          "levels",
          "conditions",
          "checkins",
          "platforms",
        ]);
        for (const c of charts) {
          expect(c.marks, `${c.id} has marks`).toBeGreaterThan(0);
          expect(c.width, `${c.id} is drawn`).toBeGreaterThan(100);
        }
        const text = await page.evaluate(() => document.body.textContent ?? "");
        expect(text).toContain(FIXTURE_TOPICS.epsom[0]);
        for (const hidden of [...FIXTURE_SINGLES, ...FIXTURE_TOPICS.sauna])
          expect(text).not.toContain(hidden);
        expect(text).toMatch(/fewer than 3 questions/);
        // No platform user ids (Discord snowflakes, Slack U…/W… ids) anywhere in the page.
        expect(html).not.toMatch(/\b\d{17,20}\b|\b[UW][A-Z0-9]{8,}\b/);
        expect(requests).toEqual([]);
        await page.screenshot({ path: join(OUT, "screenshot.png"), fullPage: true });
      } finally {
        await browser.close();
      }
    }, 120_000);
  },
);

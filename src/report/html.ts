/** The report as one self-contained HTML page: inline CSS and SVG, no script, no network. */
import type { Chart } from "./charts.ts";
import { MIN_SHOWN_CLUSTER, type ReportData } from "./data.ts";

function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

const CSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.6rem}section{margin:2rem 0}figure{margin:0}.note{color:#555;font-size:.9rem}
ol.clusters li{margin:.5rem 0}ol.clusters q{display:block;color:#444}`;

/** Builds the page from the gathered numbers and the rendered charts. */
export function reportHtml(data: ReportData, charts: readonly Chart[]): string {
  const sections = charts.map((c) => {
    const body = [
      c.svg ? `<figure class="chart" data-chart="${c.id}">${c.svg}</figure>` : "",
      c.note ? `<p class="note">${esc(c.note)}</p>` : "",
    ];
    if (c.id === "clusters") {
      body.push(
        `<ol class="clusters">${data.clusters
          .map(
            (k) =>
              `<li>${k.count} questions${k.examples.map((e) => `<q>${esc(e)}</q>`).join("")}</li>`,
          )
          .join("")}</ol>`,
        `<p class="note">${
          data.smallClusters > 0
            ? `${data.smallClusters} other group(s) with fewer than ${MIN_SHOWN_CLUSTER} questions each are not shown.`
            : `Every group has ${MIN_SHOWN_CLUSTER} or more questions.`
        } Run <code>npm run kb -- review</code> to act on them.</p>`,
      );
    }
    return `<section id="${c.id}"><h2>${esc(c.title)}</h2>${body.join("")}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>kneebot report ${day(data.from)} to ${day(data.to)}</title><style>${CSS}</style></head>
<body><h1>kneebot: ${day(data.from)} to ${day(data.to)}</h1>
<p class="note">Aggregates only: no user ids, and no message text except unanswered questions asked ${MIN_SHOWN_CLUSTER} or more times in similar words.</p>
${sections.join("\n")}
</body></html>
`;
}

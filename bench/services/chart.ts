/**
 * bench/results/services.svg: two panels on logarithmic axes. Rates: one bar per operation
 * (median items/s, whisker over rounds) coloured by service, the baseline append in grey.
 * Latencies: the p50 of each timed operation as a bar and its p99 as a whisker.
 */
import { machineLine } from "../shared/machine";
import { type ServiceSummary, type ServicesResult, formatMs } from "./report";
import type { Service } from "./workload";

const COLORS: Record<Service, string> = {
  baseline: "#8c8c8c",
  "event sourcing": "#2f6fb0",
  "key-value": "#3a9a5b",
  scheduling: "#c7772b",
  search: "#8a5cb8",
};

const W = 1100;
const LEFT = 510;
const RIGHT = 180;
const BAR = 20;
const GAP = 10;
const PANEL_GAP = 70;

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const int = (n: number) => Math.round(n).toLocaleString("en-US");

interface Bar {
  label: string;
  color: string;
  value: number;
  low: number;
  high: number;
  text: string;
}

/** One panel: bars from the axis to `value`, whiskers `low`–`high`, decades from `lo` to `hi`. */
function panel(out: string[], top: number, title: string, axis: string, bars: Bar[]): number {
  const lo = 10 ** Math.floor(Math.log10(Math.min(...bars.map((b) => Math.min(b.low, b.value)))));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...bars.map((b) => b.high))));
  const plotW = W - LEFT - RIGHT;
  const plotH = bars.length * (BAR + GAP) + GAP;
  const x = (v: number) => LEFT + (Math.log10(v / lo) / Math.log10(hi / lo)) * plotW;
  const plotTop = top + 24;
  out.push(`<text x="${LEFT}" y="${top + 12}" font-weight="600">${escape(title)}</text>`);
  for (let d = lo; d <= hi; d *= 10) {
    out.push(`<line x1="${x(d)}" y1="${plotTop}" x2="${x(d)}" y2="${plotTop + plotH}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${x(d)}" y="${plotTop + plotH + 16}" text-anchor="middle" fill="#444">${int(d)}</text>`);
  }
  bars.forEach((b, i) => {
    const y = plotTop + GAP + i * (BAR + GAP);
    const mid = y + BAR / 2;
    out.push(`<text x="${LEFT - 8}" y="${mid + 4}" text-anchor="end">${escape(b.label)}</text>`);
    out.push(`<rect x="${LEFT}" y="${y}" width="${x(b.value) - LEFT}" height="${BAR}" fill="${b.color}"/>`);
    out.push(`<path d="M${x(b.low)} ${mid}H${x(b.high)}M${x(b.low)} ${mid - 5}V${mid + 5}M${x(b.high)} ${mid - 5}V${mid + 5}" stroke="#222" stroke-width="1.2" fill="none"/>`);
    out.push(`<text x="${Math.max(x(b.high), x(b.value)) + 8}" y="${mid + 4}" fill="#222">${escape(b.text)}</text>`);
  });
  out.push(`<line x1="${LEFT}" y1="${plotTop}" x2="${LEFT}" y2="${plotTop + plotH}" stroke="#222"/>`);
  out.push(`<line x1="${LEFT}" y1="${plotTop + plotH}" x2="${LEFT + plotW}" y2="${plotTop + plotH}" stroke="#222"/>`);
  out.push(`<text x="${LEFT + plotW / 2}" y="${plotTop + plotH + 36}" text-anchor="middle" fill="#444">${escape(axis)}</text>`);
  return plotTop + plotH + 36;
}

const rateBar = (s: ServiceSummary): Bar => ({
  label: s.label, color: COLORS[s.service], value: s.rate, low: s.min, high: s.max, text: `${int(s.rate)} ${s.unit}`,
});

const latencyBar = (s: ServiceSummary): Bar => ({
  label: s.label, color: COLORS[s.service], value: s.p50Ms!, low: s.p50Ms!, high: s.p99Ms!, text: `${formatMs(s.p50Ms!)} / ${formatMs(s.p99Ms!)} ms`,
});

export function servicesChart(r: ServicesResult): string {
  const body: string[] = [];
  const rates = r.workloads.filter((s) => s.vsBaseline !== null).map(rateBar);
  const latencies = r.workloads.filter((s) => s.p50Ms !== null).map(latencyBar);
  let y = panel(body, 84, "Throughput, pipelined (median; whisker: slowest to fastest round)", "items per second, log scale", rates);
  y = panel(body, y + PANEL_GAP - 40, "Latency, one request or load at a time (bar: p50; whisker to p99)", "milliseconds, log scale", latencies);
  const H = y + 24;
  const legendWidth = (service: string) => 18 + service.length * 7.5 + 24;
  let lx = (W - Object.keys(COLORS).map(legendWidth).reduce((a, b) => a + b, 0)) / 2;
  const legend: string[] = [];
  for (const [service, color] of Object.entries(COLORS)) {
    legend.push(`<rect x="${lx}" y="58" width="12" height="12" fill="${color}"/><text x="${lx + 18}" y="69">${service}</text>`);
    lx += legendWidth(service);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="17" font-weight="600">Service endpoints, ${escape(r.date.slice(0, 10))}, ${escape(machineLine(r.machine))}</text>`,
    `<text x="${W / 2}" y="44" text-anchor="middle" fill="#555">median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}; load average ${r.machine.loadAtStart[0]} at start</text>`,
    ...legend,
    ...body,
    "</svg>",
  ].join("\n") + "\n";
}

/**
 * Hand-written SVG bar charts: one horizontal bar per row (a median) with a whisker for the spread
 * over rounds, a labelled linear axis and a legend. `appendChart` draws bench/results/append.svg.
 */
import { machineLine } from "./machine";
import type { BenchResult } from "../append/report";
import type { Kind } from "../append/workloads";

const COLORS: Record<Kind, string> = { protocol: "#2f6fb0", http: "#8a5cb8", ceiling: "#8c8c8c" };
const LEGEND: Record<Kind, string> = { protocol: "Flux protocol (WebSocket)", http: "HTTP API", ceiling: "raw SQLite ceiling" };

const W = 920;
const LEFT = 270;
const RIGHT = 150;
const TOP = 84;
const BAR = 26;
const GAP = 16;
const BOTTOM = 76;

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** The smallest round axis end at or above `n` whose fifths are round too. */
function niceCeiling(n: number): number {
  const p = 10 ** Math.floor(Math.log10(n));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((f) => f * p).find((v) => v >= n)!;
}

/** A horizontal bar: the median, with a whisker from `min` to `max`. */
export interface Bar {
  label: string;
  median: number;
  min: number;
  max: number;
  color: string;
}

/** What {@link barChart} draws. */
export interface BarChartSpec {
  title: string;
  subtitle: string;
  legend: { label: string; color: string }[];
  bars: Bar[];
  /** The value axis title, e.g. "messages per second (median)". */
  axis: string;
  /** The category axis title, e.g. "workload". */
  categories: string;
  /** Appended to each bar's value, e.g. "msg/s". */
  unit: string;
}

/** One horizontal bar per row with whiskers, a labelled linear axis starting at zero, and a legend. */
export function barChart(spec: BarChartSpec): string {
  const rows = spec.bars;
  const plotW = W - LEFT - RIGHT;
  const plotH = rows.length * (BAR + GAP) + GAP;
  const H = TOP + plotH + BOTTOM;
  const max = niceCeiling(Math.max(...rows.map((s) => Math.max(s.max, s.median))));
  const x = (v: number) => LEFT + (v / max) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="17" font-weight="600">${escape(spec.title)}</text>`,
    `<text x="${W / 2}" y="48" text-anchor="middle" fill="#555">${escape(spec.subtitle)}</text>`,
  ];
  let lx = LEFT;
  for (const { label, color } of spec.legend) {
    out.push(`<rect x="${lx}" y="60" width="12" height="12" fill="${color}"/><text x="${lx + 18}" y="71">${escape(label)}</text>`);
    lx += 18 + label.length * 7.5 + 28;
  }
  for (let t = 0; t <= 5; t++) {
    const v = (max / 5) * t;
    const tx = x(v);
    out.push(`<line x1="${tx}" y1="${TOP}" x2="${tx}" y2="${TOP + plotH}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${tx}" y="${TOP + plotH + 18}" text-anchor="middle" fill="#444">${int(v)}</text>`);
  }
  rows.forEach((s, i) => {
    const y = TOP + GAP + i * (BAR + GAP);
    const mid = y + BAR / 2;
    out.push(`<text x="${LEFT - 10}" y="${mid + 4}" text-anchor="end">${escape(s.label)}</text>`);
    out.push(`<rect x="${LEFT}" y="${y}" width="${x(s.median) - LEFT}" height="${BAR}" fill="${s.color}"/>`);
    out.push(
      `<path d="M${x(s.min)} ${mid}H${x(s.max)}M${x(s.min)} ${mid - 6}V${mid + 6}M${x(s.max)} ${mid - 6}V${mid + 6}" stroke="#222" stroke-width="1.2" fill="none"/>`,
    );
    out.push(`<text x="${Math.max(x(s.max), x(s.median)) + 8}" y="${mid + 4}" fill="#222">${int(s.median)} ${escape(spec.unit)}</text>`);
  });
  out.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" stroke="#222"/>`);
  out.push(`<line x1="${LEFT}" y1="${TOP + plotH}" x2="${LEFT + plotW}" y2="${TOP + plotH}" stroke="#222"/>`);
  out.push(`<text x="${LEFT + plotW / 2}" y="${TOP + plotH + 44}" text-anchor="middle" font-weight="600">${escape(spec.axis)}</text>`);
  out.push(`<text transform="translate(18 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle" font-weight="600">${escape(spec.categories)}</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

/** bench/results/append.svg. */
export function appendChart(r: BenchResult): string {
  const kinds = [...new Set(r.workloads.map((s) => s.kind))];
  return barChart({
    title: `Append throughput, ${r.date.slice(0, 10)}, ${machineLine(r.machine)}`,
    subtitle: `median of ${r.rounds} rounds, 200-byte messages; whiskers: slowest to fastest round; load average ${r.machine.loadAtStart[0]} at start`,
    legend: kinds.map((k) => ({ label: LEGEND[k], color: COLORS[k] })),
    bars: r.workloads.map((s) => ({ label: s.label, median: s.median, min: s.min, max: s.max, color: COLORS[s.kind] })),
    axis: "messages per second (median)",
    categories: "workload",
    unit: "msg/s",
  });
}

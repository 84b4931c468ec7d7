/**
 * bench/results/append.svg: one horizontal bar per workload (median msg/s) with a whisker for the
 * spread over rounds, a labelled linear axis, and the date and machine in the title.
 */
import { machineLine } from "./machine";
import type { BenchResult } from "./report";
import type { Kind } from "./workloads";

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

export function appendChart(r: BenchResult): string {
  const rows = r.workloads;
  const plotW = W - LEFT - RIGHT;
  const plotH = rows.length * (BAR + GAP) + GAP;
  const H = TOP + plotH + BOTTOM;
  const max = niceCeiling(Math.max(...rows.map((s) => s.max)));
  const x = (v: number) => LEFT + (v / max) * plotW;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="17" font-weight="600">Append throughput, ${escape(r.date.slice(0, 10))}, ${escape(machineLine(r.machine))}</text>`,
    `<text x="${W / 2}" y="48" text-anchor="middle" fill="#555">median of ${r.rounds} rounds, 200-byte messages; whiskers: slowest to fastest round; load average ${r.machine.loadAtStart[0]} at start</text>`,
  ];
  let lx = LEFT;
  for (const k of new Set(rows.map((s) => s.kind))) {
    out.push(`<rect x="${lx}" y="60" width="12" height="12" fill="${COLORS[k]}"/><text x="${lx + 18}" y="71">${LEGEND[k]}</text>`);
    lx += 18 + LEGEND[k].length * 7.5 + 28;
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
    out.push(`<rect x="${LEFT}" y="${y}" width="${x(s.median) - LEFT}" height="${BAR}" fill="${COLORS[s.kind]}"/>`);
    out.push(
      `<path d="M${x(s.min)} ${mid}H${x(s.max)}M${x(s.min)} ${mid - 6}V${mid + 6}M${x(s.max)} ${mid - 6}V${mid + 6}" stroke="#222" stroke-width="1.2" fill="none"/>`,
    );
    out.push(`<text x="${Math.max(x(s.max), x(s.median)) + 8}" y="${mid + 4}" fill="#222">${int(s.median)} msg/s</text>`);
  });
  out.push(`<line x1="${LEFT}" y1="${TOP}" x2="${LEFT}" y2="${TOP + plotH}" stroke="#222"/>`);
  out.push(`<line x1="${LEFT}" y1="${TOP + plotH}" x2="${LEFT + plotW}" y2="${TOP + plotH}" stroke="#222"/>`);
  out.push(`<text x="${LEFT + plotW / 2}" y="${TOP + plotH + 44}" text-anchor="middle" font-weight="600">messages per second (median)</text>`);
  out.push(`<text transform="translate(18 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle" font-weight="600">workload</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}

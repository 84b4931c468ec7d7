/**
 * bench/results/peers.svg: one panel per workload (two columns), a bar per system in its own
 * colour with a whisker from the slowest to the fastest round, each panel on its own linear scale
 * from zero (units differ), the median written after the bar.
 */
import { machineLine } from "../shared/machine";
import { type PeerResult, SYSTEMS, formatValue } from "./report";
import type { SystemId } from "./system";

const COLORS: Record<SystemId, string> = { hub: "#2f6fb0", nats: "#3a9a5b", redis: "#c8553d" };

const W = 1000;
const COLS = 2;
const TOP = 92;
const PANEL_W = 470;
const PANEL_H = 118;
const BAR = 20;
const GAP = 6;
const BAR_MAX = 320;

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function peersChart(r: PeerResult): string {
  const rows = Math.ceil(r.metrics.length / COLS);
  const H = TOP + rows * PANEL_H + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="26" text-anchor="middle" font-size="17" font-weight="600">Flux hub beside NATS JetStream and Redis Streams, ${escape(r.date.slice(0, 10))}, ${escape(machineLine(r.machine))}</text>`,
    `<text x="${W / 2}" y="48" text-anchor="middle" fill="#555">median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}; whiskers: slowest to fastest round; every panel has its own scale from zero; load average ${r.machine.loadAtStart[0]} at start</text>`,
  ];
  let lx = W / 2 - 220;
  for (const s of SYSTEMS) {
    out.push(`<rect x="${lx}" y="62" width="12" height="12" fill="${COLORS[s.id]}"/><text x="${lx + 18}" y="73">${escape(s.label)}</text>`);
    lx += 160;
  }
  r.metrics.forEach((m, i) => {
    const x0 = 20 + (i % COLS) * (PANEL_W + 20);
    const y0 = TOP + Math.floor(i / COLS) * PANEL_H;
    const max = Math.max(...SYSTEMS.flatMap((s) => m.systems[s.id].runs));
    const x = (v: number) => x0 + (max > 0 ? (v / max) * BAR_MAX : 0);
    out.push(`<text x="${x0}" y="${y0 + 14}" font-weight="600">${escape(m.label)}</text>`);
    out.push(`<text x="${x0 + PANEL_W}" y="${y0 + 14}" text-anchor="end" fill="#555">${escape(m.unit)}, ${m.better} is better</text>`);
    SYSTEMS.forEach((s, k) => {
      const v = m.systems[s.id];
      const y = y0 + 24 + k * (BAR + GAP);
      const mid = y + BAR / 2;
      const lo = x(Math.min(...v.runs));
      const hi = x(Math.max(...v.runs));
      out.push(`<rect x="${x0}" y="${y}" width="${x(v.median) - x0}" height="${BAR}" fill="${COLORS[s.id]}"/>`);
      out.push(`<path d="M${lo} ${mid}H${hi}M${lo} ${mid - 5}V${mid + 5}M${hi} ${mid - 5}V${mid + 5}" stroke="#222" stroke-width="1.1" fill="none"/>`);
      out.push(`<text x="${Math.max(hi, x(v.median)) + 8}" y="${mid + 4}">${formatValue(v.median, m.unit)}</text>`);
    });
    out.push(`<line x1="${x0}" y1="${y0 + 20}" x2="${x0}" y2="${y0 + 24 + 3 * (BAR + GAP)}" stroke="#222"/>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}

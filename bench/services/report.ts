/**
 * The services suite's figures: per workload the median rate over rounds, the median of its ratio
 * to the baseline append measured in the same round, and latency percentiles pooled over all
 * recorded rounds; setup figures measured once, against the baseline's median. Written as a
 * Markdown table and report (bench/results/services.md).
 */
import type { Machine } from "../shared/machine";
import { median } from "../append/report";
import type { OneOff, Sample, Service, ServiceWorkload } from "./workload";

/** One operation's figures. */
export interface ServiceSummary {
  id: string;
  label: string;
  service: Service;
  unit: string;
  items: number;
  /** The rate of each recorded round (or, for a figure measured once, of each part). */
  runs: number[];
  rate: number;
  min: number;
  max: number;
  /** Median over rounds of rate ÷ baseline rate (once: ÷ the baseline's median); null where the rate counts other work. */
  vsBaseline: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

/** Everything a run produced (bench/results/services.json). */
export interface ServicesResult {
  date: string;
  quick: boolean;
  rounds: number;
  seconds: number;
  settings: Record<string, number>;
  machine: Machine;
  /** What each figure measured once covered, by id. */
  once: Record<string, string>;
  workloads: ServiceSummary[];
}

export const BASELINE = "baseline";

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(p * s.length) - 1)];
}

const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;

/** `samples[id][round]` is a workload's sample in that recorded round; each one-off comes first in its service. */
export function summariseServices(workloads: ServiceWorkload[], samples: Map<string, Sample[]>, once: OneOff[]): ServiceSummary[] {
  const baseline = samples.get(BASELINE)!.map((s) => s.rate);
  const rows = workloads.map((w): ServiceSummary => {
    const runs = samples.get(w.id)!.map((s) => s.rate);
    const latencies = samples.get(w.id)!.flatMap((s) => s.latenciesMs ?? []);
    return {
      id: w.id,
      label: w.label,
      service: w.service,
      unit: w.unit,
      items: w.items,
      runs: runs.map((r) => round(r, 1)),
      rate: round(median(runs), 1),
      min: round(Math.min(...runs), 1),
      max: round(Math.max(...runs), 1),
      vsBaseline: w.comparable ? round(median(runs.map((r, i) => r / baseline[i])), 3) : null,
      p50Ms: latencies.length ? round(percentile(latencies, 0.5), 1) : null,
      p99Ms: latencies.length ? round(percentile(latencies, 0.99), 1) : null,
    };
  });
  for (const o of once) {
    const rate = o.items / o.seconds;
    rows.splice(rows.findIndex((r) => r.service === o.service), 0, {
      id: o.id,
      label: o.label,
      service: o.service,
      unit: o.unit,
      items: o.items,
      runs: o.parts.map((r) => round(r, 1)),
      rate: round(rate, 1),
      min: round(Math.min(...o.parts), 1),
      max: round(Math.max(...o.parts), 1),
      vsBaseline: round(rate / median(baseline), 3),
      p50Ms: null,
      p99Ms: null,
    });
  }
  return rows;
}

const int = (n: number) => Math.round(n).toLocaleString("en-US");
/** Milliseconds for tables and charts: whole above 100, one decimal below. */
export const formatMs = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));

function ratio(r: number | null): string {
  if (r === null) return "–";
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 1 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** The results table in Markdown. */
export function servicesTable(rows: ServiceSummary[]): string {
  const lines = [
    "| Service | Operation | Rate (median) | Latency p50 / p99 | vs baseline | min–max rate |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const s of rows) {
    const latency = s.p50Ms === null ? "–" : `${formatMs(s.p50Ms)} / ${formatMs(s.p99Ms!)} ms`;
    lines.push(`| ${s.service} | ${s.label} | ${int(s.rate)} ${s.unit} | ${latency} | ${ratio(s.vsBaseline)} | ${int(s.min)}–${int(s.max)} |`);
  }
  return lines.join("\n");
}

/** bench/results/services.md: when, on what, with which settings, the table and the chart. */
export function servicesReport(r: ServicesResult): string {
  const m = r.machine;
  return [
    `# Service endpoints, ${r.date.slice(0, 10)}`,
    "",
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, Miniflare ${m.miniflare}.`,
    `Load average (1/5/15 min): ${m.loadAtStart.join(" / ")} at start, ${m.loadAtEnd.join(" / ")} at end.`,
    `Median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}, workloads alternating within each round; ${r.seconds} s in all.`,
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    `Measured once during setup: ${Object.values(r.once).join("; ")}.`,
    "",
    servicesTable(r.workloads),
    "",
    "![Service endpoints](services.svg)",
    "",
  ].join("\n");
}

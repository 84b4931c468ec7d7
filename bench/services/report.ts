/**
 * The services suite's figures: per workload the median rate over rounds, the median of its ratio
 * to the baseline append measured in the same round, and latency percentiles pooled over all
 * recorded rounds; setup figures measured once, against the baseline's median. Written as a
 * Markdown table, bench/results/services.md and services.svg (two panels on logarithmic axes:
 * rates by service with the baseline append in grey; p50 latencies with whiskers to p99).
 */
import { type Bar, barChart } from "../shared/chart";
import { machineLine } from "../shared/machine";
import { type SuiteHead, int, markdownReport, ms, ratio, roundsLine, settingsLine } from "../shared/report";
import { median, percentile, round } from "../shared/stats";
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

/** What the suite measured (bench/results/services.json, after the {@link SuiteHead}). */
export interface ServicesFigures {
  rounds: number;
  settings: Record<string, number>;
  /** What each figure measured once covered, by id. */
  once: Record<string, string>;
  workloads: ServiceSummary[];
}

export type ServicesResult = SuiteHead & ServicesFigures;

export const BASELINE = "baseline";

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
      p50Ms: latencies.length ? round(percentile(latencies, 50), 1) : null,
      p99Ms: latencies.length ? round(percentile(latencies, 99), 1) : null,
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

/** The results table in Markdown. */
export function servicesTable(rows: ServiceSummary[]): string {
  const lines = [
    "| Service | Operation | Rate (median) | Latency p50 / p99 | vs baseline | min–max rate |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const s of rows) {
    const latency = s.p50Ms === null ? "–" : `${ms(s.p50Ms)} / ${ms(s.p99Ms!)} ms`;
    lines.push(`| ${s.service} | ${s.label} | ${int(s.rate)} ${s.unit} | ${latency} | ${ratio(s.vsBaseline)} | ${int(s.min)}–${int(s.max)} |`);
  }
  return lines.join("\n");
}

/** bench/results/services.md: when, on what, with which settings, the table and the chart. */
export function servicesReport(r: ServicesResult): string {
  return markdownReport(r, {
    title: "Service endpoints",
    rounds: roundsLine(r, r.rounds),
    lines: [settingsLine(r.settings), `Measured once during setup: ${Object.values(r.once).join("; ")}.`],
    tables: [servicesTable(r.workloads)],
    chart: { file: "services.svg", alt: "Service endpoints" },
  });
}

const COLORS: Record<Service, string> = {
  baseline: "#8c8c8c",
  "event sourcing": "#2f6fb0",
  "key-value": "#3a9a5b",
  scheduling: "#c7772b",
  search: "#8a5cb8",
};

const rateBar = (s: ServiceSummary): Bar => ({ label: s.label, color: COLORS[s.service], value: s.rate, low: s.min, high: s.max, text: `${int(s.rate)} ${s.unit}` });

const latencyBar = (s: ServiceSummary): Bar => ({ label: s.label, color: COLORS[s.service], value: s.p50Ms!, low: s.p50Ms!, high: s.p99Ms!, text: `${ms(s.p50Ms!)} / ${ms(s.p99Ms!)} ms` });

/** bench/results/services.svg. */
export function servicesChart(r: ServicesResult): string {
  return barChart({
    title: `Service endpoints, ${r.date.slice(0, 10)}, ${machineLine(r.machine)}`,
    subtitle: `median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}; load average ${r.machine.loadAtStart[0]} at start`,
    legend: Object.entries(COLORS).map(([label, color]) => ({ label, color })),
    panels: [
      { title: "Throughput, pipelined (median; whisker: slowest to fastest round)", axis: "items per second, log scale", log: true, bars: r.workloads.filter((s) => s.vsBaseline !== null).map(rateBar) },
      { title: "Latency, one request or load at a time (bar: p50; whisker to p99)", axis: "milliseconds, log scale", log: true, bars: r.workloads.filter((s) => s.p50Ms !== null).map(latencyBar) },
    ],
  });
}

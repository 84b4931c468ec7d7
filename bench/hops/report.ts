/**
 * The hops suite's figures and report: one row per probe (p50, p99, min), the per-hop differences
 * of their medians, bench/results/hops.md and hops.svg.
 */
import { barChart } from "../shared/chart";
import { type SuiteHead, markdownReport } from "../shared/report";

/** One probe's round trips (ms). */
export interface HopRow {
  hop: string;
  what: string;
  p50: number;
  p99: number;
  min: number;
}

/** What the suite measured (bench/results/hops.json, after the {@link SuiteHead}). */
export interface HopsFigures {
  rounds: number;
  roundTripsPerProbe: number;
  rows: HopRow[];
  /** Differences of medians: what one hop adds. */
  derived: { consumerHop: number; partitionAndCommit: number };
}

export type HopsResult = SuiteHead & HopsFigures;

/** The probes table and what follows from it. */
export function hopsTable(r: HopsResult): string {
  return [
    "| Probe | p50 ms | p99 ms | min ms |",
    "|---|---:|---:|---:|",
    ...r.rows.map((row) => `| ${row.what} | ${row.p50} | ${row.p99} | ${row.min} |`),
    "",
    `Derived (differences of medians): one Consumer hop ${r.derived.consumerHop} ms; a partition hop with its commit ${r.derived.partitionAndCommit} ms. The push probe is one way (publish sent → batch received).`,
  ].join("\n");
}

/** bench/results/hops.md. */
export function hopsReport(r: HopsResult): string {
  return markdownReport(r, {
    title: "Round-trip hops",
    rounds: `${r.rounds} rounds of ${r.roundTripsPerProbe} round trips per probe${r.quick ? " (--quick)" : ""} (\`npm run bench -- --only hops\`); ${r.seconds} s in all.`,
    lines: [],
    tables: [hopsTable(r)],
    chart: { file: "hops.svg", alt: "Where a round trip's time goes" },
  });
}

const COLOR = "#4c78a8";

/** bench/results/hops.svg. */
export function hopsChart(r: HopsResult): string {
  return barChart({
    title: "Where a round trip's time goes",
    subtitle: `${r.date.slice(0, 10)}, ${r.machine.cores} cores; p50 with min–p99 whiskers`,
    legend: [{ label: "p50 round trip", color: COLOR }],
    panels: [{ axis: "milliseconds (p50)", bars: r.rows.map((row) => ({ label: row.hop, value: row.p50, low: row.min, high: row.p99, color: COLOR, text: `${row.p50} ms` })) }],
  });
}

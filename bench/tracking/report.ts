/**
 * The tracking suite's results: the JSON shape, the two Markdown tables (publish → consume
 * throughput per trackers × partitions, query → result latency per partitions), the report file
 * and the chart (one bar per configuration beside each hub's publish-only baseline).
 */
import { barChart, spreadBar } from "../shared/chart";
import { machineLine } from "../shared/machine";
import { type SuiteHead, int, markdownReport, ms, ratio, settingsLine } from "../shared/report";
import { type LatencySummary, type RateSummary, median } from "../shared/stats";

/** One (trackers, partitions) configuration. */
export interface ThroughputRow {
  partitions: number;
  trackers: number;
  /** Publish → consume: messages drained per second. */
  consume: RateSummary;
  /** The same runs' publish-only rate (1,000-message STORED Appends). */
  publish: RateSummary;
  /** Median over rounds of consume ÷ publish of the same run. */
  vsPublish: number;
}

/** Round trips on one hub. */
export interface LatencyRow {
  partitions: number;
  query: LatencySummary;
  queryInFlight: LatencySummary;
  append: LatencySummary;
  /** Query p50 ÷ append p50. */
  queryVsAppend: number;
}

/** What the suite measured (bench/results/tracking.json, after the {@link SuiteHead}). */
export interface TrackingFigures {
  /** Recorded rounds per partition count. */
  rounds: Record<number, number>;
  settings: Record<string, number>;
  throughput: ThroughputRow[];
  latency: LatencyRow[];
}

export type TrackingResult = SuiteHead & TrackingFigures;

export function throughputTable(rows: ThroughputRow[]): string {
  const lines = [
    "| Partitions | Trackers | publish → consume msg/s | min–max msg/s | publish-only msg/s (same runs) | consume ÷ publish |",
    "|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    lines.push(`| ${r.partitions} | ${r.trackers} | ${int(r.consume.median)} | ${int(r.consume.min)}–${int(r.consume.max)} | ${int(r.publish.median)} | ${ratio(r.vsPublish)} |`);
  }
  return lines.join("\n");
}

export function latencyTable(rows: LatencyRow[], inFlight: number): string {
  const lines = [
    `| Partitions | query → result p50 ms | p99 ms | ${inFlight} in flight: p50 ms | p99 ms | queries/s | 1 append per round trip: p50 ms | p99 ms | query p50 ÷ append p50 |`,
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.partitions} | ${ms(r.query.p50)} | ${ms(r.query.p99)} | ${ms(r.queryInFlight.p50)} | ${ms(r.queryInFlight.p99)} | ${int(r.queryInFlight.perSecondAtP50)} | ` +
        `${ms(r.append.p50)} | ${ms(r.append.p99)} | ${ratio(r.queryVsAppend)} |`,
    );
  }
  return lines.join("\n");
}

/** bench/results/tracking.md. */
export function trackingReport(r: TrackingResult): string {
  return markdownReport(r, {
    title: "Tracking: publish → consume and query → result",
    rounds: `One hub per partition count; medians of ${Object.entries(r.rounds).map(([p, n]) => `${n} rounds (P=${p})`).join(", ")}${r.quick ? " (--quick)" : ""}; ${r.seconds} s in all.`,
    lines: [settingsLine(r.settings)],
    tables: [throughputTable(r.throughput), latencyTable(r.latency, r.settings.queriesInFlight)],
    chart: { file: "tracking.svg", alt: "Publish → consume throughput" },
  });
}

const TRACKER_COLORS: Record<number, string> = { 1: "#2f6fb0", 2: "#3f9a5a", 4: "#d0822c" };
const BASELINE = "#8c8c8c";

/** bench/results/tracking.svg. */
export function trackingChart(r: TrackingResult): string {
  const byPartitions = [...new Set(r.throughput.map((t) => t.partitions))];
  return barChart({
    title: `Publish → consume, ${r.date.slice(0, 10)}, ${machineLine(r.machine)}`,
    subtitle: `200-byte events, 1,000/Append, Read maxSize 1024; median over rounds, whiskers: slowest to fastest round`,
    legend: [
      { label: "publish only (same runs)", color: BASELINE },
      ...Object.entries(TRACKER_COLORS).map(([n, color]) => ({ label: `${n} tracker${n === "1" ? "" : "s"}`, color })),
    ],
    panels: [
      {
        axis: "messages per second (median)",
        bars: byPartitions.flatMap((p) => {
          const rows = r.throughput.filter((t) => t.partitions === p);
          const publish = rows.flatMap((t) => t.publish.runs);
          return [
            spreadBar(`P=${p}, publish only`, { median: median(publish), min: Math.min(...publish), max: Math.max(...publish) }, BASELINE, "msg/s"),
            ...rows.map((t) => spreadBar(`P=${p}, ${t.trackers} tracker${t.trackers === 1 ? "" : "s"}`, t.consume, TRACKER_COLORS[t.trackers] ?? BASELINE, "msg/s")),
          ];
        }),
      },
    ],
  });
}

/**
 * The SDK suite's results: the JSON shape, the Markdown table (SDK beside the raw protocol of the
 * same run), the report file and the chart.
 */
import { barChart } from "../shared/chart";
import { type Machine, machineLine } from "../shared/machine";
import { int, ratio } from "../append/report";
import type { LatencySummary, RateSummary } from "../shared/suite";

/** One path's figures. */
export interface PathFigures {
  publish: RateSummary;
  consume: RateSummary;
  query: LatencySummary;
}

/** bench/results/sdk.json. */
export interface SdkResult {
  suite: "sdk";
  date: string;
  quick: boolean;
  rounds: number;
  seconds: number;
  settings: Record<string, number>;
  machine: Machine;
  raw: PathFigures;
  sdk: PathFigures;
  /** SDK ÷ raw: medians over rounds of the same round's ratio for rates; pooled p50 and p99 for queries. */
  sdkVsRaw: { publish: number; consume: number; queryP50: number; queryP99: number };
}

const ms = (n: number) => n.toFixed(n < 10 ? 2 : 1);
const rate = (r: RateSummary) => `${int(r.median)} (${int(r.min)}–${int(r.max)})`;

export function sdkTable(r: SdkResult): string {
  return [
    "| Measure | raw protocol | SDK | SDK ÷ raw |",
    "|---|---:|---:|---:|",
    `| publish, msg/s (min–max) | ${rate(r.raw.publish)} | ${rate(r.sdk.publish)} | ${ratio(r.sdkVsRaw.publish)} |`,
    `| publish → handler, msg/s (min–max) | ${rate(r.raw.consume)} | ${rate(r.sdk.consume)} | ${ratio(r.sdkVsRaw.consume)} |`,
    `| query → result p50, ms | ${ms(r.raw.query.p50)} | ${ms(r.sdk.query.p50)} | ${ratio(r.sdkVsRaw.queryP50)} |`,
    `| query → result p99, ms | ${ms(r.raw.query.p99)} | ${ms(r.sdk.query.p99)} | ${ratio(r.sdkVsRaw.queryP99)} |`,
  ].join("\n");
}

/** bench/results/sdk.md. */
export function sdkReport(r: SdkResult): string {
  const m = r.machine;
  return [
    `# TypeScript SDK beside the raw protocol, ${r.date.slice(0, 10)}`,
    "",
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, Miniflare ${m.miniflare}.`,
    `Load average (1/5/15 min): ${m.loadAtStart.join(" / ")} at start, ${m.loadAtEnd.join(" / ")} at end.`,
    `Median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}, workloads alternating within each round; ${r.seconds} s in all.`,
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "",
    sdkTable(r),
    "",
    "![SDK and raw protocol throughput](sdk.svg)",
    "",
  ].join("\n");
}

const RAW = "#2f6fb0";
const SDK = "#8a5cb8";

/** bench/results/sdk.svg. */
export function sdkChart(r: SdkResult): string {
  const bar = (label: string, s: RateSummary, color: string) => ({ label, median: s.median, min: s.min, max: s.max, color });
  return barChart({
    title: `TypeScript SDK beside the raw protocol, ${r.date.slice(0, 10)}, ${machineLine(r.machine)}`,
    subtitle: `200-byte events, 1,000 per publish, 1 partition, 1 tracker; median of ${r.rounds} rounds, whiskers: slowest to fastest round`,
    legend: [
      { label: "raw Flux protocol", color: RAW },
      { label: "TypeScript SDK", color: SDK },
    ],
    bars: [
      bar("raw: publish", r.raw.publish, RAW),
      bar("SDK: flux.publish", r.sdk.publish, SDK),
      bar("raw: publish → consume", r.raw.consume, RAW),
      bar("SDK: publish → flux.consume", r.sdk.consume, SDK),
    ],
    axis: "messages per second (median)",
    categories: "path",
    unit: "msg/s",
  });
}

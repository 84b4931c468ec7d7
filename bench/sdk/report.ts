/**
 * The SDK suite's results: the JSON shape, the Markdown table (SDK beside the raw protocol of the
 * same run), the report file and the chart.
 */
import { barChart, spreadBar } from "../shared/chart";
import { machineLine } from "../shared/machine";
import { type SuiteHead, int, markdownReport, ms, ratio, roundsLine, settingsLine } from "../shared/report";
import type { LatencySummary, RateSummary } from "../shared/stats";

/** One path's figures. */
export interface PathFigures {
  publish: RateSummary;
  consume: RateSummary;
  query: LatencySummary;
}

/** What the suite measured (bench/results/sdk.json, after the {@link SuiteHead}). */
export interface SdkFigures {
  rounds: number;
  settings: Record<string, number>;
  raw: PathFigures;
  sdk: PathFigures;
  /** SDK ÷ raw: medians over rounds of the same round's ratio for rates; pooled p50 and p99 for queries. */
  sdkVsRaw: { publish: number; consume: number; queryP50: number; queryP99: number };
}

export type SdkResult = SuiteHead & SdkFigures;

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
  return markdownReport(r, {
    title: "TypeScript SDK beside the raw protocol",
    rounds: roundsLine(r, r.rounds),
    lines: [settingsLine(r.settings)],
    tables: [sdkTable(r)],
    chart: { file: "sdk.svg", alt: "SDK and raw protocol throughput" },
  });
}

const RAW = "#2f6fb0";
const SDK = "#8a5cb8";

/** bench/results/sdk.svg. */
export function sdkChart(r: SdkResult): string {
  return barChart({
    title: `TypeScript SDK beside the raw protocol, ${r.date.slice(0, 10)}, ${machineLine(r.machine)}`,
    subtitle: `200-byte events, 1,000 per publish, 1 partition, 1 tracker; median of ${r.rounds} rounds, whiskers: slowest to fastest round`,
    legend: [
      { label: "raw Flux protocol", color: RAW },
      { label: "TypeScript SDK", color: SDK },
    ],
    panels: [
      {
        axis: "messages per second (median)",
        bars: [
          spreadBar("raw: publish", r.raw.publish, RAW, "msg/s"),
          spreadBar("SDK: flux.publish", r.sdk.publish, SDK, "msg/s"),
          spreadBar("raw: publish → consume", r.raw.consume, RAW, "msg/s"),
          spreadBar("SDK: publish → flux.consume", r.sdk.consume, SDK, "msg/s"),
        ],
      },
    ],
  });
}

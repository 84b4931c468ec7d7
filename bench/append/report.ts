/**
 * The append suite's figures and report: medians and ratios per workload, the Markdown table,
 * bench/results/latest.md and append.svg. Ratios to the ceiling are taken round by round (each
 * workload against the ceiling measured in the same round) and then the median is reported, so
 * drifting machine load cancels out.
 */
import { barChart, spreadBar } from "../shared/chart";
import { machineLine } from "../shared/machine";
import { type SuiteHead, int, markdownReport, ratio, roundsLine, settingsLine } from "../shared/report";
import { median, round } from "../shared/stats";
import { type Kind, type Workload, megabytesPerSecond } from "./workloads";

/** One workload's figures over all rounds. */
export interface Summary {
  id: string;
  label: string;
  kind: Kind;
  messagesPerRun: number;
  /** Messages per second, one per round. */
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** Payload megabytes (200 B per message) per second, at the median. */
  megabytesPerSecond: number;
  /** Compressed frame or request body megabytes per second, at the median; null for the ceiling. */
  wireMegabytesPerSecond: number | null;
  /** SQLite rows per second at the median; null where the row count is not the bench's to know. */
  rowsPerSecond: number | null;
  /** Median over rounds of this workload's rate divided by the one-row-per-message ceiling's. */
  vsRowCeiling: number;
}

/** What the suite measured (bench/results/latest.json, after the {@link SuiteHead}). */
export interface AppendFigures {
  rounds: number;
  settings: Record<string, number>;
  workloads: Summary[];
}

export type AppendResult = SuiteHead & AppendFigures;

export const ROW_CEILING = "ceiling-rows";

/** `samples[id][round]` is a workload's messages per second in that round. */
export function summarise(workloads: Workload[], samples: Map<string, number[]>): Summary[] {
  const ceiling = samples.get(ROW_CEILING)!;
  return workloads.map((w) => {
    const runs = samples.get(w.id)!;
    const m = median(runs);
    return {
      id: w.id,
      label: w.label,
      kind: w.kind,
      messagesPerRun: w.messages,
      runs: runs.map(Math.round),
      median: Math.round(m),
      min: Math.round(Math.min(...runs)),
      max: Math.round(Math.max(...runs)),
      megabytesPerSecond: round(megabytesPerSecond(m), 2),
      wireMegabytesPerSecond: w.wireBytes ? round((w.wireBytes / w.messages) * m / 1e6, 2) : null,
      rowsPerSecond: w.rowsPerMessage === null ? null : Math.round(m * w.rowsPerMessage),
      vsRowCeiling: round(median(runs.map((r, i) => r / ceiling[i])), 3),
    };
  });
}

/** The results table in Markdown. */
export function markdownTable(summaries: Summary[]): string {
  const lines = [
    "| Workload | msg/s | MB/s (payload) | MB/s (wire) | SQLite rows/s | vs 1-row/msg ceiling | min–max msg/s |",
    "|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of summaries) {
    lines.push(
      `| ${s.label} | ${int(s.median)} | ${s.megabytesPerSecond.toFixed(2)} | ${s.wireMegabytesPerSecond?.toFixed(2) ?? "–"} | ` +
        `${s.rowsPerSecond === null ? "–" : int(s.rowsPerSecond)} | ${ratio(s.vsRowCeiling)} | ${int(s.min)}–${int(s.max)} |`,
    );
  }
  return lines.join("\n");
}

/** bench/results/latest.md: when, on what, with which settings, the table and the chart. */
export function appendReport(r: AppendResult): string {
  return markdownReport(r, {
    title: "Append throughput",
    rounds: roundsLine(r, r.rounds),
    lines: [settingsLine(r.settings)],
    tables: [markdownTable(r.workloads)],
    chart: { file: "append.svg", alt: "Append throughput" },
  });
}

const COLORS: Record<Kind, string> = { protocol: "#2f6fb0", http: "#8a5cb8", ceiling: "#8c8c8c" };
const LEGEND: Record<Kind, string> = { protocol: "Flux protocol (WebSocket)", http: "HTTP API", ceiling: "raw SQLite ceiling" };

/** bench/results/append.svg. */
export function appendChart(r: AppendResult): string {
  const kinds = [...new Set(r.workloads.map((s) => s.kind))];
  return barChart({
    title: `Append throughput, ${r.date.slice(0, 10)}, ${machineLine(r.machine)}`,
    subtitle: `median of ${r.rounds} rounds, 200-byte messages; whiskers: slowest to fastest round; load average ${r.machine.loadAtStart[0]} at start`,
    legend: kinds.map((k) => ({ label: LEGEND[k], color: COLORS[k] })),
    panels: [{ axis: "messages per second (median)", bars: r.workloads.map((s) => spreadBar(s.label, s, COLORS[s.kind], "msg/s")) }],
  });
}

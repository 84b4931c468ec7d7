/**
 * Turns per-round samples into medians and ratios, and writes them as a Markdown table and JSON.
 * Ratios to the ceiling are taken round by round (each workload against the ceiling measured in
 * the same round) and then the median is reported, so drifting machine load cancels out. Also the
 * number formats and the results writer that the other suites share.
 */
import { renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Machine } from "../shared/machine";
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

/** Everything a run produced (bench/results/latest.json). */
export interface BenchResult {
  date: string;
  quick: boolean;
  rounds: number;
  seconds: number;
  settings: Record<string, number>;
  machine: Machine;
  workloads: Summary[];
}

export const ROW_CEILING = "ceiling-rows";

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

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

export const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;
/** A whole number with thousands separators. */
export const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** A ratio with two significant-ish digits: 0.35×, 1.8×, 12×. */
export function ratio(r: number): string {
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 1 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
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
export function markdownReport(r: BenchResult): string {
  const m = r.machine;
  return [
    `# Append throughput, ${r.date.slice(0, 10)}`,
    "",
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, Miniflare ${m.miniflare}.`,
    `Load average (1/5/15 min): ${m.loadAtStart.join(" / ")} at start, ${m.loadAtEnd.join(" / ")} at end.`,
    `Median of ${r.rounds} rounds${r.quick ? " (--quick)" : ""}, workloads alternating within each round; ${Math.round(r.seconds)} s in all.`,
    `Settings: ${Object.entries(r.settings).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "",
    markdownTable(r.workloads),
    "",
    "![Append throughput](append.svg)",
    "",
  ].join("\n");
}

/** Writes files into bench/results/, each whole or not at all. */
export function writeResults(files: Record<string, string>): void {
  const dir = join(resolve(import.meta.dirname, ".."), "results");
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    writeFileSync(`${path}.tmp`, text);
    renameSync(`${path}.tmp`, path);
  }
}

/**
 * What every suite's report shares: number formats, the Markdown report (its header lines, the
 * machine, the load and the rounds, then the suite's tables and chart) and the results writer.
 */
import { renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Machine } from "./machine";

/** What every result file (bench/results/<suite>.json) starts with. */
export interface SuiteHead {
  suite: string;
  date: string;
  quick: boolean;
  /** The whole run's seconds, starting the hub included. */
  seconds: number;
  machine: Machine;
}

/** A whole number with thousands separators. */
export const int = (n: number) => Math.round(n).toLocaleString("en-US");

/** A ratio with two significant-ish digits: 0.35×, 1.8×, 12×; "–" for none. */
export function ratio(r: number | null): string {
  if (r === null) return "–";
  return r >= 10 ? `${r.toFixed(0)}×` : r >= 1 ? `${r.toFixed(1)}×` : `${r.toFixed(2)}×`;
}

/** Milliseconds: two decimals below 10, one below 100, whole above. */
export const ms = (n: number) => (n >= 100 ? int(n) : n.toFixed(n < 10 ? 2 : 1));

/** "Median of 5 rounds (--quick), workloads alternating within each round; 80 s in all." */
export function roundsLine(r: SuiteHead, rounds: number, how = "workloads alternating within each round"): string {
  return `Median of ${rounds} rounds${r.quick ? " (--quick)" : ""}, ${how}; ${r.seconds} s in all.`;
}

/** "Settings: connections 4, partitions 1." */
export function settingsLine(settings: Record<string, number>): string {
  return `Settings: ${Object.entries(settings).map(([k, v]) => `${k} ${v}`).join(", ")}.`;
}

/** What a report says beyond the header every report has. */
export interface ReportParts {
  title: string;
  /** How the rounds went, e.g. {@link roundsLine}. */
  rounds: string;
  /** More lines under the header: settings, sizes, notes. */
  lines: string[];
  /** Further versions for the machine line, e.g. of peer servers. */
  versions?: Record<string, string>;
  /** Said after the load average. */
  loadNote?: string;
  /** The tables (or paragraphs), separated by a blank line. */
  tables: string[];
  /** The chart's file name in bench/results/ and its alternative text. */
  chart: { file: string; alt: string };
}

/** bench/results/<suite>.md: title and date, the machine, the load, the rounds, the tables and the chart. */
export function markdownReport(r: SuiteHead, parts: ReportParts): string {
  const m = r.machine;
  const versions = parts.versions ? `; ${Object.entries(parts.versions).map(([k, v]) => `${k} ${v}`).join(", ")}` : "";
  return [
    `# ${parts.title}, ${r.date.slice(0, 10)}`,
    "",
    `Machine: ${m.cores} cores, ${m.cpu}, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}, Miniflare ${m.miniflare}${versions}.`,
    `Load average (1/5/15 min): ${m.loadAtStart.join(" / ")} at start, ${m.loadAtEnd.join(" / ")} at end.${parts.loadNote ? ` ${parts.loadNote}` : ""}`,
    parts.rounds,
    ...parts.lines,
    "",
    ...parts.tables.flatMap((t) => [t, ""]),
    `![${parts.chart.alt}](${parts.chart.file})`,
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

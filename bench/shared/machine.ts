/**
 * What the numbers were measured on: cores, CPU model, memory, load average, Node and Miniflare
 * (whose version names the workerd build it runs).
 */
import { readFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import { join, resolve } from "node:path";

export interface Machine {
  cores: number;
  cpu: string;
  memoryGiB: number;
  os: string;
  node: string;
  miniflare: string;
  /** 1, 5 and 15 minute load averages when the run started and when it ended. */
  loadAtStart: number[];
  loadAtEnd: number[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function describeMachine(): Machine {
  const pkg = join(resolve(import.meta.dirname, "..", ".."), "node_modules", "miniflare", "package.json");
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${arch()}`,
    node: process.version,
    miniflare: JSON.parse(readFileSync(pkg, "utf8")).version,
    loadAtStart: loadavg().map(round2),
    loadAtEnd: [],
  };
}

/** Records the load average at the end of the run. */
export function finishMachine(m: Machine): void {
  m.loadAtEnd = loadavg().map(round2);
}

/** One line for titles: "2 cores, AMD EPYC". */
export function machineLine(m: Machine): string {
  return `${m.cores} cores, ${m.cpu}`;
}

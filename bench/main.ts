/**
 * The bench: starts the hub (test/support/hub.ts) and the SQLite ceiling Worker, runs every
 * workload once per round in rotating order after an unrecorded warm-up round, prints the table
 * on stdout and writes bench/results/latest.{md,json} and append.svg. Always stops both runtimes.
 * Flags: `--quick` (smaller runs, 3 rounds, about a minute), `--rounds N` (default 7), and
 * `--budget SECONDS` (default 270, 75 with `--quick`): on a busy machine, rounds stop early once
 * the next one would not fit, keeping at least three.
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Hub, startHub } from "../test/support/hub";
import { type Ceiling, startCeiling } from "./ceiling";
import { appendChart } from "./chart";
import { describeMachine, finishMachine } from "./machine";
import { Progress } from "./progress";
import { type BenchResult, markdownReport, markdownTable, summarise } from "./report";
import { CEILING_BATCH, CONNECTIONS, HTTP_IN_FLIGHT, IN_FLIGHT, PARTITIONS, type Workload, prepareWorkloads } from "./workloads";

const RESULTS = join(resolve(import.meta.dirname), "results");
const MIN_ROUNDS = 3;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Writes a file whole or not at all. */
function writeResult(name: string, text: string): void {
  const path = join(RESULTS, name);
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Each round starts one workload later, so no workload always runs right after the same one. */
function rotated(workloads: Workload[], round: number): Workload[] {
  const k = round % workloads.length;
  return [...workloads.slice(k), ...workloads.slice(0, k)];
}

export async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  let rounds = Number(option(args, "--rounds") ?? (quick ? 3 : 7));
  const budget = Number(option(args, "--budget") ?? (quick ? 75 : 270)) * 1000;
  const machine = describeMachine();
  const started = performance.now();
  let hub: Hub | undefined;
  let ceiling: Ceiling | undefined;
  const stop = async () => {
    await Promise.allSettled([hub?.dispose(), ceiling?.dispose()]);
    hub = ceiling = undefined;
  };
  const interrupted = async () => {
    await stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
    process.stderr.write(`bench: ${machine.cores} cores, ${machine.cpu}, load average ${machine.loadAtStart.join(" ")}\n`);
    process.stderr.write("bench: building the hub bundle, starting the hub and the ceiling Worker\n");
    hub = await startHub({ partitions: PARTITIONS });
    ceiling = await startCeiling();
    process.stderr.write("bench: encoding the traffic\n");
    const workloads = await prepareWorkloads(hub, ceiling, quick);
    const progress = new Progress(workloads.length * (rounds + 1));
    const samples = new Map<string, number[]>(workloads.map((w) => [w.id, []]));
    const measuring = performance.now();
    for (let r = 0; r <= rounds; r++) {
      for (const w of rotated(workloads, r)) {
        const rate = await w.run(r);
        if (r > 0) samples.get(w.id)![r - 1] = rate;
        progress.step(`${r === 0 ? "warm-up" : `round ${r}/${rounds}`}  ${w.label}: ${Math.round(rate).toLocaleString("en-US")} msg/s`);
      }
      const perRound = (performance.now() - measuring) / (r + 1);
      if (r >= MIN_ROUNDS && r < rounds && performance.now() - started + perRound > budget) {
        progress.note(`stopping after ${r} rounds to stay within the ${budget / 1000} s budget`);
        rounds = r;
      }
    }
    progress.end();
    await stop();
    finishMachine(machine);
    const result: BenchResult = {
      date: new Date().toISOString(),
      quick,
      rounds,
      seconds: Math.round((performance.now() - started) / 1000),
      settings: { connections: CONNECTIONS, appendsInFlightPerConnection: IN_FLIGHT, httpRequestsInFlight: HTTP_IN_FLIGHT, ceilingMessagesPerRpc: CEILING_BATCH, partitions: PARTITIONS },
      machine,
      workloads: summarise(workloads, samples),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeResult("latest.json", JSON.stringify(result, null, 2) + "\n");
    writeResult("latest.md", markdownReport(result));
    writeResult("append.svg", appendChart(result));
    process.stdout.write(markdownTable(result.workloads) + "\n");
    process.stderr.write(`bench: ${result.seconds} s; wrote bench/results/latest.md, latest.json and append.svg\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`bench: failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    await stop();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

/**
 * The bench: starts the hub (test/support/hub.ts) and the SQLite ceiling Worker, runs every
 * workload once per round in rotating order after an unrecorded warm-up round, prints the table
 * on stdout and writes bench/results/latest.{md,json} and append.svg. Always stops both runtimes.
 * Flags: `--quick` (smaller runs, 3 rounds, about a minute), `--rounds N` (default 7), and
 * `--budget SECONDS` (default 270, 75 with `--quick`): on a busy machine, rounds stop early once
 * the next one would not fit, keeping at least three.
 */
import { type Hub, startHub } from "../../test/support/hub";
import { type Ceiling, startCeiling } from "./ceiling";
import { appendChart } from "../shared/chart";
import { describeMachine, finishMachine } from "../shared/machine";
import { Progress } from "../shared/progress";
import { type BenchResult, markdownReport, markdownTable, summarise, writeResults } from "./report";
import { guarded, option, runRounds } from "../shared/suite";
import { CEILING_BATCH, CONNECTIONS, HTTP_IN_FLIGHT, IN_FLIGHT, PARTITIONS, prepareWorkloads } from "./workloads";

export async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const rounds = Number(option(args, "--rounds") ?? (quick ? 3 : 7));
  const budget = Number(option(args, "--budget") ?? (quick ? 75 : 270)) * 1000;
  const machine = describeMachine();
  const started = performance.now();
  let hub: Hub | undefined;
  let ceiling: Ceiling | undefined;
  const stop = async () => {
    await Promise.allSettled([hub?.dispose(), ceiling?.dispose()]);
    hub = ceiling = undefined;
  };
  return guarded(stop, async () => {
    process.stderr.write(`bench: ${machine.cores} cores, ${machine.cpu}, load average ${machine.loadAtStart.join(" ")}\n`);
    process.stderr.write("bench: building the hub bundle, starting the hub and the ceiling Worker\n");
    hub = await startHub({ partitions: PARTITIONS });
    ceiling = await startCeiling();
    process.stderr.write("bench: encoding the traffic\n");
    const workloads = await prepareWorkloads(hub, ceiling, quick);
    const progress = new Progress(workloads.length * (rounds + 1));
    const samples = new Map<string, number[]>(workloads.map((w) => [w.id, []]));
    const recorded = await runRounds(
      workloads.map((w) => ({
        label: w.label,
        run: async (r: number) => {
          const rate = await w.run(r);
          if (r > 0) samples.get(w.id)![r - 1] = rate;
          return `${Math.round(rate).toLocaleString("en-US")} msg/s`;
        },
      })),
      rounds,
      budget,
      progress,
    );
    progress.end();
    await stop();
    finishMachine(machine);
    const result: BenchResult = {
      date: new Date().toISOString(),
      quick,
      rounds: recorded,
      seconds: Math.round((performance.now() - started) / 1000),
      settings: { connections: CONNECTIONS, appendsInFlightPerConnection: IN_FLIGHT, httpRequestsInFlight: HTTP_IN_FLIGHT, ceilingMessagesPerRpc: CEILING_BATCH, partitions: PARTITIONS },
      machine,
      workloads: summarise(workloads, samples),
    };
    writeResults({ "latest.json": JSON.stringify(result, null, 2) + "\n", "latest.md": markdownReport(result), "append.svg": appendChart(result) });
    process.stdout.write(markdownTable(result.workloads) + "\n");
    process.stderr.write(`bench: ${result.seconds} s; wrote bench/results/latest.md, latest.json and append.svg\n`);
  });
}

/**
 * Suite "append": append throughput through the Flux protocol and the HTTP API beside the raw
 * SQLite ceiling Worker (bench/append/ceiling-worker.ts) in the same run. Starts the hub
 * (test/support/hub.ts) and the ceiling, runs every workload once per round in rotating order after
 * an unrecorded warm-up round, prints the table on stdout and writes
 * bench/results/latest.{md,json} and append.svg. Flags: `--quick` (smaller runs, 3 rounds, about
 * a minute), `--rounds N` (default 7), and `--budget SECONDS` (default 270, 75 with `--quick`):
 * on a busy machine, rounds stop early once the next one would not fit, keeping at least three.
 */
import { startHub } from "../../test/support/hub";
import { Progress } from "../shared/progress";
import { runRounds, runSuite, sampling } from "../shared/suite";
import { PARTITIONS, SPREAD } from "../shared/ws-append";
import { startCeiling } from "./ceiling";
import { type AppendFigures, appendChart, appendReport, markdownTable, summarise } from "./report";
import { CEILING_BATCH, HTTP_IN_FLIGHT, prepareWorkloads } from "./workloads";

export function main(args: string[]): Promise<number> {
  return runSuite<AppendFigures>(
    {
      name: "append",
      files: { json: "latest.json", md: "latest.md", svg: "append.svg" },
      async measure(ctx) {
        const rounds = ctx.rounds(3, 7);
        ctx.note("building the hub bundle, starting the hub and the ceiling Worker");
        const hub = await startHub({ partitions: PARTITIONS });
        ctx.closing(() => hub.dispose());
        const ceiling = await startCeiling();
        ctx.closing(() => ceiling.dispose());
        ctx.note("encoding the traffic");
        const workloads = await prepareWorkloads(hub, ceiling, ctx.quick);
        const progress = new Progress(workloads.length * (rounds + 1));
        const { work, samples } = sampling(workloads, (rate: number) => `${Math.round(rate).toLocaleString("en-US")} msg/s`);
        const recorded = await runRounds(work, rounds, ctx.budget(75, 270), progress);
        progress.end();
        return {
          rounds: recorded,
          settings: { connections: SPREAD.connections, appendsInFlightPerConnection: SPREAD.inFlight, httpRequestsInFlight: HTTP_IN_FLIGHT, ceilingMessagesPerRpc: CEILING_BATCH, partitions: PARTITIONS },
          workloads: summarise(workloads, samples),
        };
      },
      markdown: appendReport,
      chart: appendChart,
      table: (r) => markdownTable(r.workloads),
    },
    args,
  );
}

/**
 * The services suite: event sourcing, key-value, scheduling and search over the Flux WebSocket
 * protocol against one hub, beside the baseline "Flux Append, 100/append" measured in the same
 * rounds. Sets up first (the stream to load, the aggregate pool, the values to read, the search
 * corpus, which gets at most 30% of the budget), then runs every workload once per round in
 * rotating order after an unrecorded warm-up round; prints the table on stdout and writes
 * bench/results/services.{md,json,svg}. Always stops the hub.
 * Flags: `--quick` (smaller runs and corpus, 3 rounds, about a minute), `--rounds N` (default 5)
 * and `--budget SECONDS` (default 280, 80 with `--quick`; rounds stop early once the next one would
 * not fit, keeping at least three).
 */
import { type Hub, startHub } from "../../test/support/hub";
import { Progress } from "../shared/progress";
import { type SuiteContext, runRounds, runSuite, sampling } from "../shared/suite";
import { PARTITIONS, SPREAD, prepareAppend, runAppend } from "../shared/ws-append";
import { eventSourcingWorkloads } from "./eventsourcing";
import { keyValueWorkloads } from "./keyvalue";
import { BASELINE, type ServicesFigures, servicesChart, servicesReport, servicesTable, summariseServices } from "./report";
import { schedulingWorkloads } from "./scheduling";
import { searchWorkloads } from "./search";
import { type Sample, type ServiceSet, type ServiceWorkload, sized } from "./workload";

/** The append suite's "Flux Append, 100/append", each round to a fresh event log. */
async function baselineWorkload(hub: Hub, quick: boolean): Promise<ServiceWorkload> {
  const messages = sized(16_000, quick, 100);
  const prepared = await prepareAppend({ batch: 100, messages, ...SPREAD });
  return {
    id: BASELINE, label: "Flux Append, 100/append (baseline)", service: "baseline", unit: "messages/s", comparable: true, items: messages,
    run: async (r) => ({ rate: messages / (await runAppend(hub.wsUrl, prepared, `svc-base-r${r}`)) }),
  };
}

async function measure(ctx: SuiteContext): Promise<ServicesFigures> {
  const { quick, note } = ctx;
  const rounds = ctx.rounds(3, 5);
  const budget = ctx.budget(80, 280);
  note("starting the hub, setting up and encoding the traffic");
  const hub = await startHub({ partitions: PARTITIONS });
  ctx.closing(() => hub.dispose());
  const sets: ServiceSet[] = [
    { workloads: [await baselineWorkload(hub, quick)], once: [] },
    await eventSourcingWorkloads(hub, quick, SPREAD),
    await keyValueWorkloads(hub, quick, SPREAD),
    await schedulingWorkloads(hub, quick, SPREAD),
    await searchWorkloads(hub, quick, SPREAD, budget * 0.3, note),
  ];
  const workloads = sets.flatMap((s) => s.workloads);
  const once = sets.flatMap((s) => s.once);
  for (const o of once) note(`measured once: ${o.detail}`);
  const progress = new Progress(workloads.length * (rounds + 1));
  const { work, samples } = sampling(workloads, (sample: Sample, w) => `${Math.round(sample.rate).toLocaleString("en-US")} ${w.unit}`);
  const recorded = await runRounds(
    work,
    rounds,
    // Setup (the search corpus above all) has used part of the budget already.
    budget - (performance.now() - ctx.started),
    progress,
  );
  progress.end();
  return {
    rounds: recorded,
    settings: { connections: SPREAD.connections, requestsInFlightPerConnection: SPREAD.inFlight, partitions: PARTITIONS },
    once: Object.fromEntries(once.map((o) => [o.id, o.detail])),
    workloads: summariseServices(workloads, samples, once),
  };
}

export function main(args: string[]): Promise<number> {
  return runSuite<ServicesFigures>({ name: "services", measure, markdown: servicesReport, chart: servicesChart, table: (r) => servicesTable(r.workloads) }, args);
}

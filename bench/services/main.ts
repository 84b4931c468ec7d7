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
import { describeMachine, finishMachine } from "../shared/machine";
import { Progress } from "../shared/progress";
import { writeResults } from "../append/report";
import { BASELINE, type ServicesResult, servicesReport, servicesTable, summariseServices } from "./report";
import { servicesChart } from "./chart";
import { eventSourcingWorkloads } from "./eventsourcing";
import { keyValueWorkloads } from "./keyvalue";
import { schedulingWorkloads } from "./scheduling";
import { searchWorkloads } from "./search";
import { guarded, option, runRounds } from "../shared/suite";
import { type Sample, type ServiceSet, type ServiceWorkload, sized } from "./workload";
import { CONNECTIONS, IN_FLIGHT, PARTITIONS } from "../append/workloads";
import { prepareAppend, runAppend } from "../shared/ws-append";

const SPREAD = { connections: CONNECTIONS, inFlight: IN_FLIGHT };

/** The append suite's "Flux Append, 100/append", each round to a fresh event log. */
async function baselineWorkload(hub: Hub, quick: boolean): Promise<ServiceWorkload> {
  const messages = sized(16_000, quick, 100);
  const prepared = await prepareAppend({ batch: 100, messages, connections: CONNECTIONS, inFlight: IN_FLIGHT });
  return {
    id: BASELINE, label: "Flux Append, 100/append (baseline)", service: "baseline", unit: "messages/s", comparable: true, items: messages,
    run: async (r) => ({ rate: messages / (await runAppend(hub.wsUrl, prepared, `svc-base-r${r}`)) }),
  };
}

export async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const rounds = Number(option(args, "--rounds") ?? (quick ? 3 : 5));
  const budget = Number(option(args, "--budget") ?? (quick ? 80 : 280)) * 1000;
  const machine = describeMachine();
  const started = performance.now();
  let hub: Hub | undefined;
  const stop = async () => {
    await hub?.dispose();
    hub = undefined;
  };
  return guarded(stop, async () => {
    process.stderr.write(`bench: ${machine.cores} cores, ${machine.cpu}, load average ${machine.loadAtStart.join(" ")}\n`);
    process.stderr.write("bench: starting the hub, setting up and encoding the traffic\n");
    hub = await startHub({ partitions: PARTITIONS });
    const note = (text: string) => process.stderr.write(`bench: ${text}\n`);
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
    const samples = new Map<string, Sample[]>(workloads.map((w) => [w.id, []]));
    const recorded = await runRounds(
      workloads.map((w) => ({
        label: w.label,
        run: async (r: number) => {
          const sample = await w.run(r);
          if (r > 0) samples.get(w.id)![r - 1] = sample;
          return `${Math.round(sample.rate).toLocaleString("en-US")} ${w.unit}`;
        },
      })),
      rounds,
      // Setup (the search corpus above all) has used part of the budget already.
      budget - (performance.now() - started),
      progress,
    );
    progress.end();
    await stop();
    finishMachine(machine);
    const result: ServicesResult = {
      date: new Date().toISOString(),
      quick,
      rounds: recorded,
      seconds: Math.round((performance.now() - started) / 1000),
      settings: { connections: CONNECTIONS, requestsInFlightPerConnection: IN_FLIGHT, partitions: PARTITIONS },
      machine,
      once: Object.fromEntries(once.map((o) => [o.id, o.detail])),
      workloads: summariseServices(workloads, samples, once),
    };
    writeResults({ "services.json": JSON.stringify(result, null, 2) + "\n", "services.md": servicesReport(result), "services.svg": servicesChart(result) });
    process.stdout.write(servicesTable(result.workloads) + "\n");
    process.stderr.write(`bench: ${result.seconds} s; wrote bench/results/services.md, services.json and services.svg\n`);
  });
}

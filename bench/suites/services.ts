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
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Hub, startHub } from "../../test/support/hub";
import { describeMachine, finishMachine } from "../machine";
import { Progress } from "../progress";
import { BASELINE, type ServicesResult, servicesReport, servicesTable, summariseServices } from "../services-report";
import { servicesChart } from "../services-chart";
import { eventSourcingWorkloads } from "../services-eventsourcing";
import { keyValueWorkloads } from "../services-keyvalue";
import { schedulingWorkloads } from "../services-scheduling";
import { searchWorkloads } from "../services-search";
import { type Sample, type ServiceSet, type ServiceWorkload, sized } from "../services-workload";
import { CONNECTIONS, IN_FLIGHT, PARTITIONS } from "../workloads";
import { prepareAppend, runAppend } from "../ws-append";

const RESULTS = join(resolve(import.meta.dirname), "..", "results");
const MIN_ROUNDS = 3;
const SPREAD = { connections: CONNECTIONS, inFlight: IN_FLIGHT };

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function writeResult(name: string, text: string): void {
  const path = join(RESULTS, name);
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

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
  let rounds = Number(option(args, "--rounds") ?? (quick ? 3 : 5));
  const budget = Number(option(args, "--budget") ?? (quick ? 80 : 280)) * 1000;
  const machine = describeMachine();
  const started = performance.now();
  let hub: Hub | undefined;
  const stop = async () => {
    await hub?.dispose();
    hub = undefined;
  };
  const interrupted = async () => {
    await stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  try {
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
    const measuring = performance.now();
    for (let r = 0; r <= rounds; r++) {
      const k = r % workloads.length;
      for (const w of [...workloads.slice(k), ...workloads.slice(0, k)]) {
        const sample = await w.run(r);
        if (r > 0) samples.get(w.id)![r - 1] = sample;
        progress.step(`${r === 0 ? "warm-up" : `round ${r}/${rounds}`}  ${w.label}: ${Math.round(sample.rate).toLocaleString("en-US")} ${w.unit}`);
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
    const result: ServicesResult = {
      date: new Date().toISOString(),
      quick,
      rounds,
      seconds: Math.round((performance.now() - started) / 1000),
      settings: { connections: CONNECTIONS, requestsInFlightPerConnection: IN_FLIGHT, partitions: PARTITIONS },
      machine,
      once: Object.fromEntries(once.map((o) => [o.id, o.detail])),
      workloads: summariseServices(workloads, samples, once),
    };
    mkdirSync(RESULTS, { recursive: true });
    writeResult("services.json", JSON.stringify(result, null, 2) + "\n");
    writeResult("services.md", servicesReport(result));
    writeResult("services.svg", servicesChart(result));
    process.stdout.write(servicesTable(result.workloads) + "\n");
    process.stderr.write(`bench: ${result.seconds} s; wrote bench/results/services.md, services.json and services.svg\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`bench: services failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  } finally {
    await stop();
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
  }
}

/**
 * Suite "tracking": end-to-end publish → consume throughput for consumer groups of 1, 2 and 4
 * trackers on hubs of 1, 2 and 4 partitions (one hub per partition count, started once), each
 * beside the same run's publish-only rate; and query → handler → result latency beside one append
 * per WebSocket round trip. Writes bench/results/tracking.{md,json,svg}. Flags: `--quick` (smaller
 * runs, about a minute; the full suite takes about four). The rounds of each hub stop early (keeping
 * three) once its share of the time budget is spent.
 */
import { type Hub, startHub } from "../../test/support/hub";
import { describeMachine, finishMachine } from "../shared/machine";
import { Progress } from "../shared/progress";
import { int, median, round, writeResults } from "../append/report";
import { MAX_SIZE, runPublishConsume } from "../shared/consume";
import { appendRoundTrips, startQueryRig } from "../shared/query";
import { type LatencyRow, type ThroughputRow, type TrackingResult, latencyTable, throughputTable, trackingChart, trackingReport } from "./report";
import { type RoundWork, guarded, runRounds, summariseLatency, summariseRate } from "../shared/suite";
import { CONNECTIONS, IN_FLIGHT } from "../append/workloads";
import { prepareAppend } from "../shared/ws-append";

const PARTITION_COUNTS = [1, 2, 4];
const TRACKER_COUNTS = [1, 2, 4];
const APPEND_BATCH = 1000;
const QUERIES_IN_FLIGHT = 4;

function sizes(quick: boolean) {
  return quick
    ? { rounds: 3, budgetSeconds: 45, messages: 6_000, queries: 30, appends: 30 }
    : { rounds: 5, budgetSeconds: 170, messages: 16_000, queries: 60, appends: 60 };
}

/** The workloads of one hub; their figures land in `throughput` and `latency` as rounds finish. */
async function hubWork(hub: Hub, partitions: number, n: ReturnType<typeof sizes>, prepared: Awaited<ReturnType<typeof prepareAppend>>) {
  const runs = TRACKER_COUNTS.map((trackers) => ({ trackers, consume: [] as number[], publish: [] as number[] }));
  const latency = { query: [] as number[], queryInFlight: [] as number[], append: [] as number[] };
  const rig = await startQueryRig(hub.wsUrl, `bench-query-p${partitions}`);
  const work: RoundWork[] = runs.map((row) => ({
    label: `P=${partitions}, ${row.trackers} tracker(s)`,
    async run(r) {
      const got = await runPublishConsume(hub.wsUrl, prepared, row.trackers, `bench-track-p${partitions}-t${row.trackers}-r${r}`);
      if (r > 0) row.consume.push(got.consume), row.publish.push(got.publish);
      return `${int(got.consume)} msg/s consumed, ${int(got.publish)} msg/s published`;
    },
  }));
  work.push({
    label: `P=${partitions}, query round trips`,
    async run(r) {
      const query = await rig.roundTrips(n.queries, 1);
      const queryInFlight = await rig.roundTrips(n.queries, QUERIES_IN_FLIGHT);
      const append = await appendRoundTrips(hub.wsUrl, `bench-append-p${partitions}-r${r}`, n.appends);
      if (r > 0) latency.query.push(...query), latency.queryInFlight.push(...queryInFlight), latency.append.push(...append);
      return `query p50 ${median(query).toFixed(2)} ms, append p50 ${median(append).toFixed(2)} ms`;
    },
  });
  const summarise = (): { throughput: ThroughputRow[]; latency: LatencyRow } => {
    const query = summariseLatency(latency.query);
    const append = summariseLatency(latency.append);
    return {
      throughput: runs.map((row) => ({
        partitions,
        trackers: row.trackers,
        consume: summariseRate(row.consume),
        publish: summariseRate(row.publish),
        vsPublish: round(median(row.consume.map((c, i) => c / row.publish[i])), 3),
      })),
      latency: { partitions, query, queryInFlight: summariseLatency(latency.queryInFlight, QUERIES_IN_FLIGHT), append, queryVsAppend: round(query.p50 / append.p50, 2) },
    };
  };
  return { work, summarise, close: () => rig.close() };
}

export async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const n = sizes(quick);
  const machine = describeMachine();
  const started = performance.now();
  let hub: Hub | undefined;
  let closeRig: (() => Promise<void>) | undefined;
  const stop = async () => {
    await closeRig?.().catch(() => {});
    await hub?.dispose();
    hub = closeRig = undefined;
  };
  return guarded(stop, async () => {
    process.stderr.write(`bench: ${machine.cores} cores, ${machine.cpu}, load average ${machine.loadAtStart.join(" ")}\n`);
    const prepared = await prepareAppend({ batch: APPEND_BATCH, messages: n.messages, connections: CONNECTIONS, inFlight: IN_FLIGHT });
    const progress = new Progress(PARTITION_COUNTS.length * (TRACKER_COUNTS.length + 1) * (n.rounds + 1));
    const throughput: ThroughputRow[] = [];
    const latency: LatencyRow[] = [];
    const rounds: Record<number, number> = {};
    // The budget covers the rounds; starting the hubs comes on top.
    let measuring = 0;
    for (const [i, partitions] of PARTITION_COUNTS.entries()) {
      progress.note(`starting a hub with ${partitions} partition(s)`);
      hub = await startHub({ partitions });
      const h = await hubWork(hub, partitions, n, prepared);
      closeRig = h.close;
      const from = performance.now();
      const left = n.budgetSeconds * 1000 - measuring;
      rounds[partitions] = await runRounds(h.work, n.rounds, left / (PARTITION_COUNTS.length - i), progress);
      measuring += performance.now() - from;
      const s = h.summarise();
      throughput.push(...s.throughput);
      latency.push(s.latency);
      await stop();
    }
    progress.end();
    finishMachine(machine);
    const result: TrackingResult = {
      suite: "tracking",
      date: new Date().toISOString(),
      quick,
      rounds,
      seconds: Math.round((performance.now() - started) / 1000),
      settings: { messagesPerRun: n.messages, messagesPerAppend: APPEND_BATCH, publishConnections: CONNECTIONS, appendsInFlightPerConnection: IN_FLIGHT, readMaxSize: MAX_SIZE, queriesPerRound: n.queries, queriesInFlight: QUERIES_IN_FLIGHT, appendRoundTripsPerRound: n.appends },
      machine,
      throughput,
      latency,
    };
    writeResults({ "tracking.json": JSON.stringify(result, null, 2) + "\n", "tracking.md": trackingReport(result), "tracking.svg": trackingChart(result) });
    process.stdout.write(throughputTable(throughput) + "\n\n" + latencyTable(latency, QUERIES_IN_FLIGHT) + "\n");
    process.stderr.write(`bench: ${result.seconds} s; wrote bench/results/tracking.md, tracking.json and tracking.svg\n`);
  });
}

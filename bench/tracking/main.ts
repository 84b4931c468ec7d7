/**
 * Suite "tracking": end-to-end publish → consume throughput for consumer groups of 1, 2 and 4
 * trackers on hubs of 1, 2 and 4 partitions (one hub per partition count, started once), each
 * beside the same run's publish-only rate; and query → handler → result latency beside one append
 * per WebSocket round trip. Writes bench/results/tracking.{md,json,svg}. Flags: `--quick` (smaller
 * runs, about a minute; the full suite takes about four). The rounds of each hub stop early (keeping
 * three) once its share of the time budget is spent.
 */
import { type Hub, startHub } from "../../test/support/hub";
import { MAX_SIZE, runPublishConsume } from "../shared/consume";
import { Progress } from "../shared/progress";
import { appendRoundTrips, startQueryRig } from "../shared/query";
import { int } from "../shared/report";
import { median, round, summariseLatency, summariseRate } from "../shared/stats";
import { type RoundWork, type SuiteContext, runRounds, runSuite } from "../shared/suite";
import { SPREAD, prepareAppend } from "../shared/ws-append";
import { type LatencyRow, type ThroughputRow, type TrackingFigures, latencyTable, throughputTable, trackingChart, trackingReport } from "./report";

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

async function measure(ctx: SuiteContext): Promise<TrackingFigures> {
  const n = sizes(ctx.quick);
  const prepared = await prepareAppend({ batch: APPEND_BATCH, messages: n.messages, ...SPREAD });
  const progress = new Progress(PARTITION_COUNTS.length * (TRACKER_COUNTS.length + 1) * (n.rounds + 1));
  const throughput: ThroughputRow[] = [];
  const latency: LatencyRow[] = [];
  const rounds: Record<number, number> = {};
  // The budget covers the rounds; starting the hubs comes on top.
  let measuring = 0;
  for (const [i, partitions] of PARTITION_COUNTS.entries()) {
    progress.note(`starting a hub with ${partitions} partition(s)`);
    const hub = await startHub({ partitions });
    ctx.closing(() => hub.dispose());
    const h = await hubWork(hub, partitions, n, prepared);
    ctx.closing(h.close);
    const from = performance.now();
    const left = n.budgetSeconds * 1000 - measuring;
    rounds[partitions] = await runRounds(h.work, n.rounds, left / (PARTITION_COUNTS.length - i), progress);
    measuring += performance.now() - from;
    const s = h.summarise();
    throughput.push(...s.throughput);
    latency.push(s.latency);
    await ctx.stop();
  }
  progress.end();
  return {
    rounds,
    settings: { messagesPerRun: n.messages, messagesPerAppend: APPEND_BATCH, publishConnections: SPREAD.connections, appendsInFlightPerConnection: SPREAD.inFlight, readMaxSize: MAX_SIZE, queriesPerRound: n.queries, queriesInFlight: QUERIES_IN_FLIGHT, appendRoundTripsPerRound: n.appends },
    throughput,
    latency,
  };
}

export function main(args: string[]): Promise<number> {
  return runSuite<TrackingFigures>(
    { name: "tracking", measure, markdown: trackingReport, chart: trackingChart, table: (r) => throughputTable(r.throughput) + "\n\n" + latencyTable(r.latency, QUERIES_IN_FLIGHT) },
    args,
  );
}

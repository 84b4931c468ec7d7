/**
 * Suite "sdk": the TypeScript SDK (src/client) beside the raw Flux protocol in the same run, on
 * one hub of one partition: publish throughput (1,000 messages per publish, STORED, 8 in flight on
 * one socket), publish → handler throughput (one tracker), and query → handler → result round
 * trips, one at a time. Writes bench/results/sdk.{md,json,svg}. Flags: `--quick` (smaller runs,
 * about 30 s; the full suite takes about two minutes).
 */
import { startHub } from "../../test/support/hub";
import { runPublishConsume, type ConsumeRun } from "../shared/consume";
import { Progress } from "../shared/progress";
import { startQueryRig } from "../shared/query";
import { int } from "../shared/report";
import { median, round, summariseLatency, summariseRate } from "../shared/stats";
import { type RoundWork, runRounds, runSuite } from "../shared/suite";
import { prepareAppend } from "../shared/ws-append";
import { type SdkFigures, sdkChart, sdkReport, sdkTable } from "./report";
import { payloadBatches, runSdkPublishConsume, startSdkQueryRig } from "./workloads";

const BATCH = 1000;
const IN_FLIGHT = 8;

function sizes(quick: boolean) {
  return quick ? { rounds: 3, budgetSeconds: 20, messages: 6_000, queries: 30 } : { rounds: 7, budgetSeconds: 100, messages: 20_000, queries: 100 };
}

/** A path's runs: rates per recorded round and pooled query round trips. */
interface Samples {
  runs: ConsumeRun[];
  queries: number[];
}

async function measure(quick: boolean, closing: (close: () => Promise<void>) => void): Promise<SdkFigures> {
  const n = sizes(quick);
  const hub = await startHub({ partitions: 1 });
  closing(() => hub.dispose());
  const prepared = await prepareAppend({ batch: BATCH, messages: n.messages, connections: 1, inFlight: IN_FLIGHT });
  const batches = payloadBatches(n.messages, BATCH);
  const rawRig = await startQueryRig(hub.wsUrl, "bench-raw-queries");
  closing(() => rawRig.close());
  const sdkRig = startSdkQueryRig(hub.wsUrl, "bench-sdk-queries");
  closing(() => sdkRig.close());
  const raw: Samples = { runs: [], queries: [] };
  const sdk: Samples = { runs: [], queries: [] };
  const rateText = (r: ConsumeRun) => `${int(r.consume)} msg/s consumed, ${int(r.publish)} msg/s published`;
  const queryText = (q: number[]) => `p50 ${median(q).toFixed(2)} ms`;
  const work: RoundWork[] = [
    {
      label: "raw publish → consume",
      async run(r) {
        const got = await runPublishConsume(hub.wsUrl, prepared, 1, `bench-raw-r${r}`);
        if (r > 0) raw.runs.push(got);
        return rateText(got);
      },
    },
    {
      label: "SDK publish → handler",
      async run(r) {
        const got = await runSdkPublishConsume(hub.wsUrl, batches, IN_FLIGHT, `bench-sdk-r${r}`);
        if (r > 0) sdk.runs.push(got);
        return rateText(got);
      },
    },
    {
      label: "raw query round trips",
      async run(r) {
        const got = await rawRig.roundTrips(n.queries, 1);
        if (r > 0) raw.queries.push(...got);
        return queryText(got);
      },
    },
    {
      label: "SDK query round trips",
      async run(r) {
        const got = await sdkRig.roundTrips(n.queries, 1);
        if (r > 0) sdk.queries.push(...got);
        return queryText(got);
      },
    },
  ];
  const progress = new Progress(work.length * (n.rounds + 1));
  const rounds = await runRounds(work, n.rounds, n.budgetSeconds * 1000, progress);
  progress.end();
  const figures = (s: Samples) => ({
    publish: summariseRate(s.runs.map((r) => r.publish)),
    consume: summariseRate(s.runs.map((r) => r.consume)),
    query: summariseLatency(s.queries),
  });
  const perRound = (key: keyof ConsumeRun) => round(median(sdk.runs.map((s, i) => s[key] / raw.runs[i][key])), 3);
  const [rawFigures, sdkFigures] = [figures(raw), figures(sdk)];
  return {
    rounds,
    settings: { messagesPerRun: n.messages, messagesPerPublish: BATCH, publishesInFlight: IN_FLIGHT, partitions: 1, trackers: 1, queriesPerRound: n.queries },
    raw: rawFigures,
    sdk: sdkFigures,
    sdkVsRaw: {
      publish: perRound("publish"),
      consume: perRound("consume"),
      queryP50: round(sdkFigures.query.p50 / rawFigures.query.p50, 2),
      queryP99: round(sdkFigures.query.p99 / rawFigures.query.p99, 2),
    },
  };
}

export function main(args: string[]): Promise<number> {
  return runSuite<SdkFigures>({ name: "sdk", measure: (ctx) => measure(ctx.quick, ctx.closing), markdown: sdkReport, chart: sdkChart, table: sdkTable }, args);
}

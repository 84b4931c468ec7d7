/**
 * Event sourcing workloads over `/eventSourcing` (and `/keyValue` for snapshots): appendEvents with
 * STORED to one aggregate and spread over a pool of 1,000 aggregates (created once, which is
 * measured too), and loading a 10,000-event stream through getEvents paging (8192 per page,
 * stopping at the first short page as the Java client does), without and with a snapshot.
 */
import type { Hub } from "../../test/support/hub";
import { FluxSocket, type Json, message } from "../../test/support/flux-socket";
import { payloadText } from "../shared/payload";
import { median } from "../shared/stats";
import { type Spread, encodeFrames, sendPipelined, timed } from "./wire";
import { type OneOff, type ServiceSet, type ServiceWorkload, sized } from "./workload";

/** Events per appendEvents request in both append workloads. */
const EVENTS_PER_REQUEST = 100;
/** Aggregates per request across many aggregates (each with EVENTS_PER_REQUEST / this events). */
const AGGREGATES_PER_REQUEST = 10;
const POOL_PROJECT = "svc-es-pool";
const STREAM_EVENTS = 10_000;
/** The snapshot covers the stream up to here, leaving the last 500 events to replay. */
const SNAPSHOT_SEQUENCE = 9_499;
const PAGE = 8192;
const LOAD_PROJECT = "svc-es-load";
const STREAM = "stream-10k";

const event = (i: number) => message(JSON.parse(payloadText(i)), { type: "com.example.BenchEvent" });

function appendBody(batches: Array<{ aggregateId: string; events: Json[] }>): Json {
  return { "@type": "appendEvents", eventBatches: batches.map((b) => ({ ...b, storeOnly: false })), guarantee: "STORED" };
}

/**
 * appendEvents requests of EVENTS_PER_REQUEST events in batches of `perBatch`; the n-th batch of
 * the run goes to aggregate `aggregateOf(n)`.
 */
function appendBodies(events: number, perBatch: number, aggregateOf: (n: number) => string): Json[] {
  const bodies: Json[] = [];
  for (let sent = 0, n = 0; sent < events; sent += EVENTS_PER_REQUEST) {
    const batches = Array.from({ length: EVENTS_PER_REQUEST / perBatch }, (_, b) => ({
      aggregateId: aggregateOf(n++),
      events: Array.from({ length: perBatch }, (_, k) => event(sent + b * perBatch + k)),
    }));
    bodies.push(appendBody(batches));
  }
  return bodies;
}

const oneAggregate = (events: number) => appendBodies(events, EVENTS_PER_REQUEST, () => "order-hot");
/** Requests for 10 aggregates each, the n-th batch to pool aggregate (first + n) % pool. */
const poolAggregates = (events: number, pool: number, first: number) =>
  appendBodies(events, EVENTS_PER_REQUEST / AGGREGATES_PER_REQUEST, (n) => `order-${(first + n) % pool}`);

/** Creates the pool's aggregates with their first ten events each; measured. */
async function createPool(hub: Hub, pool: number, spread: Spread): Promise<OneOff> {
  const events = pool * (EVENTS_PER_REQUEST / AGGREGATES_PER_REQUEST);
  const frames = await encodeFrames(poolAggregates(events, pool, 0), spread.connections);
  const seconds = await sendPipelined(hub.wsUrl, "eventSourcing", POOL_PROJECT, frames, spread.inFlight);
  return {
    id: "es-create", label: `appendEvents creating ${pool.toLocaleString("en-US")} aggregates, 10×10 events/request (once)`, service: "event sourcing",
    unit: "events/s", items: events, seconds, parts: [events / seconds],
    detail: `${pool.toLocaleString("en-US")} new aggregates with 10 events each in ${seconds.toFixed(1)} s`,
  };
}

/** Reads the stream after `after` page by page; resolves with the number of events read. */
async function readStream(es: FluxSocket, after: number): Promise<number> {
  let read = 0;
  for (let last = after; ; ) {
    const { result } = await timed(es, { "@type": "getEvents", aggregateId: STREAM, lastSequenceNumber: last, batchSize: PAGE }, "getEventsResult");
    read += result.eventBatch.events.length;
    last = result.lastSequenceNumber;
    if (result.eventBatch.events.length < PAGE) return read;
  }
}

/** Stores the 10,000-event stream and its snapshot in their own project, once per suite run. */
async function prepareStream(hub: Hub, spread: Spread): Promise<void> {
  const frames = await encodeFrames(appendBodies(STREAM_EVENTS, EVENTS_PER_REQUEST, () => STREAM), 1);
  await sendPipelined(hub.wsUrl, "eventSourcing", LOAD_PROJECT, frames, spread.inFlight);
  const state = Buffer.from(JSON.stringify({ sequenceNumber: SNAPSHOT_SEQUENCE, state: payloadText(-1).repeat(10) })).toString("base64");
  const kv = await FluxSocket.open(hub.wsUrl, "keyValue", { projectId: LOAD_PROJECT });
  const value = { value: state, type: "com.example.OrderSnapshot", revision: 0 };
  await timed(kv, { "@type": "storeValues", values: [{ key: `$snapshot_${STREAM}`, value }], guarantee: "STORED" }, "void");
  await kv.close();
}

/** Loads the stream `loads` times, restoring from the snapshot when `snapshot` is set. */
async function loadStream(hub: Hub, snapshot: boolean, loads: number): Promise<number[]> {
  const es = await FluxSocket.open(hub.wsUrl, "eventSourcing", { projectId: LOAD_PROJECT });
  const kv = await FluxSocket.open(hub.wsUrl, "keyValue", { projectId: LOAD_PROJECT });
  try {
    const latencies: number[] = [];
    for (let i = 0; i < loads; i++) {
      const start = performance.now();
      let after = -1;
      if (snapshot) {
        const { result } = await timed(kv, { "@type": "getValue", key: `$snapshot_${STREAM}` }, "getValueResult");
        after = JSON.parse(Buffer.from(result.value.value, "base64").toString()).sequenceNumber;
      }
      const read = await readStream(es, after);
      latencies.push(performance.now() - start);
      if (read !== STREAM_EVENTS - after - 1) throw new Error(`loaded ${read} events after ${after}, expected ${STREAM_EVENTS - after - 1}`);
    }
    return latencies;
  } finally {
    await Promise.all([es.close(), kv.close()]);
  }
}

/** The event sourcing workloads; stores the stream to load and creates the aggregate pool first. */
export async function eventSourcingWorkloads(hub: Hub, quick: boolean, spread: Spread): Promise<ServiceSet> {
  await prepareStream(hub, spread);
  const pool = quick ? 250 : 1_000;
  const created = await createPool(hub, pool, spread);
  const events = sized(8_000, quick, EVENTS_PER_REQUEST);
  // Ten batches per request: each batch is its own transaction, outbox flush and log append.
  const spreadEvents = sized(2_000, quick, EVENTS_PER_REQUEST);
  const loads = quick ? 3 : 5;
  const appendOne = await encodeFrames(oneAggregate(events), spread.connections);
  // Each round goes on where the previous one stopped in the pool.
  const appendPool = (r: number) => encodeFrames(poolAggregates(spreadEvents, pool, r * (spreadEvents / AGGREGATES_PER_REQUEST)), spread.connections);
  const load = (snapshot: boolean): ServiceWorkload["run"] => async () => {
    const latenciesMs = await loadStream(hub, snapshot, loads);
    return { rate: STREAM_EVENTS / (median(latenciesMs) / 1000), latenciesMs };
  };
  const common = { service: "event sourcing" as const, comparable: true };
  const workloads: ServiceWorkload[] = [
    {
      ...common, id: "es-append-one", label: "appendEvents, 1 aggregate, 100 events/request", unit: "events/s", items: events,
      run: async (r) => ({ rate: events / (await sendPipelined(hub.wsUrl, "eventSourcing", `svc-es-one-r${r}`, appendOne, spread.inFlight)) }),
    },
    {
      ...common, id: "es-append-pool", label: `appendEvents, ${pool.toLocaleString("en-US")} existing aggregates, 10×10 events/request`, unit: "events/s", items: spreadEvents,
      run: async (r) => {
        const frames = await appendPool(r);
        return { rate: spreadEvents / (await sendPipelined(hub.wsUrl, "eventSourcing", POOL_PROJECT, frames, spread.inFlight)) };
      },
    },
    { ...common, id: "es-load", label: "load 10,000-event stream (getEvents, 8192/page)", unit: "stream events/s", items: STREAM_EVENTS, run: load(false) },
    { ...common, id: "es-load-snapshot", label: "load it from a snapshot (getValue + last 500 events)", unit: "stream events/s", items: STREAM_EVENTS, run: load(true) },
  ];
  return { workloads, once: [created] };
}

/**
 * Workload: query → handler → result round trips through the raw Flux protocol, as Flux's
 * request/response works. A requester publishes a QUERY (source = its clientId, a requestId) and
 * tracks the RESULT log (filterMessageTarget, ignoreSegment, clientControlledIndex, a Read always
 * parked); a handler tracker reads the QUERY log and answers each query with a RESULT targeted at
 * the requester (STORED), then stores its position, as the SDK's consumers do. Beside it, the
 * baseline: one single-message STORED Append per WebSocket round trip.
 */
import { FluxSocket, type Json, message, payloadOf } from "../../test/support/flux-socket";
import { readRequest } from "../../test/support/tracking";
import { checked } from "./consume";

const REQUESTER = "bench-requester";
const HANDLER = "bench-handler";
const TIMEOUT_MS = 10_000;

/** A requester and a handler, connected once and measured repeatedly. */
export interface QueryRig {
  /** Runs `count` round trips, `inFlight` at a time; resolves with each one's milliseconds. */
  roundTrips(count: number, inFlight: number): Promise<number[]>;
  close(): Promise<void>;
}

/** Tracks a log with a parked Read at all times, calling `onBatch` for every non-empty batch. */
function trackLoop(socket: FluxSocket, consumer: string, trackerId: string, settings: Json, stopped: () => boolean, onBatch: (batch: Json) => Promise<void>) {
  let lastIndex: unknown = -1;
  return (async () => {
    while (!stopped()) {
      const batch = checked(await socket.request(readRequest(consumer, trackerId, { ...settings, lastIndex, maxTimeout: 5000 }), 60_000), "read").messageBatch;
      socket.received.length = 0;
      if (batch.messages.length === 0) continue;
      await onBatch(batch);
      lastIndex = batch.lastIndex ?? lastIndex;
    }
  })();
}

/** Connects a requester and a handler to `projectId`'s QUERY and RESULT logs. */
export async function startQueryRig(wsUrl: string, projectId: string): Promise<QueryRig> {
  const open = (path: string, clientId: string) => FluxSocket.open(wsUrl, path, { projectId, clientId, clientName: clientId });
  const [queries, results, handlerReads, handlerResults] = await Promise.all([
    open("tracking/publishquery", REQUESTER),
    open("tracking/readresult", REQUESTER),
    open("tracking/readquery", HANDLER),
    open("tracking/publishresult", HANDLER),
  ]);
  let stopped = false;
  const waiting = new Map<number, (at: number) => void>();
  const resultConsumer = `${REQUESTER}_$request-handler`;
  const resultLoop = trackLoop(results, resultConsumer, resultConsumer, { filterMessageTarget: true, ignoreSegment: true, clientControlledIndex: true }, () => stopped, async (batch) => {
    const at = performance.now();
    for (const m of batch.messages) waiting.get(Number(m.requestId))?.(at);
  });
  const handlerLoop = trackLoop(handlerReads, HANDLER, `${HANDLER}_0`, {}, () => stopped, async (batch) => {
    const answers = batch.messages.map((m: Json) => message(payloadOf(m), { target: m.source, requestId: m.requestId, segment: m.segment }));
    checked(await handlerResults.request({ "@type": "append", messages: answers, guarantee: "STORED" }, 60_000), "result append");
    checked(await handlerReads.request({ "@type": "storePosition", consumer: HANDLER, segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" }, 60_000), "storePosition");
    handlerReads.received.length = 0;
  });
  let nextRequestId = 0;
  const roundTrip = async (): Promise<number> => {
    const requestId = ++nextRequestId;
    const answered = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no result for query ${requestId} within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      waiting.set(requestId, (at) => {
        clearTimeout(timer);
        waiting.delete(requestId);
        resolve(at);
      });
    });
    const start = performance.now();
    await queries.send({ "@type": "append", messages: [message({ query: requestId }, { source: REQUESTER, requestId })], guarantee: "SENT" });
    return (await answered) - start;
  };
  return {
    roundTrips: (count, inFlight) => lanes(count, inFlight, roundTrip),
    async close() {
      stopped = true;
      await Promise.all([
        results.request({ "@type": "disconnectTracker", consumer: resultConsumer, trackerId: resultConsumer, sendFinalEmptyBatch: true, guarantee: "STORED" }),
        handlerReads.request({ "@type": "disconnectTracker", consumer: HANDLER, trackerId: `${HANDLER}_0`, sendFinalEmptyBatch: true, guarantee: "STORED" }),
      ]);
      await Promise.allSettled([resultLoop, handlerLoop]);
      await Promise.all([queries, results, handlerReads, handlerResults].map((s) => s.close()));
    },
  };
}

/** `count` single-message STORED Appends to `projectId`'s event log, one at a time; milliseconds each. */
export async function appendRoundTrips(wsUrl: string, projectId: string, count: number): Promise<number[]> {
  const socket = await FluxSocket.open(wsUrl, "tracking/publishevent", { projectId, clientId: "bench-appender", clientName: "bench" });
  try {
    return await lanes(count, 1, async () => {
      const start = performance.now();
      checked(await socket.request({ "@type": "append", messages: [message({ n: start })], guarantee: "STORED" }), "append");
      socket.received.length = 0;
      return performance.now() - start;
    });
  } finally {
    await socket.close();
  }
}

/** Runs `once` `count` times, `inFlight` at a time; resolves with every result. */
export async function lanes(count: number, inFlight: number, once: () => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  let started = 0;
  const lane = async () => {
    while (started < count) {
      started++;
      out.push(await once());
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return out;
}

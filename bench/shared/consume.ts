/**
 * Workload: publish → consume through the raw Flux protocol. A backlog of 200-byte events (segments
 * hashed from their random message ids, so spread over all 128) is published with 1,000-message
 * STORED Appends (bench/ws-append.ts, timed: the publish-only baseline of the same run), then one
 * consumer group of N trackers, each on its own socket, drains it as the Java client does:
 * long-poll Read (maxSize 1024), StorePosition (STORED) with the batch's segment and lastIndex,
 * Read again. The clock runs from the first Read to the last message's StorePosition.
 */
import { FluxSocket, type Json } from "../../test/support/flux-socket";
import { readRequest } from "../../test/support/tracking";
import { type PreparedAppend, runAppend } from "./ws-append";

export const CONSUMER = "bench-consumer";
/** Most messages per Read, as the Java client asks. */
export const MAX_SIZE = 1024;

/** What one run measured, in messages per second. */
export interface ConsumeRun {
  publish: number;
  consume: number;
}

/** Publishes `prepared` to a fresh event log of `projectId`, then drains it with `trackers` trackers. */
export async function runPublishConsume(wsUrl: string, prepared: PreparedAppend, trackers: number, projectId: string): Promise<ConsumeRun> {
  const messages = prepared.plan.messages;
  const publish = messages / (await runAppend(wsUrl, prepared, projectId));
  return { publish, consume: messages / (await drain(wsUrl, projectId, trackers, messages)) };
}

/** Drains `messages` from the event log with a group of `trackers`; resolves with the seconds it took. */
async function drain(wsUrl: string, projectId: string, trackers: number, messages: number): Promise<number> {
  const sockets = await Promise.all(
    Array.from({ length: trackers }, (_, t) => FluxSocket.open(wsUrl, "tracking/readevent", { projectId, clientId: `bench-tracker-${t}`, clientName: "bench" })),
  );
  let received = 0;
  let finished: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const track = async (socket: FluxSocket, trackerId: string) => {
    while (received < messages) {
      const batch = checked(await socket.request(readRequest(CONSUMER, trackerId, { lastIndex: -1, maxSize: MAX_SIZE, maxTimeout: 5000 }), 60_000), "read").messageBatch;
      if (batch.messages.length > 0) {
        checked(await socket.request({ "@type": "storePosition", consumer: CONSUMER, segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" }, 60_000), "storePosition");
        received += batch.messages.length;
        if (received >= messages) finished();
      }
      socket.received.length = 0;
    }
  };
  try {
    const start = performance.now();
    const lanes = sockets.map((s, t) => track(s, `bench-tracker-${t}`));
    await Promise.race([done, Promise.all(lanes)]);
    const seconds = (performance.now() - start) / 1000;
    if (received !== messages) throw new Error(`consumed ${received} messages of ${messages}`);
    // The other trackers are parked: DisconnectTracker answers their Reads, so every lane ends.
    await Promise.all(sockets.map((s, t) => s.request({ "@type": "disconnectTracker", consumer: CONSUMER, trackerId: `bench-tracker-${t}`, sendFinalEmptyBatch: true, guarantee: "STORED" })));
    await Promise.all(lanes);
    return seconds;
  } finally {
    await Promise.all(sockets.map((s) => s.close()));
  }
}

/** The result itself, unless the hub answered with an error. */
export function checked(result: Json, what: string): Json {
  if (result["@type"] === "error") throw new Error(`${what} failed: ${result.message}`);
  return result;
}

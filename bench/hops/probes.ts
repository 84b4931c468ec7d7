/**
 * Probes for the per-hop breakdown of a round trip. Time inside workerd only advances across I/O,
 * so hops are measured from outside, each probe adding one hop to the one before:
 * a request answered by the session alone; one that also visits the Consumer (getPosition); a
 * STORED append (the partition and its commit); a publish answered as a push to a Read parked on
 * another socket (the commit and the push); and the full query → handler → result round trip.
 */
import { connect } from "../../src/client";
import { FluxSocket, message, payloadOf } from "../../test/support/flux-socket";
import { readRequest } from "../../test/support/tracking";
import { checked } from "../shared/consume";
import { lanes, startQueryRig } from "../shared/query";

/** The probes, in the order each adds a hop. */
export const HOPS = ["session", "consumer", "append", "push", "query", "sdkQuery"] as const;
export type Hop = (typeof HOPS)[number];

/** Times `count` round trips of every probe on `projectId`; milliseconds per probe. */
export async function probeHops(wsUrl: string, projectId: string, count: number): Promise<Record<Hop, number[]>> {
  const open = (path: string, clientId: string) => FluxSocket.open(wsUrl, path, { projectId, clientId, clientName: clientId });
  const [reader, publisher, other] = await Promise.all([open("tracking/readevent", "hop-reader"), open("tracking/publishevent", "hop-publisher"), open("tracking/readevent", "hop-other")]);
  const timed = (once: () => Promise<unknown>) => lanes(count, 1, async () => {
    const start = performance.now();
    await once();
    return performance.now() - start;
  });
  try {
    const session = await timed(() => reader.request({ "@type": "nothingLikeThis" }));
    const consumer = await timed(() => reader.request({ "@type": "getPosition", consumer: "hops" }));
    const append = await timed(async () => checked(await publisher.request({ "@type": "append", messages: [message({ n: 1 })], guarantee: "STORED" }), "append"));
    // A Read parked on `other`, answered by a SENT append from `publisher`. Every batch's position
    // is stored before the next Read, so that Read parks, and each batch must carry the message just
    // published (a stale one would time nothing).
    const store = async (batch: { segment: unknown; lastIndex: unknown }) =>
      batch.lastIndex === null ? undefined : checked(await other.request({ "@type": "storePosition", consumer: "hops-push", segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" }), "storePosition");
    let lastIndex: unknown = null;
    for (let caughtUp = false; !caughtUp; ) {
      const batch = checked(await other.request(readRequest("hops-push", "hops-push-0", { lastIndex, maxTimeout: 50 })), "read").messageBatch;
      await store(batch);
      lastIndex = batch.lastIndex ?? lastIndex;
      caughtUp = batch.messages.length === 0;
    }
    let sent = 0;
    const push = await lanes(count, 1, async () => {
      const read = other.request(readRequest("hops-push", "hops-push-0", { lastIndex, maxTimeout: 5000 }), 10_000);
      await new Promise((r) => setTimeout(r, 5));
      const n = ++sent;
      const start = performance.now();
      await publisher.send({ "@type": "append", messages: [message({ push: n })], guarantee: "SENT" });
      const batch = checked(await read, "read").messageBatch;
      const took = performance.now() - start;
      if (batch.messages.length !== 1 || payloadOf(batch.messages[0]).push !== n) throw new Error(`push probe: the Read was answered with ${batch.messages.length} other message(s), not the one just published`);
      await store(batch);
      lastIndex = batch.lastIndex ?? lastIndex;
      return took;
    });
    const rig = await startQueryRig(wsUrl, `${projectId}-query`);
    try {
      await rig.roundTrips(5, 1);
      const query = await rig.roundTrips(count, 1);
      const sdkQuery = await sdkQueries(wsUrl, `${projectId}-sdk`, count);
      return { session, consumer, append, push, query, sdkQuery };
    } finally {
      await rig.close();
    }
  } finally {
    for (const s of [reader, publisher, other]) s.received.length = 0;
    await Promise.all([reader, publisher, other].map((s) => s.close()));
  }
}

/** `count` SDK query → handler → result round trips, one at a time (what an application sees). */
export async function sdkQueries(wsUrl: string, projectId: string, count: number): Promise<number[]> {
  const handler = connect({ url: wsUrl, projectId, clientName: "hop-handler" });
  const asker = connect({ url: wsUrl, projectId, clientName: "hop-asker" });
  const consumer = handler.consume({ consumer: "echo", messageType: "QUERY", maxTimeoutMs: 5_000, handler: (m) => m.payload });
  try {
    await consumer.ready();
    for (let i = 0; i < 10; i++) await asker.query({ warm: i }, { timeoutMs: 10_000 });
    return await lanes(count, 1, async () => {
      const start = performance.now();
      await asker.query({ n: 1 }, { timeoutMs: 10_000 });
      return performance.now() - start;
    });
  } finally {
    await consumer.stop();
    await Promise.all([asker.close(), handler.close()]);
  }
}

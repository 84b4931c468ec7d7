/**
 * The push path under a crash: a Read parked at a partition is answered from the commit, before
 * the commit is durable. Killing the runtime must never lose an acknowledged message, and a batch
 * pushed but not acknowledged by StorePosition is delivered again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FluxSocket, message, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { readRequest } from "../support/tracking";

const hubs: Hub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.dispose();
});

describe("pushed batches survive a crash", () => {
  it("redelivers a pushed batch whose position was not stored when the runtime was killed", async () => {
    const first = await startHub();
    hubs.push(first);
    const reader = await FluxSocket.open(first.wsUrl, "tracking/readevent", { clientId: "pushed" });
    const pub = await FluxSocket.open(first.wsUrl, "tracking/publishevent", { clientId: "pub" });
    // The Read parks at the partition first; the append's commit answers it.
    const parked = reader.request(readRequest("push-crash", "t1", { lastIndex: -1, maxTimeout: 10_000 }), 15_000);
    await new Promise((r) => setTimeout(r, 200));
    await pub.request({ "@type": "append", messages: [message("a"), message("b")], guarantee: "STORED" });
    const batch = (await parked).messageBatch;
    expect(batch.messages.map(payloadOf)).toEqual(["a", "b"]);
    await first.crash();

    const second = await startHub({ dataDir: first.dataDir });
    hubs.push(second);
    const again = await FluxSocket.open(second.wsUrl, "tracking/readevent", { clientId: "pushed" });
    const redelivered = (await again.request(readRequest("push-crash", "t2", { lastIndex: -1, maxTimeout: 1000 }))).messageBatch;
    expect(redelivered.messages.map(payloadOf)).toEqual(["a", "b"]);
    await again.close();
  });

  it("loses no acknowledged message pushed to a parked reader while the runtime is killed mid-stream", async () => {
    const first = await startHub();
    hubs.push(first);
    const reader = await FluxSocket.open(first.wsUrl, "tracking/readevent", { clientId: "reader" });
    const pub = await FluxSocket.open(first.wsUrl, "tracking/publishevent", { clientId: "pub" });
    const seen = new Set<number>();
    let stopped = false;
    let lastIndex: unknown = -1;
    // The reader stores each batch's position in the frame of its next Read, as the SDK does.
    const reading = (async () => {
      let store: Record<string, unknown> | null = null;
      while (!stopped) {
        const requests = [...(store ? [store] : []), readRequest("push-stream", "t1", { lastIndex, maxTimeout: 2000 })];
        const ids = await reader.send(...requests).catch(() => null);
        const r = ids && (await reader.result(ids[ids.length - 1], 5_000).catch(() => null));
        if (!r?.messageBatch) break;
        for (const m of r.messageBatch.messages) seen.add(payloadOf(m));
        lastIndex = r.messageBatch.lastIndex ?? lastIndex;
        store = r.messageBatch.messages.length > 0 ? { "@type": "storePosition", consumer: "push-stream", segment: r.messageBatch.segment, lastIndex, guarantee: "STORED" } : null;
        reader.received.length = 0;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const acked: number[] = [];
    const pending: Promise<unknown>[] = [];
    for (let n = 0; n < 400; n++) {
      pending.push(pub.request({ "@type": "append", messages: [message(n)], guarantee: "STORED" }, 5_000).then(() => acked.push(n), () => {}));
      if (n === 250) {
        // Mid-stream: once some appends are acknowledged (a busy machine may not have acked any yet).
        for (let waited = 0; acked.length === 0 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
        void first.crash();
      }
      if (n % 10 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.allSettled(pending);
    stopped = true;
    await reading;
    expect(acked.length).toBeGreaterThan(0);

    const second = await startHub({ dataDir: first.dataDir });
    hubs.push(second);
    const check = await FluxSocket.open(second.wsUrl, "tracking/readevent");
    const stored = new Set(((await check.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 8192 })).messages as any[]).map(payloadOf));
    // The reader was being answered by pushes when the runtime died, and every acknowledged
    // message is in the log (a push may go out before its commit is durable; the ack never does).
    expect(seen.size).toBeGreaterThan(0);
    for (const n of acked) expect(stored.has(n)).toBe(true);
    // Resuming from its stored position, the consumer skips nothing the log holds: what it was
    // pushed before the crash and what it reads now cover every stored message.
    const resumed = await FluxSocket.open(second.wsUrl, "tracking/readevent", { clientId: "reader" });
    for (let caughtUp = false; !caughtUp; ) {
      const batch = (await resumed.request(readRequest("push-stream", "t2", { maxTimeout: 200 }), 5_000)).messageBatch;
      for (const m of batch.messages) seen.add(payloadOf(m));
      if (batch.messages.length > 0) await resumed.request({ "@type": "storePosition", consumer: "push-stream", segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" });
      caughtUp = batch.messages.length === 0;
      resumed.received.length = 0;
    }
    for (const n of stored) expect(seen.has(n)).toBe(true);
    await Promise.all([check.close(), resumed.close()]);
  });
});

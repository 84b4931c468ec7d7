import { afterAll, describe, expect, it } from "vitest";
import { FluxSocket, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { publish, readRequest } from "../support/tracking";

const hubs: Hub[] = [];
afterAll(async () => {
  for (const h of hubs) await h.dispose();
});

/** Reads one batch for the tracker and stores its position unless told not to. */
async function consumeBatch(s: FluxSocket, trackerId: string, store = true) {
  const batch = (await s.request(readRequest("crashy", trackerId, { lastIndex: -1, maxSize: 50, maxTimeout: 500 }))).messageBatch;
  if (store && batch.lastIndex !== null) {
    await s.request({ "@type": "storePosition", consumer: "crashy", segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" });
  }
  return batch;
}

describe("tracking survives a crash", () => {
  it("redelivers the unacknowledged batch after the runtime is killed; nothing is skipped", async () => {
    const first = await startHub({ partitions: 2 });
    hubs.push(first);
    const sent = await publish(first.wsUrl, "custom", Array.from({ length: 300 }, (_, i) => i), (i) => ({ segment: (i * 7) % 128 }), { topic: "crash" });
    const s = await FluxSocket.open(first.wsUrl, "tracking/readcustom", { clientId: "c", topic: "crash" });
    const processed: number[] = [];
    for (let i = 0; i < 2; i++) processed.push(...(await consumeBatch(s, "before-crash")).messages.map(payloadOf));
    const inFlight = (await consumeBatch(s, "before-crash", false)).messages.map(payloadOf);
    expect(inFlight.length).toBeGreaterThan(0);
    // Each full batch had its partition read the next one ahead, in memory only: gone with the crash.
    await new Promise((r) => setTimeout(r, 50));
    await first.crash();

    const second = await startHub({ partitions: 2, dataDir: first.dataDir });
    hubs.push(second);
    const again = await FluxSocket.open(second.wsUrl, "tracking/readcustom", { clientId: "c", topic: "crash" });
    const after: number[] = [];
    for (let i = 0; i < 20; i++) {
      // A restarted client comes back with a new tracker id; the dead tracker must not keep segments.
      const batch = await consumeBatch(again, "after-restart");
      if (batch.messages.length === 0) break;
      after.push(...batch.messages.map(payloadOf));
    }
    expect(after.length).toBeGreaterThan(0);
    // At least once: the batch that was never acknowledged comes again.
    for (const n of inFlight) expect(after).toContain(n);
    // Nothing skipped, nothing acknowledged delivered twice.
    expect(new Set([...processed, ...after])).toEqual(new Set(sent.map((_, i) => i)));
    expect(after.filter((n) => processed.includes(n))).toEqual([]);
    await again.close();
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { FluxSocket, message, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";

const hubs: Hub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.dispose();
});

async function readAll(hub: Hub, path: string, params: Record<string, string> = {}): Promise<any[]> {
  const reader = await FluxSocket.open(hub.wsUrl, path, params);
  const res = await reader.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 8192 });
  await reader.close();
  return res.messages;
}

describe("acknowledged messages survive the runtime", () => {
  it("keeps STORED appends across a clean restart", async () => {
    const first = await startHub({ partitions: 2 });
    const pub = await FluxSocket.open(first.wsUrl, "tracking/publishevent");
    const sent = Array.from({ length: 500 }, (_, i) => message(i, { segment: i % 128 }));
    for (let i = 0; i < sent.length; i += 100) {
      await pub.request({ "@type": "append", messages: sent.slice(i, i + 100), guarantee: "STORED" });
    }
    await pub.close();
    await first.stop();
    const second = await startHub({ partitions: 2, dataDir: first.dataDir });
    hubs.push(second);
    const read = await readAll(second, "tracking/readevent");
    expect(read.map(payloadOf).sort((a, b) => a - b)).toEqual(sent.map((_, i) => i));
  });

  it("keeps every acknowledged append when the runtime is killed mid-stream, and dedupes the retries", async () => {
    const first = await startHub();
    const pub = await FluxSocket.open(first.wsUrl, "tracking/publishcommand");
    const acked: any[] = [];
    const inFlight: Promise<unknown>[] = [];
    const batches = Array.from({ length: 40 }, (_, b) => Array.from({ length: 50 }, (_, i) => message(b * 50 + i)));
    // Pipeline appends and kill the runtime while some are still unanswered.
    for (const batch of batches) {
      inFlight.push(pub.request({ "@type": "append", messages: batch, guarantee: "STORED" }, 5000).then(() => acked.push(...batch), () => {}));
      if (acked.length >= 500) break;
      await new Promise((r) => setTimeout(r, 2));
    }
    await first.crash();
    await Promise.allSettled(inFlight);
    expect(acked.length).toBeGreaterThan(0);
    const second = await startHub({ dataDir: first.dataDir });
    hubs.push(second);
    const ids = new Set((await readAll(second, "tracking/readcommand")).map((m) => m.messageId));
    for (const m of acked) expect(ids.has(m.messageId)).toBe(true);
    // A client retries everything it sent; acknowledged messages are not stored twice.
    const retry = await FluxSocket.open(second.wsUrl, "tracking/publishcommand");
    for (const batch of batches) await retry.request({ "@type": "append", messages: batch, guarantee: "STORED" });
    await retry.close();
    const after = await readAll(second, "tracking/readcommand");
    expect(after).toHaveLength(2000);
    expect(new Set(after.map((m) => m.messageId)).size).toBe(2000);
  });
});

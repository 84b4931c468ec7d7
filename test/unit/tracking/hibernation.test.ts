import { SELF, evictAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";

/** Opens a Flux socket through the real Worker; NONE compression lets frames be plain JSON text. */
async function connect(path: string): Promise<{ ws: WebSocket; next: () => Promise<any> }> {
  const res = await SELF.fetch(`http://hub/${path}&clientId=c1&clientName=test&compression=NONE`, { headers: { upgrade: "websocket" } });
  const ws = res.webSocket!;
  ws.accept();
  const queue: any[] = [];
  const waiters: ((v: any) => void)[] = [];
  ws.addEventListener("message", async (e) => {
    // Flux frames are binary; here they arrive as Blobs.
    const text = typeof e.data === "string" ? e.data : await (e.data as unknown as Blob).text();
    const value = JSON.parse(text);
    const w = waiters.shift();
    if (w) w(value);
    else queue.push(value);
  });
  return { ws, next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiters.push(r))) };
}

describe("hibernation", () => {
  it("wakes a parked Read after every object was evicted", async () => {
    const { ws, next } = await connect("tracking/readcustom?topic=hibernate");
    ws.send(JSON.stringify({ "@type": "read", requestId: 1, consumer: "sleepy", trackerId: "t1", maxSize: 10, maxTimeout: 30_000, lastIndex: -1 }));
    await new Promise((r) => setTimeout(r, 200));
    await evictAllDurableObjects();
    const res = await SELF.fetch("http://hub/api/projects/public/logs/custom/messages?topic=hibernate", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ messages: [{ payload: "wake up" }] }),
    });
    expect(res.status).toBe(200);
    const result = await next();
    expect(result.requestId).toBe(1);
    expect(result.messageBatch.messages).toHaveLength(1);
    expect(result.messageBatch.segment).toEqual([0, 128]);
    ws.close(1000);
  });
});

describe("hibernation at the deadline", () => {
  it("answers a parked Read empty at its deadline after every object was evicted", async () => {
    const { ws, next } = await connect("tracking/readcustom?topic=deadline");
    ws.send(JSON.stringify({ "@type": "read", requestId: 2, consumer: "sleepy", trackerId: "t1", maxSize: 10, maxTimeout: 1500, lastIndex: -1 }));
    // Long enough for the partition to write the parked Read down.
    await new Promise((r) => setTimeout(r, 400));
    await evictAllDurableObjects();
    const result = await next();
    expect(result.requestId).toBe(2);
    expect(result.messageBatch).toMatchObject({ messages: [], caughtUp: true, segment: [0, 128] });
    ws.close(1000);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { type Hub, startHub } from "../support/hub";

const hubs: Hub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.dispose();
});

const publish = (hub: Hub, path: string, messages: unknown[]) =>
  fetch(`${hub.url}/api/projects/shop/logs/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ messages }) });

async function audit(hub: Hub, query: string): Promise<any> {
  const res = await fetch(`${hub.url}/api/projects/shop/audit/${query}`);
  expect(res.status, query).toBe(200);
  return res.json();
}

/** Waits until the audit trail has `count` hits for `query` (the feed runs about a second after appends). */
async function eventually(hub: Hub, query: string, count: number): Promise<any[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { hits } = await audit(hub, query);
    if (hits.length >= count || Date.now() > deadline) return hits;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("the audit trail on a real hub", () => {
  it("catches up after the runtime is killed before the feed ran, and leads to the full messages", async () => {
    const first = await startHub({ partitions: 4 });
    const orders = Array.from({ length: 200 }, (_, i) => ({ payload: { i }, type: "OrderPlaced", routingKey: `o-${i}`, messageId: `order-${i}`, metadata: { $correlationId: `c-${i % 10}` } }));
    for (let i = 0; i < orders.length; i += 50) expect((await publish(first, "event/messages", orders.slice(i, i + 50))).status).toBe(200);
    expect((await publish(first, "custom/messages?topic=audit-log", [{ payload: { x: 1 }, type: "Audited", messageId: "custom-1", metadata: { $traceId: "t-1" } }])).status).toBe(200);
    // The feed's alarms are a second away: no partition has fed the audit trail yet.
    expect((await audit(first, "lag")).partitions).toEqual([]);
    await first.crash();

    const second = await startHub({ partitions: 4, dataDir: first.dataDir });
    hubs.push(second);
    const all = await eventually(second, "messages?limit=1000", 201);
    expect(all).toHaveLength(201);
    expect(new Set(all.map((h) => h.messageId)).size).toBe(201);

    expect((await audit(second, "messages?correlationId=c-3")).hits).toHaveLength(20);
    expect((await audit(second, "messages?messageId=order-42")).hits.map((h: any) => h.messageId)).toEqual(["order-42"]);
    const [custom] = (await audit(second, "messages?traceId=t-1")).hits;
    expect(custom).toMatchObject({ type: "CUSTOM", topic: "audit-log", messageId: "custom-1", payloadType: "Audited" });

    const full = await audit(second, `messages/CUSTOM/${custom.index}?topic=audit-log&partition=${custom.partition}`);
    expect(full.message).toMatchObject({ messageId: "custom-1", metadata: { $traceId: "t-1" }, data: { type: "Audited" } });

    const lag = await audit(second, "lag");
    expect(lag).toMatchObject({ messagesBehind: 0, truncated: false });
    expect(lag.partitions.length).toBeGreaterThanOrEqual(5);
  });
});

// The audit trail inside workerd: the feed from LogPartition alarms into the real D1, and the HTTP
// routes that search it, lead to full messages and report the feed's lag.
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { LogPartition } from "../../../durable-objects/LogPartition";
import { FEED_BATCH } from "../../../src/audit/feed";
import { HubError } from "../../../src/errors";
import { auditRoutes } from "../../../src/http/audit";
import type { LogAddress } from "../../../src/log/log-address";
import { appendToLog, partitionStub, setRetention } from "../../../src/log/log-client";
import { partitionCount } from "../../../src/log/partition-map";
import { toBase64 } from "../../../src/protocol/base64";

const app = new Hono<{ Bindings: Cloudflare.Env }>().route("/api/projects/:projectId/audit", auditRoutes);
app.onError((err, c) => (err instanceof HubError ? c.json(err.toJSON(), err.status as 400) : c.json({ error: "internal", message: String(err) }, 500)));
const get = async (path: string) => app.request(path, {}, env);
const getJson = async (path: string) => (await get(path)).json<any>();

function message(n: number, extra: { type?: string; metadata?: Record<string, string>; segment?: number } = {}) {
  return {
    data: { value: toBase64(new TextEncoder().encode(JSON.stringify({ n }))), type: extra.type ?? "com.example.OrderPlaced", revision: 0, format: "json" },
    metadata: extra.metadata ?? {},
    messageId: `m-${n}`,
    timestamp: 1_700_000_000_000 + n,
    segment: extra.segment ?? n % 128,
  };
}

/** Runs every partition's alarm until none is armed: the feed has caught up. */
async function feedAll(e: Cloudflare.Env, log: LogAddress): Promise<void> {
  for (let p = 0; p < partitionCount(e); p++) while (await runDurableObjectAlarm(partitionStub(e, log, p)));
}

async function auditedCount(projectId: string): Promise<number> {
  return (await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_messages WHERE project_id = ?").bind(projectId).first<{ n: number }>())!.n;
}

describe("audit feed", () => {
  it("does no D1 work in append: it arms the partition's alarm, which writes the rows", async () => {
    const log: LogAddress = { projectId: "audit-feed-1", type: "EVENT", topic: null };
    await appendToLog(env, log, [message(1), message(2)]);
    await appendToLog(env, log, [message(3)]);
    const stub = partitionStub(env, log, 0);
    await runInDurableObject(stub, async (_p: LogPartition, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
    expect(await auditedCount(log.projectId)).toBe(0);

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await auditedCount(log.projectId)).toBe(3);
    // Caught up: the alarm did not re-arm.
    await runInDurableObject(stub, async (_p: LogPartition, state) => expect(await state.storage.getAlarm()).toBeNull());
    expect(await stub.auditLag()).toMatchObject({ messagesBehind: 0, secondsBehind: 0 });
  });

  it("feeds a bounded batch per run, re-arms while behind, and a repeated run adds nothing", async () => {
    const log: LogAddress = { projectId: "audit-feed-2", type: "COMMAND", topic: null };
    const total = FEED_BATCH + 500;
    await appendToLog(env, log, Array.from({ length: total }, (_, i) => message(i)));
    const stub = partitionStub(env, log, 0);
    expect(await stub.auditLag()).toMatchObject({ messagesBehind: total, fedTo: -1n });

    await runDurableObjectAlarm(stub);
    expect(await auditedCount(log.projectId)).toBe(FEED_BATCH);
    await runInDurableObject(stub, async (_p: LogPartition, state) => expect(await state.storage.getAlarm()).toBeLessThanOrEqual(Date.now()));
    expect((await stub.auditLag()).messagesBehind).toBe(total - FEED_BATCH);

    await feedAll(env, log);
    expect(await auditedCount(log.projectId)).toBe(total);

    // As after a crash between the D1 write and the cursor update: everything is written again.
    await runInDurableObject(stub, async (_p: LogPartition, state) => {
      state.storage.sql.exec("UPDATE audit_feed SET fed_to = -1");
      await state.storage.setAlarm(Date.now());
    });
    await runInDurableObject(stub, (p: LogPartition) => p.alarm());
    await feedAll(env, log);
    expect(await auditedCount(log.projectId)).toBe(total);
  });

  it("labels rows with the partition of each message and lists every partition's lag", async () => {
    const four = { ...env, PARTITIONS: "4" };
    const log: LogAddress = { projectId: "audit-feed-3", type: "CUSTOM", topic: "orders" };
    await appendToLog(four, log, Array.from({ length: 8 }, (_, i) => message(i, { segment: i * 16 })));
    let lag = await getJson("/api/projects/audit-feed-3/audit/lag");
    // Partitions appear once their feed has run.
    expect(lag.partitions).toEqual([]);

    await runDurableObjectAlarm(partitionStub(four, log, 0));
    lag = await getJson("/api/projects/audit-feed-3/audit/lag");
    expect(lag.partitions).toHaveLength(1);
    await feedAll(four, log);
    lag = await getJson("/api/projects/audit-feed-3/audit/lag");
    expect(lag).toMatchObject({ messagesBehind: 0, secondsBehind: 0, truncated: false });
    expect(lag.partitions.map((p: any) => [p.type, p.topic, p.partition, p.messagesBehind])).toEqual([0, 1, 2, 3].map((p) => ["CUSTOM", "orders", p, 0]));
    expect(lag.partitions[0].fedTo).toBe(lag.partitions[0].head);

    const hits = (await getJson("/api/projects/audit-feed-3/audit/messages?topic=orders")).hits;
    expect(hits.map((h: any) => [h.messageId, h.partition]).sort()).toEqual(Array.from({ length: 8 }, (_, i) => [`m-${i}`, Math.floor(i / 2)]).sort());
  });

  it("shows the lag of appends the feed has not run for", async () => {
    const log: LogAddress = { projectId: "audit-feed-4", type: "EVENT", topic: null };
    await appendToLog(env, log, [message(1)]);
    await feedAll(env, log);
    await appendToLog(env, log, [message(2), message(3)]);
    const lag = await getJson("/api/projects/audit-feed-4/audit/lag");
    expect(lag.messagesBehind).toBe(2);
    expect(lag.partitions[0]).toMatchObject({ type: "EVENT", topic: null, partition: 0, messagesBehind: 2, capped: false });
    expect(BigInt(lag.partitions[0].head)).toBeGreaterThan(BigInt(lag.partitions[0].fedTo));
    expect(lag.secondsBehind).toBeGreaterThanOrEqual(0);
  });
});

describe("audit routes", () => {
  const projectId = "audit-http";
  const base = `/api/projects/${projectId}/audit`;
  const events: LogAddress = { projectId, type: "EVENT", topic: null };
  const commands: LogAddress = { projectId, type: "COMMAND", topic: null };
  let seeded: Promise<void> | null = null;
  // 30 events and 10 commands; every fifth message shares a correlation id, commands carry a trace.
  const seed = () =>
    (seeded ??= (async () => {
      await appendToLog(env, events, Array.from({ length: 30 }, (_, i) => message(i, { metadata: i % 5 === 0 ? { $correlationId: "corr-5" } : { $correlationId: `corr-${i}` } })));
      await appendToLog(env, commands, Array.from({ length: 10 }, (_, i) => message(100 + i, { type: "com.example.PlaceOrder", metadata: { $traceId: "trace-1", $correlationId: "corr-5" } })));
      await feedAll(env, events);
      await feedAll(env, commands);
    })());
  const ids = async (query: string) => ((await getJson(`${base}/messages?${query}`)).hits as any[]).map((h) => h.messageId);

  it("finds messages by type, messageId, correlation id, trace id and payload type", async () => {
    await seed();
    expect(await ids("type=event&limit=1000")).toHaveLength(30);
    expect(await ids("type=COMMAND")).toEqual(Array.from({ length: 10 }, (_, i) => `m-${109 - i}`));
    expect(await ids("messageId=m-7")).toEqual(["m-7"]);
    expect((await ids("correlationId=corr-5")).sort()).toEqual(["m-0", "m-10", "m-15", "m-20", "m-25", "m-5", ...Array.from({ length: 10 }, (_, i) => `m-${100 + i}`)].sort());
    expect(await ids("correlationId=corr-5&type=EVENT")).toHaveLength(6);
    expect(await ids("traceId=trace-1")).toHaveLength(10);
    expect(await ids("payloadType=com.example.PlaceOrder&limit=3")).toEqual(["m-109", "m-108", "m-107"]);
    expect(await ids("payloadType=com.example.Nothing")).toEqual([]);

    const [hit] = (await getJson(`${base}/messages?messageId=m-103`)).hits;
    expect(hit).toMatchObject({
      type: "COMMAND", topic: null, partition: 0, timestamp: 1_700_000_000_103, messageId: "m-103",
      payloadType: "com.example.PlaceOrder", correlationId: "corr-5", traceId: "trace-1",
      metadata: { $traceId: "trace-1", $correlationId: "corr-5" },
    });
    expect(hit.index).toMatch(/^\d+$/);
    expect(Math.abs(hit.appendedAt - Date.now())).toBeLessThan(60_000);
  });

  it("finds messages by time range (when the hub stored them)", async () => {
    await seed();
    const [newest] = (await getJson(`${base}/messages?limit=1`)).hits;
    expect(await ids(`since=${newest.appendedAt}&limit=1000`)).toContain(newest.messageId);
    expect(await ids(`until=${newest.appendedAt}&limit=1000`)).not.toContain(newest.messageId);
    expect(await ids(`since=${new Date(newest.appendedAt + 1).toISOString()}`)).toEqual([]);
    expect(await ids(`until=2000-01-01T00:00:00Z`)).toEqual([]);
  });

  it("pages newest first, each hit exactly once", async () => {
    await seed();
    const seen: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await getJson(`${base}/messages?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.hits);
      cursor = page.next;
    } while (cursor);
    expect(seen).toHaveLength(40);
    expect(new Set(seen.map((h) => h.messageId)).size).toBe(40);
    const order = seen.map((h) => BigInt(h.index));
    for (let i = 1; i < order.length; i++) expect(order[i] <= order[i - 1]).toBe(true);
  });

  it("leads from a hit to the full message, and answers with the keys once the log purged it", async () => {
    const log: LogAddress = { projectId: "audit-full", type: "EVENT", topic: null };
    await appendToLog(env, log, [message(1, { metadata: { $correlationId: "c-1" } })]);
    await feedAll(env, log);
    const [hit] = (await getJson("/api/projects/audit-full/audit/messages?correlationId=c-1")).hits;
    const res = await get(`/api/projects/audit-full/audit/messages/event/${hit.index}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // The index is written exactly, as the JSON number Flux uses.
    expect(text).toContain(`"index":${hit.index}`);
    const full = JSON.parse(text);
    expect(full).toMatchObject({ messageId: "m-1", correlationId: "c-1", message: { messageId: "m-1", metadata: { $correlationId: "c-1" }, data: { type: "com.example.OrderPlaced" } } });

    await setRetention(env, log, 0);
    const purged = await getJson(`/api/projects/audit-full/audit/messages/EVENT/${hit.index}?partition=0`);
    expect(purged).toMatchObject({ messageId: "m-1", message: null });
    expect((await get(`/api/projects/audit-full/audit/messages/EVENT/${BigInt(hit.index) + 1n}`)).status).toBe(404);
  });

  it("answers bad input with 400s naming the field", async () => {
    const cases: [string, string][] = [
      ["messages?limit=0", "limit"],
      ["messages?limit=1001", "limit"],
      ["messages?type=NOPE", "type"],
      ["messages?type=NOTIFICATION", "type"],
      ["messages?since=yesterday", "since"],
      ["messages?until=", "until"],
      ["messages?cursor=bm9wZQ", "cursor"],
      ["messages?topic=a%20b", "topic"],
      ["messages?messageId=", "messageId"],
      ["messages/EVENT/abc", "index"],
      ["messages/EVENT/1?partition=-1", "partition"],
    ];
    for (const [path, field] of cases) {
      const res = await get(`${base}/${path}`);
      expect(res.status, path).toBe(400);
      const body = await res.json<any>();
      expect(body.error).toBe("bad_request");
      expect(body.message, path).toMatch(new RegExp(`^${field}\\b`));
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeJsonDocument } from "../../src/protocol/document";
import { FluxSocket, message, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { readRequest } from "../support/tracking";

// The service endpoints as a Flux client sees them: real sockets, LZ4 frames, requestIds.
let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const readAll = async (path: string, params: Record<string, string> = {}) => {
  const r = await FluxSocket.open(hub.wsUrl, path, params);
  const res = await r.request({ "@type": "readFromIndex", minIndex: 0, maxSize: 1000 });
  await r.close();
  return res.messages as any[];
};

describe("Flux service endpoints over WebSocket", () => {
  it("/eventSourcing: appends to the stream and the EVENT log, pages events, rejects a stale expected sequence", async () => {
    const es = await FluxSocket.open(hub.wsUrl, "eventSourcing");
    const events = [1, 2, 3].map((n) => message({ n }, { type: "OrderLine" }));
    const ack = await es.request({ "@type": "appendEvents", eventBatches: [{ aggregateId: "order-1", events, storeOnly: false }], guarantee: "STORED" });
    expect(ack["@type"]).toBe("void");
    const got = await es.request({ "@type": "getEvents", aggregateId: "order-1", lastSequenceNumber: -1, batchSize: 2 });
    expect(got["@type"]).toBe("getEventsResult");
    expect(got.eventBatch.events.map(payloadOf)).toEqual([{ n: 1 }, { n: 2 }]);
    const rest = await es.request({ "@type": "getEvents", aggregateId: "order-1", lastSequenceNumber: got.lastSequenceNumber, batchSize: 2 });
    expect(rest.eventBatch.events.map(payloadOf)).toEqual([{ n: 3 }]);
    const onLog = await readAll("tracking/readevent");
    expect(onLog.filter((m) => m.data.type === "OrderLine").map(payloadOf)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    const stale = await es.request({ "@type": "appendEvents", eventBatches: [{ aggregateId: "order-1", events: [message({ n: 4 })], expectedSequenceNumber: 0 }], guarantee: "STORED" });
    expect(stale["@type"]).toBe("error");
    expect(stale.message).toContain("2");
    await es.close();
  });

  it("/keyValue: stores, reads, stores if absent and deletes opaque values", async () => {
    const kv = await FluxSocket.open(hub.wsUrl, "keyValue");
    const value = { value: Buffer.from("v1").toString("base64"), type: "java.lang.String", revision: 0 };
    await kv.request({ "@type": "storeValues", values: [{ key: "$snapshot_order-1", value }], guarantee: "STORED" });
    expect((await kv.request({ "@type": "getValue", key: "$snapshot_order-1" })).value.value).toBe(value.value);
    expect((await kv.request({ "@type": "storeValueIfAbsent", value: { key: "k2", value } })).success).toBe(true);
    expect((await kv.request({ "@type": "storeValueIfAbsent", value: { key: "k2", value: { ...value, value: "eA==" } } })).success).toBe(false);
    await kv.request({ "@type": "deleteValue", key: "k2", guarantee: "STORED" });
    expect((await kv.request({ "@type": "getValue", key: "k2" })).value ?? null).toBeNull();
    await kv.close();
  });

  it("/scheduling: delivers on time to a parked schedule reader, and never a cancelled schedule", async () => {
    const sched = await FluxSocket.open(hub.wsUrl, "scheduling");
    const reader = await FluxSocket.open(hub.wsUrl, "tracking/readschedule");
    const [rid] = await reader.send(readRequest("reminders", "r1", { lastIndex: -1, maxTimeout: 10_000 }));
    const deadline = Date.now() + 1500;
    await sched.request({
      "@type": "schedule",
      messages: [
        { scheduleId: "remind", timestamp: deadline, message: message("due") },
        { scheduleId: "cancelled", timestamp: deadline, message: message("never") },
      ],
      guarantee: "STORED",
    });
    await sched.request({ "@type": "cancelSchedule", scheduleId: "cancelled", guarantee: "STORED" });
    expect((await sched.request({ "@type": "getSchedule", scheduleId: "remind" })).schedule.scheduleId).toBe("remind");
    const batch = (await reader.result(rid, 8000)).messageBatch;
    const at = Date.now();
    expect(at).toBeGreaterThanOrEqual(deadline);
    expect(at - deadline).toBeLessThan(1000);
    expect(batch.messages.map(payloadOf)).toEqual(["due"]);
    expect(batch.messages[0].metadata.$scheduleId).toBe("remind");
    await new Promise((r) => setTimeout(r, 300));
    expect((await readAll("tracking/readschedule")).map(payloadOf)).toEqual(["due"]);
    await Promise.all([sched.close(), reader.close()]);
  });

  it("/search: indexes Flux documents, searches them and logs each to the collection's DOCUMENT log", async () => {
    const search = await FluxSocket.open(hub.wsUrl, "search");
    const documents = [
      serializeJsonDocument({ id: "n1", collection: "notes", timestamp: 1000, end: 1000, value: { title: "Hello world" } }),
      serializeJsonDocument({ id: "n2", collection: "notes", timestamp: 2000, end: 2000, value: { title: "Goodbye moon" } }),
    ];
    await search.request({ "@type": "indexDocuments", documents, ifNotExists: false, guarantee: "STORED" });
    const found = await search.request({ "@type": "searchDocuments", query: { collection: ["notes"], constraints: [{ query: "world" }] }, maxSize: 10 });
    expect(found.matches.map((m: any) => m.id)).toEqual(["n1"]);
    const bad = await search.request({ "@type": "searchDocuments", query: { collection: ["notes"], constraints: [{ nonsense: 1 }] } });
    expect(bad["@type"]).toBe("error");
    const log = await readAll("tracking/readdocument", { topic: "notes" });
    expect(log.map((m) => m.messageId).sort()).toEqual(["n1", "n2"]);
    await search.close();
  });
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eventSourcingEndpoint } from "../../../src/eventsourcing/endpoint";
import { HubError } from "../../../src/errors";
import { appendToLog } from "../../../src/log/log-client";
import type { FluxResult, SessionInfo } from "../../../src/protocol/endpoint";
import { parseJson, stringifyJson } from "../../../src/protocol/json";
import type { SerializedMessage } from "../../../src/protocol/messages";
import { event, eventLogIds } from "./helpers";

const session = (projectId: string): SessionInfo => ({
  projectId, clientId: "c", clientName: "test", sessionId: "s", path: "eventSourcing", topic: null,
});

/** Runs a request and returns the result as the client would decode it from the wire. */
async function call(projectId: string, type: string, fields: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await eventSourcingEndpoint[type]({ "@type": type, requestId: 1, ...fields }, session(projectId), env);
  return parseJson(stringifyJson(result as FluxResult)) as Record<string, unknown>;
}

const ids = (r: Record<string, unknown>) => (r.eventBatch as { events: SerializedMessage[] }).events.map((e) => e.messageId);

describe("eventSourcingEndpoint: events", () => {
  it("appends, reads with Flux GetEvents semantics and deletes (golden 20, 21)", async () => {
    const p = "es-endpoint";
    const first = [event(0), event(1), event(2)];
    const storeOnly = event(3);
    expect(await call(p, "appendEvents", {
      eventBatches: [
        { aggregateId: "order-1", events: first, storeOnly: false },
        { aggregateId: "order-2", events: [event("other")], storeOnly: false },
        { aggregateId: "order-1", events: [storeOnly], storeOnly: true },
      ],
      guarantee: "STORED",
    })).toEqual({ "@type": "void", lastSequenceNumbers: { "order-1": 3, "order-2": 0 } });

    const all = await call(p, "getEvents", { aggregateId: "order-1", lastSequenceNumber: -1, batchSize: 8192 });
    expect(all["@type"]).toBe("getEventsResult");
    expect(all.lastSequenceNumber).toBe(3);
    expect(all.eventBatch).toMatchObject({ aggregateId: "order-1", storeOnly: false });
    expect(ids(all)).toEqual([...first, storeOnly].map((e) => e.messageId));

    const paged = await call(p, "getEvents", { aggregateId: "order-1", lastSequenceNumber: 0, batchSize: 2 });
    expect(ids(paged)).toEqual([first[1].messageId, first[2].messageId]);
    expect(paged.lastSequenceNumber).toBe(2);
    const none = await call(p, "getEvents", { aggregateId: "order-1", lastSequenceNumber: 3, batchSize: 8192 });
    expect(ids(none)).toEqual([]);
    expect(none.lastSequenceNumber).toBe(3);
    const empty = await call(p, "getEvents", { aggregateId: "never", lastSequenceNumber: null, batchSize: 0 });
    expect(empty.lastSequenceNumber).toBe(-1);

    const log = await eventLogIds(p);
    expect(log).toHaveLength(4);
    expect(log).not.toContain(storeOnly.messageId);

    expect(await call(p, "deleteEvents", { aggregateId: "order-1", guarantee: "STORED" })).toEqual({ "@type": "void" });
    expect(ids(await call(p, "getEvents", { aggregateId: "order-1", lastSequenceNumber: -1, batchSize: 8192 }))).toEqual([]);
    expect(ids(await call(p, "getEvents", { aggregateId: "order-2", lastSequenceNumber: -1, batchSize: 8192 }))).toHaveLength(1);
  });

  it("answers a stale expectedSequenceNumber with an ErrorResult naming the conflict", async () => {
    const p = "es-conflict";
    await call(p, "appendEvents", { eventBatches: [{ aggregateId: "a", events: [event(0)], storeOnly: true }], guarantee: "STORED" });
    const stale = await call(p, "appendEvents", { eventBatches: [{ aggregateId: "a", events: [event(1)], storeOnly: true, expectedSequenceNumber: -1 }], guarantee: "STORED" });
    expect(stale).toEqual({
      "@type": "error",
      error: "conflict",
      message: "aggregate a is at sequence number 0, not the expected -1",
      aggregateId: "a",
      expectedSequenceNumber: -1,
      actualSequenceNumber: 0,
    });
    expect(ids(await call(p, "getEvents", { aggregateId: "a", lastSequenceNumber: -1 }))).toHaveLength(1);
  });

  it("keeps projects apart", async () => {
    await call("es-project-a", "appendEvents", { eventBatches: [{ aggregateId: "x", events: [event(1)], storeOnly: true }] });
    expect(ids(await call("es-project-b", "getEvents", { aggregateId: "x", lastSequenceNumber: -1, batchSize: 10 }))).toEqual([]);
  });

  it("rejects malformed requests with BadRequest naming the field", async () => {
    const reject = (type: string, fields: Record<string, unknown>) => call("es-bad", type, fields).then(() => null, (e: HubError) => e);
    const emptyId = await reject("appendEvents", { eventBatches: [{ aggregateId: "", events: [] }] });
    expect(emptyId).toBeInstanceOf(HubError);
    expect(emptyId!.message).toContain("eventBatches[0].aggregateId");
    expect((await reject("appendEvents", { eventBatches: null }))!.code).toBe("bad_request");
    const noData = await reject("appendEvents", { eventBatches: [{ aggregateId: "a", events: [{ metadata: {} }] }] });
    expect(noData!.message).toContain("eventBatches[0].events[0].data");
    const badMeta = await reject("appendEvents", { eventBatches: [{ aggregateId: "a", events: [{ ...event(1), metadata: { n: 1 } }] }] });
    expect(badMeta!.message).toContain("metadata.n");
    expect((await reject("getEvents", { aggregateId: "a", lastSequenceNumber: -2 }))!.message).toContain("lastSequenceNumber");
    expect((await reject("getAggregateIds", { entityId: "" }))!.code).toBe("bad_request");
  });
});

describe("eventSourcingEndpoint: events pass the log's message check", () => {
  // Before one check served both, each of these was taken by one path and refused by the other;
  // an event the aggregate took but the log refused stayed in the outbox for good.
  const viaEvents = (projectId: string, e: unknown) =>
    call(projectId, "appendEvents", { eventBatches: [{ aggregateId: "a", events: [e], storeOnly: false }], guarantee: "STORED" })
      .then(() => "stored", (error: HubError) => error.message);
  const viaLog = (projectId: string, e: unknown) =>
    appendToLog(env, { projectId, type: "EVENT", topic: null }, [e]).then(() => "stored", (error: HubError) => error.message);

  it("refuses what the log refuses, in the same words", async () => {
    const refused: [unknown, string][] = [
      [{ ...event(1), originalRevision: "2" }, "originalRevision: must be an integer"],
      [{ ...event(1), messageId: "" }, "messageId: must not be empty"],
      [{ ...event(1), data: { ...event(1).data, format: 5 } }, "data.format: must be a string"],
    ];
    for (const [e, problem] of refused) {
      expect(await viaEvents("es-check-refused", e)).toBe(`eventBatches[0].events[0].${problem}`);
      expect(await viaLog("es-check-refused", e)).toBe(`messages[0].${problem}`);
    }
  });

  it("takes what the log takes, and forwards it to the EVENT log", async () => {
    const bare = { ...event(1), data: { type: "com.example.OrderEvent", revision: null } };
    expect(await viaEvents("es-check-taken", bare)).toBe("stored");
    expect(await viaLog("es-check-taken", { ...bare, messageId: crypto.randomUUID() })).toBe("stored");
    expect(await eventLogIds("es-check-taken")).toContain(bare.messageId);
  });
});

describe("eventSourcingEndpoint: relationships", () => {
  const rel = (entityId: string, aggregateId: string, aggregateType = "com.example.Order") => ({ entityId, aggregateId, aggregateType });

  it("associates, dissociates and answers GetAggregateIds and GetRelationships", async () => {
    const p = "es-relationships";
    expect(await call(p, "updateRelationships", {
      associations: [rel("line-1", "order-1"), rel("line-1", "order-2", "com.example.Invoice"), rel("line-2", "order-1")],
      dissociations: [],
      guarantee: "STORED",
    })).toEqual({ "@type": "void" });
    expect(await call(p, "getAggregateIds", { entityId: "line-1" })).toEqual({
      "@type": "getAggregateIdsResult",
      aggregateIds: { "order-1": "com.example.Order", "order-2": "com.example.Invoice" },
    });
    expect(await call(p, "getRelationships", { entityId: "line-2" })).toEqual({
      "@type": "getRelationshipsResult",
      relationships: [rel("line-2", "order-1")],
    });

    await call(p, "updateRelationships", { associations: [rel("line-1", "order-3")], dissociations: [rel("line-1", "order-1")] });
    expect((await call(p, "getAggregateIds", { entityId: "line-1" })).aggregateIds).toEqual({ "order-2": "com.example.Invoice", "order-3": "com.example.Order" });
    expect(await call(p, "getAggregateIds", { entityId: "unknown" })).toEqual({ "@type": "getAggregateIdsResult", aggregateIds: {} });
  });

  it("repairs an aggregate's relationships across all shards", async () => {
    const p = "es-repair";
    const entities = Array.from({ length: 20 }, (_, i) => `entity-${i}`);
    await call(p, "updateRelationships", { associations: entities.map((e) => rel(e, "order-1")), dissociations: [] });
    await call(p, "updateRelationships", { associations: [rel("entity-0", "order-2")], dissociations: [] });

    expect(await call(p, "repairRelationships", { aggregateId: "order-1", aggregateType: "com.example.Order", entityIds: ["entity-0", "entity-new"], guarantee: "STORED" }))
      .toEqual({ "@type": "void" });
    for (const e of entities.slice(1)) {
      expect((await call(p, "getAggregateIds", { entityId: e })).aggregateIds).toEqual({});
    }
    expect((await call(p, "getAggregateIds", { entityId: "entity-0" })).aggregateIds).toEqual({ "order-1": "com.example.Order", "order-2": "com.example.Order" });
    expect((await call(p, "getAggregateIds", { entityId: "entity-new" })).aggregateIds).toEqual({ "order-1": "com.example.Order" });
  });
});

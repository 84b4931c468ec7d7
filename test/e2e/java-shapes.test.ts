// Every request of the publish, eventSourcing, keyValue, search and scheduling endpoints exactly as
// the Flux Java client serialises it (all fields, nulls and defaults included), over real sockets:
// each is accepted and answered with the result fields the client reads (docs/protocol.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeJsonDocument } from "../../src/protocol/document";
import { stringifyJson } from "../../src/protocol/json";
import { FluxSocket, type Json, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { javaData, javaMessage, javaQuery, javaSchedule } from "../support/java-shapes";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.dispose();
});

const PROJECT = { projectId: "java-shapes" };
const open = (path: string, params: Record<string, string> = {}) => FluxSocket.open(hub.wsUrl, path, { ...PROJECT, ...params });

/** Sends `request` and expects a result of `type` carrying the requestId and a timestamp. */
async function answered(socket: FluxSocket, request: Json, type: string): Promise<Json> {
  const result = await socket.request({ ...request });
  expect(result, stringifyJson(result)).toMatchObject({ "@type": type });
  expect(typeof result.timestamp).toBe("number");
  return result;
}

/** A `SerializedDocument` as the client sends it: summary, facets and indexes always present. */
function javaDocument(id: string, collection: string, value: unknown, extra: Json = {}): Json {
  const d = serializeJsonDocument({ id, collection, timestamp: 1_700_000_000_000, end: 1_700_000_000_000, value });
  return { id, timestamp: d.timestamp, end: d.end, collection, document: d.document, summary: null, facets: [], indexes: [], ...extra };
}

describe("Java-shaped requests", () => {
  it("tracking/publish*: append and setRetentionTime", async () => {
    const pub = await open("tracking/publishevent");
    const messages = [javaMessage({ n: 1 }), javaMessage({ n: 2 }, { segment: 5, metadata: { $correlationId: "c" } })];
    await answered(pub, { "@type": "append", messageType: "EVENT", messages, guarantee: "STORED" }, "void");
    await answered(pub, { "@type": "setRetentionTime", retentionTimeInSeconds: null, guarantee: "STORED" }, "void");
    const read = await open("tracking/readevent");
    const got = await answered(read, { "@type": "readFromIndex", minIndex: 0, maxSize: 10 }, "readFromIndexResult");
    expect(got.messages.map(payloadOf)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(got.messages[1].segment).toBe(5);
    await Promise.all([pub.close(), read.close()]);
  });

  it("eventSourcing: every request type", async () => {
    const es = await open("eventSourcing");
    const events = [javaMessage({ e: 1 }), javaMessage({ e: 2 })];
    await answered(es, { "@type": "appendEvents", eventBatches: [{ aggregateId: "agg-1", events, storeOnly: false }], guarantee: "STORED" }, "void");
    const got = await answered(es, { "@type": "getEvents", aggregateId: "agg-1", lastSequenceNumber: null, batchSize: 8192 }, "getEventsResult");
    expect(got.eventBatch).toMatchObject({ aggregateId: "agg-1", storeOnly: false });
    expect(got.eventBatch.events.map(payloadOf)).toEqual([{ e: 1 }, { e: 2 }]);
    expect(got.lastSequenceNumber).toBe(1);
    const relationship = { aggregateId: "agg-1", aggregateType: "com.example.Order", entityId: "line-1" };
    await answered(es, { "@type": "updateRelationships", associations: [relationship], dissociations: [], guarantee: "STORED" }, "void");
    await answered(es, { "@type": "repairRelationships", aggregateId: "agg-1", aggregateType: "com.example.Order", entityIds: ["line-1", "line-2"], guarantee: "STORED" }, "void");
    const ids = await answered(es, { "@type": "getAggregateIds", entityId: "line-2" }, "getAggregateIdsResult");
    expect(ids.aggregateIds).toEqual({ "agg-1": "com.example.Order" });
    const rels = await answered(es, { "@type": "getRelationships", entityId: "line-1" }, "getRelationshipsResult");
    expect(rels.relationships).toEqual([relationship]);
    await answered(es, { "@type": "deleteEvents", aggregateId: "agg-1", guarantee: "STORED" }, "void");
    await es.close();
  });

  it("keyValue: every request type", async () => {
    const kv = await open("keyValue");
    await answered(kv, { "@type": "storeValues", values: [{ key: "k1", value: javaData("v1", "java.lang.String") }], guarantee: "STORED" }, "void");
    expect((await answered(kv, { "@type": "getValue", key: "k1" }, "getValueResult")).value).toMatchObject({ type: "java.lang.String" });
    const ifAbsent = { "@type": "storeValueIfAbsent", value: { key: "k2", value: javaData("v2") }, guarantee: "STORED" };
    expect((await answered(kv, ifAbsent, "boolean")).success).toBe(true);
    expect((await answered(kv, ifAbsent, "boolean")).success).toBe(false);
    await answered(kv, { "@type": "deleteValue", key: "k2", guarantee: "STORED" }, "void");
    expect((await answered(kv, { "@type": "getValue", key: "k2" }, "getValueResult")).value ?? null).toBeNull();
    await kv.close();
  });

  it("scheduling: every request type", async () => {
    const sched = await open("scheduling");
    const deadline = Date.now() + 3_600_000;
    await answered(sched, javaSchedule([{ scheduleId: "s1", timestamp: deadline, message: javaMessage("later") }]), "void");
    const got = await answered(sched, { "@type": "getSchedule", scheduleId: "s1" }, "getScheduleResult");
    expect(got.schedule).toMatchObject({ scheduleId: "s1", timestamp: deadline, ifAbsent: false });
    expect(payloadOf(got.schedule.message)).toBe("later");
    await answered(sched, { "@type": "cancelSchedule", scheduleId: "s1", guarantee: "STORED" }, "void");
    expect((await answered(sched, { "@type": "getSchedule", scheduleId: "s1" }, "getScheduleResult")).schedule).toBeNull();
    await sched.close();
  });

  it("search: every request type", async () => {
    const search = await open("search");
    const docs = [javaDocument("d1", "books", { title: "Dune", pages: 412 }), javaDocument("d2", "books", { title: "Emma", pages: 300 })];
    await answered(search, { "@type": "indexDocuments", documents: docs, ifNotExists: false, guarantee: "STORED" }, "void");
    const update = { type: "index", id: "d3", collection: "books", object: javaDocument("d3", "books", { title: "Ubik", pages: 202 }) };
    const removal = { type: "delete", id: "d9", collection: "books", object: null };
    await answered(search, { "@type": "bulkUpdateDocuments", updates: [update, removal], guarantee: "STORED" }, "void");
    const query = javaQuery("books");
    const search1 = { "@type": "searchDocuments", query, sorting: [], maxSize: 10, pathFilters: [], skip: 0, lastHit: null };
    expect((await answered(search, search1, "searchDocumentsResult")).matches.map((m: Json) => m.id).sort()).toEqual(["d1", "d2", "d3"]);
    expect((await answered(search, { "@type": "getDocument", id: "d1", collection: "books" }, "getDocumentResult")).document.id).toBe("d1");
    expect((await answered(search, { "@type": "getDocuments", ids: ["d1", "d2"], collection: "books" }, "getDocumentsResult")).documents).toHaveLength(2);
    expect((await answered(search, { "@type": "hasDocument", id: "d2", collection: "books" }, "boolean")).success).toBe(true);
    const stats = await answered(search, { "@type": "getDocumentStats", query, fields: ["pages"], groupBy: [] }, "getDocumentStatsResult");
    expect(stats.documentStats[0].fieldStats.pages).toMatchObject({ count: 3, min: 202, max: 412 });
    await answered(search, { "@type": "getFacetStats", query }, "getFacetStatsResult");
    const histogram = { "@type": "getSearchHistogram", query: { ...query, since: "2023-11-14T00:00:00Z", before: "2023-11-15T00:00:00Z" }, resolution: 4, maxSize: 100 };
    expect((await answered(search, histogram, "getSearchHistogramResult")).histogram.counts).toEqual([0, 0, 0, 3]);
    await answered(search, { "@type": "createAuditTrail", collection: "books", retentionTimeInSeconds: null, guarantee: "STORED" }, "void");
    await answered(search, { "@type": "deleteDocumentById", collection: "books", id: "d3", guarantee: "STORED" }, "void");
    await answered(search, { "@type": "deleteDocuments", query: javaQuery("books", { constraints: [{ match: "emma", paths: ["title"], strict: false }] }), guarantee: "STORED" }, "void");
    expect((await answered(search, search1, "searchDocumentsResult")).matches.map((m: Json) => m.id)).toEqual(["d1"]);
    await answered(search, { "@type": "deleteCollection", collection: "books", guarantee: "STORED" }, "void");
    await search.close();
  });

  it("search: `{}` (NoOpConstraint, sent for match(null) or lookAhead(\"\")) matches everything", async () => {
    const search = await open("search");
    await answered(search, { "@type": "indexDocuments", documents: [javaDocument("n1", "noop", { a: 1 })], ifNotExists: false, guarantee: "STORED" }, "void");
    for (const constraints of [[{}], [{ all: [{}, { match: "1", paths: ["a"], strict: false }] }], [{ not: { any: [{}] } }]]) {
      const request = { "@type": "searchDocuments", query: javaQuery("noop", { constraints }), sorting: [], maxSize: 10, pathFilters: [], skip: 0, lastHit: null };
      const ids = (await answered(search, request, "searchDocumentsResult")).matches.map((m: Json) => m.id);
      expect(ids).toEqual(constraints[0].not ? [] : ["n1"]);
    }
    await search.close();
  });

  it("search: a missing document is answered with `document: null`", async () => {
    const search = await open("search");
    const result = await answered(search, { "@type": "getDocument", id: "absent", collection: "noop" }, "getDocumentResult");
    expect(result).toHaveProperty("document", null);
    await search.close();
  });
});

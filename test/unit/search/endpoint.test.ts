import { env } from "cloudflare:test";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { BadRequest, HubError } from "../../../src/errors";
import { searchRoutes } from "../../../src/http/search";
import type { SessionInfo } from "../../../src/protocol/endpoint";
import { documentMessage, searchEndpoint } from "../../../src/search/endpoint";
import { serializeJsonDocument } from "../../../src/protocol/document";
import { SearchStore } from "../../../src/search/search-store";

const session = (projectId: string): SessionInfo => ({ projectId, clientId: "c", clientName: "app", sessionId: "s", path: "search", topic: null });
const doc = (id: string, title: string, timestamp: number) =>
  serializeJsonDocument({ id, collection: "notes", timestamp, end: timestamp, value: { title }, facets: [{ name: "kind", value: "note" }] });

async function seeded(projectId: string): Promise<void> {
  await new SearchStore(env.DB, projectId).indexDocuments([doc("n1", "Hello world", 1000), doc("n2", "Goodbye world", 2000)]);
}

describe("searchEndpoint", () => {
  it("answers reads with Flux result bodies", async () => {
    await seeded("endpoint-1");
    const s = session("endpoint-1");
    const query = { collection: ["notes"], constraints: [{ query: "world" }] };
    const search = await searchEndpoint.searchDocuments({ "@type": "searchDocuments", query, maxSize: 1 }, s, env);
    expect(search?.["@type"]).toBe("searchDocumentsResult");
    expect((search?.matches as { id: string }[]).map((m) => m.id)).toEqual(["n2"]);
    expect(await searchEndpoint.hasDocument({ "@type": "hasDocument", collection: "notes", id: "n1" }, s, env)).toEqual({ "@type": "boolean", success: true });
    const got = await searchEndpoint.getDocument({ "@type": "getDocument", collection: "notes", id: "n1" }, s, env);
    expect(got).toMatchObject({ "@type": "getDocumentResult", document: { id: "n1", collection: "notes", timestamp: 1000, document: { format: "document" } } });
    expect(await searchEndpoint.getDocument({ "@type": "getDocument", collection: "notes", id: "nope" }, s, env)).toEqual({ "@type": "getDocumentResult", document: null });
    const many = await searchEndpoint.getDocuments({ "@type": "getDocuments", collection: "notes", ids: ["n2", "n1"] }, s, env);
    expect((many?.documents as { id: string }[]).map((d) => d.id)).toEqual(["n2", "n1"]);
    expect(await searchEndpoint.getFacetStats({ "@type": "getFacetStats", query }, s, env))
      .toEqual({ "@type": "getFacetStatsResult", stats: [{ name: "kind", value: "note", count: 2 }] });
    const stats = await searchEndpoint.getDocumentStats({ "@type": "getDocumentStats", query, fields: [], groupBy: [] }, s, env);
    expect(stats).toEqual({ "@type": "getDocumentStatsResult", documentStats: [{ fieldStats: { "": { count: 2 } }, group: {} }] });
    const histogram = await searchEndpoint.getSearchHistogram({ "@type": "getSearchHistogram", query, resolution: 2 }, s, env);
    expect(histogram).toEqual({ "@type": "getSearchHistogramResult", histogram: { since: null, before: null, counts: [0, 0] } });
  });

  it("runs commands and answers void", async () => {
    await seeded("endpoint-2");
    const s = session("endpoint-2");
    expect(await searchEndpoint.deleteDocuments({ "@type": "deleteDocuments", query: { collection: "notes", constraints: [{ contains: "hello" }] } }, s, env))
      .toEqual({ "@type": "void" });
    expect(await searchEndpoint.hasDocument({ "@type": "hasDocument", collection: "notes", id: "n1" }, s, env)).toMatchObject({ success: false });
    expect(await searchEndpoint.createAuditTrail({ "@type": "createAuditTrail", collection: "notes", retentionTimeInSeconds: 3600 }, s, env)).toEqual({ "@type": "void" });
    await searchEndpoint.deleteCollection({ "@type": "deleteCollection", collection: "notes" }, s, env);
    expect(await searchEndpoint.hasDocument({ "@type": "hasDocument", collection: "notes", id: "n2" }, s, env)).toMatchObject({ success: false });
  });

  it("rejects bad requests with BadRequest", async () => {
    const s = session("endpoint-3");
    await expect(searchEndpoint.searchDocuments({ "@type": "searchDocuments", query: { collection: "notes" }, maxSize: 1_000_000 }, s, env)).rejects.toThrow(BadRequest);
    await expect(searchEndpoint.searchDocuments({ "@type": "searchDocuments", query: { collection: "notes", constraints: [{ nonsense: 1 }] } }, s, env)).rejects.toThrow(BadRequest);
    await expect(searchEndpoint.getDocument({ "@type": "getDocument", id: "x" }, s, env)).rejects.toThrow(/collection/);
    await expect(searchEndpoint.indexDocuments({ "@type": "indexDocuments", documents: [{ id: "x", collection: "c", document: { value: "bm90IGx6NA==", format: "document" } }] }, s, env))
      .rejects.toThrow(/Could not deserialize document/);
    await expect(searchEndpoint.bulkUpdateDocuments({ "@type": "bulkUpdateDocuments", updates: [{ type: "upsert", id: "x", collection: "c" }] }, s, env)).rejects.toThrow(BadRequest);
  });

  it("builds the DOCUMENT log message as Flux does", () => {
    const d = doc("n1", "Hello", 1000);
    expect(documentMessage({ ...d, end: 1500 }, 42)).toEqual({ data: d.document, metadata: { $start: "1000", $end: "1500" }, messageId: "n1", timestamp: 42 });
  });
});

describe("searchRoutes", () => {
  const app = new Hono<{ Bindings: Cloudflare.Env }>()
    .route("/api/projects/:projectId/search", searchRoutes)
    .onError((e, c) => (e instanceof HubError ? c.json(e.toJSON(), e.status as 400) : c.json({ error: "internal" }, 500)));
  const call = (path: string, init?: RequestInit) => app.request(`/api/projects/http-1/search${path}`, init, env);
  const post = (path: string, body: unknown) => call(path, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });

  it("gets, searches with paging, deletes; documents come back as JSON", async () => {
    await seeded("http-1");
    const got = await call("/collections/notes/documents/n1");
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ id: "n1", collection: "notes", timestamp: 1000, value: { title: "Hello world" } });
    expect((await call("/collections/notes/documents/zz")).status).toBe(404);

    const page1 = await (await post("/search", { query: { collection: "notes", constraints: [{ contains: "world" }] }, maxSize: 1 })).json() as { matches: { id: string }[]; lastHit: unknown };
    expect(page1.matches.map((m) => m.id)).toEqual(["n2"]);
    const page2 = await (await post("/search", { query: { collection: "notes", constraints: [{ contains: "world" }] }, maxSize: 1, lastHit: page1.lastHit })).json() as { matches: { id: string }[] };
    expect(page2.matches.map((m) => m.id)).toEqual(["n1"]);

    expect((await call("/collections/notes/documents/n1", { method: "DELETE" })).status).toBe(204);
    expect((await call("/collections/notes/documents/n1")).status).toBe(404);
  });

  it("answers bad input with 400 JSON", async () => {
    const bad = await post("/search", { query: { collection: "notes", constraints: [{ match: "x", path: "a'; DROP TABLE x" }] } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: "bad_request" });
    expect((await post("/search", "{not json")).status).toBe(400);
    expect((await post("/collections/notes/documents", { documents: [] })).status).toBe(400);
  });
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BadRequest } from "../../../src/errors";
import { serializeJsonDocument, type JsonDocument } from "../../../src/protocol/document";
import { SearchStore, type SearchRequest } from "../../../src/search/search-store";
import { parseSearchQuery } from "../../../src/search/search-query";

let projects = 0;
const BOOKS: JsonDocument[] = [
  {
    id: "b1", collection: "books", timestamp: 1000, end: 1000,
    value: { title: "The Hobbit", author: { name: "Tolkien" }, price: 10, tags: ["fantasy", "classic"], year: 1937 },
    facets: [{ name: "genre", value: "fantasy" }], indexes: [{ name: "price", value: "010" }],
  },
  {
    id: "b2", collection: "books", timestamp: 2000, end: 2000,
    value: { title: "Café Society", author: { name: "Émile Zola" }, price: 25.5, tags: ["drama"], available: false },
    facets: [{ name: "genre", value: "drama" }], indexes: [{ name: "price", value: "025" }],
  },
  {
    id: "b3", collection: "books", timestamp: 3000, end: 3500,
    value: { title: "The Lord of the Rings", author: { name: "Tolkien" }, price: 30, tags: [], note: null },
    facets: [{ name: "genre", value: "fantasy" }], indexes: [{ name: "price", value: "030" }],
  },
  { id: "b4", collection: "books", timestamp: 4000, end: 4000, value: { title: "e-mail etiquette", price: "cheap", rating: 4 } },
];

async function store(docs: JsonDocument[] = BOOKS): Promise<SearchStore> {
  const s = new SearchStore(env.DB, `store-test-${++projects}`);
  await s.indexDocuments(docs.map(serializeJsonDocument));
  return s;
}

const query = (constraints: unknown, extra: Record<string, unknown> = {}) => parseSearchQuery({ collection: ["books"], constraints, ...extra });

async function ids(s: SearchStore, constraints: unknown, request: Partial<SearchRequest> = {}, extra: Record<string, unknown> = {}): Promise<string[]> {
  return (await s.searchDocuments({ query: query(constraints, extra), ...request })).map((d) => d.id);
}

describe("SearchStore constraints", () => {
  it("match: normalised by default, exact when strict, at any path or the given ones", async () => {
    const s = await store();
    expect(await ids(s, [{ match: "TOLKIEN", paths: ["author/name"] }])).toEqual(["b3", "b1"]);
    expect(await ids(s, [{ match: "emile zola", path: "author.name" }])).toEqual(["b2"]);
    expect(await ids(s, [{ match: "tolkien", paths: ["title"] }])).toEqual([]);
    expect(await ids(s, [{ match: "TOLKIEN", strict: true }])).toEqual([]);
    expect(await ids(s, [{ match: "Tolkien", strict: true }])).toEqual(["b3", "b1"]);
    expect(await ids(s, [{ match: 10, paths: ["price"] }])).toEqual(["b1"]);
    expect(await ids(s, [{ match: "fantasy", paths: ["tags"] }])).toEqual(["b1"]);
    expect(await ids(s, [{ match: "classic", paths: ["tags/1"] }])).toEqual(["b1"]);
    expect(await ids(s, [{ match: "classic", paths: ["tags/0"] }])).toEqual([]);
    expect(await ids(s, [{ match: "tolkien", paths: ["*/name"] }])).toEqual(["b3", "b1"]);
    expect(await ids(s, [{ match: "tolkien", paths: ["{author,editor}/name"] }])).toEqual(["b3", "b1"]);
  });

  it("contains: whole words unless prefix/postfix search, phrases across words", async () => {
    const s = await store();
    expect(await ids(s, [{ contains: "Hobbit" }])).toEqual(["b1"]);
    expect(await ids(s, [{ contains: "hob" }])).toEqual([]);
    expect(await ids(s, [{ contains: "hob", postfixSearch: true }])).toEqual(["b1"]);
    expect(await ids(s, [{ contains: "bit", prefixSearch: true }])).toEqual(["b1"]);
    expect(await ids(s, [{ contains: "obbi", prefixSearch: true, postfixSearch: true }])).toEqual(["b1"]);
    expect(await ids(s, [{ contains: "lord of the" }])).toEqual(["b3"]);
    expect(await ids(s, [{ contains: "ord of th", prefixSearch: true, postfixSearch: true }])).toEqual(["b3"]);
    expect(await ids(s, [{ contains: "ord of th" }])).toEqual([]);
    expect(await ids(s, [{ contains: "e-mail" }])).toEqual(["b4"]);
    expect(await ids(s, [{ contains: "mail" }])).toEqual(["b4"]);
    expect(await ids(s, [{ contains: "cafe", paths: ["title"] }])).toEqual(["b2"]);
    expect(await ids(s, [{ contains: "cafe", paths: ["author"] }])).toEqual([]);
  });

  it("between: min inclusive, max exclusive; numbers numerically, other values as text", async () => {
    const s = await store();
    expect(await ids(s, [{ min: 10, max: 30, paths: ["price"] }])).toEqual(["b2", "b1"]);
    // "cheap" compares as text with "20": 'c' sorts after '2'.
    expect(await ids(s, [{ min: 20, path: "price" }])).toEqual(["b4", "b3", "b2"]);
    expect(await ids(s, [{ max: 10.5, paths: ["price"] }])).toEqual(["b1"]);
    expect(await ids(s, [{ min: "a", max: "d", paths: ["price"] }])).toEqual(["b4"]);
    expect(await ids(s, [{ min: 1900, max: 2000 }])).toEqual(["b1"]);
  });

  it("exists: any non-null value at or below the path", async () => {
    const s = await store();
    expect(await ids(s, [{ exists: "note" }])).toEqual([]);
    expect(await ids(s, [{ exists: "tags" }])).toEqual(["b3", "b2", "b1"]);
    expect(await ids(s, [{ exists: "available" }])).toEqual(["b2"]);
    expect(await ids(s, [{ exists: "author" }])).toEqual(["b3", "b2", "b1"]);
  });

  it("query: terms, phrases, wildcards and operators", async () => {
    const s = await store();
    expect(await ids(s, [{ query: "tolkien & !rings" }])).toEqual(["b1"]);
    expect(await ids(s, [{ query: "tolkien AND !rings" }])).toEqual(["b1"]);
    expect(await ids(s, [{ query: "hobbit | rings" }])).toEqual(["b3", "b1"]);
    expect(await ids(s, [{ query: "hobbit OR zola" }])).toEqual(["b2", "b1"]);
    expect(await ids(s, [{ query: "lor*" }])).toEqual(["b3"]);
    expect(await ids(s, [{ query: "*ings" }])).toEqual(["b3"]);
    expect(await ids(s, [{ query: "et*tte" }])).toEqual(["b4"]);
    expect(await ids(s, [{ query: '"lord of"' }])).toEqual(["b3"]);
    expect(await ids(s, [{ query: '"of lord"' }])).toEqual([]);
    expect(await ids(s, [{ query: "(fantasy | drama) !classic" }])).toEqual(["b2"]);
    expect(await ids(s, [{ query: "(fantasy | rings) !classic" }])).toEqual(["b3"]);
    expect(await ids(s, [{ query: "hob", lookAheadForAllTerms: true }])).toEqual(["b1"]);
    expect(await ids(s, [{ query: "tolkien", paths: ["title"] }])).toEqual([]);
  });

  it("lookAhead, facet, not, all and any", async () => {
    const s = await store();
    expect(await ids(s, [{ lookAhead: "the hob" }])).toEqual(["b1"]);
    expect(await ids(s, [{ lookAhead: "tol", paths: ["author/name"] }])).toEqual(["b3", "b1"]);
    expect(await ids(s, [{ facet: { name: "genre", value: "fantasy" } }])).toEqual(["b3", "b1"]);
    expect(await ids(s, [{ not: { match: "tolkien" } }])).toEqual(["b4", "b2"]);
    expect(await ids(s, [{ all: [{ match: "tolkien" }, { min: 20, paths: ["price"] }] }])).toEqual(["b3"]);
    expect(await ids(s, [{ any: [{ match: "zola" }, { contains: "hobbit" }] }])).toEqual(["b1"]);
    expect(await ids(s, [{ any: [{ match: "émile zola" }, { contains: "hobbit" }] }])).toEqual(["b2", "b1"]);
    expect(await ids(s, [{ match: "tolkien" }, { not: { facet: { name: "genre", value: "drama" } } }])).toEqual(["b3", "b1"]);
  });

  it("since/before windows on end and timestamp", async () => {
    const s = await store();
    const open = await store(BOOKS.map((b) => (b.id === "b3" ? b : { ...b, end: null })));
    const at = (ms: number) => new Date(ms).toISOString();
    expect(await ids(s, [], {}, { since: at(3500) })).toEqual(["b4", "b3"]);
    expect(await ids(s, [], {}, { since: at(3500), sinceExclusive: true })).toEqual(["b4"]);
    expect(await ids(s, [], {}, { before: at(2000) })).toEqual(["b1"]);
    expect(await ids(s, [], {}, { before: at(2000), beforeInclusive: true })).toEqual(["b2", "b1"]);
    expect(await ids(s, [], {}, { since: at(2000), before: at(2000) })).toEqual(["b2"]);
    // Without an end (b3's is 3500) nothing is too old for since, as in Flux.
    expect(await ids(open, [], {}, { since: at(3600) })).toEqual(["b4", "b2", "b1"]);
  });
});

describe("SearchStore sorting and paging", () => {
  it("sorts by timestamp, end and sortables; -timestamp by default", async () => {
    const s = await store();
    expect(await ids(s, [])).toEqual(["b4", "b3", "b2", "b1"]);
    expect(await ids(s, [], { sorting: ["timestamp"] })).toEqual(["b1", "b2", "b3", "b4"]);
    expect(await ids(s, [], { sorting: ["-end"] })).toEqual(["b4", "b3", "b2", "b1"]);
    // Missing sortables go last ascending and first descending, as Flux's comparator does.
    expect(await ids(s, [], { sorting: ["price"] })).toEqual(["b1", "b2", "b3", "b4"]);
    expect(await ids(s, [], { sorting: ["-price"] })).toEqual(["b4", "b3", "b2", "b1"]);
    expect(await ids(s, [], { sorting: ["price"], skip: 1, maxSize: 2 })).toEqual(["b2", "b3"]);
  });

  it("lastHit paging returns every match exactly once, in order", async () => {
    const docs: JsonDocument[] = Array.from({ length: 25 }, (_, i) => ({
      id: `d${String(i).padStart(2, "0")}`, collection: "books", timestamp: 1000 + (i % 4) * 10, // ties on purpose
      value: { n: i, even: i % 2 === 0 }, indexes: i % 5 === 0 ? [] : [{ name: "n", value: String(i % 7).padStart(3, "0") }],
    }));
    const s = await store(docs);
    for (const sorting of [[], ["timestamp"], ["-n", "timestamp"], ["n"], ["-end"]]) {
      const all = await ids(s, [{ match: true, paths: ["even"] }], { sorting });
      expect(all).toHaveLength(13);
      const paged: string[] = [];
      let lastHit = null;
      for (let page = 0; page < 20; page++) {
        const hits = await s.searchDocuments({ query: query([{ match: true, paths: ["even"] }]), sorting, maxSize: 3, lastHit });
        if (hits.length === 0) break;
        paged.push(...hits.map((h) => h.id));
        lastHit = hits[hits.length - 1];
      }
      expect(paged).toEqual(all);
    }
  });

  it("path filters return only the selected paths", async () => {
    const s = await store();
    const [hit] = await s.searchDocuments({ query: query([{ contains: "hobbit" }]), pathFilters: ["author", "-author/name", "title"] });
    const { decodeDocument } = await import("../../../src/search/document-codec");
    expect(decodeDocument(hit.document.value!).entries.map((e) => e.paths)).toEqual([["title"]]);
    expect(hit.summary).toBeUndefined();
  });
});

describe("SearchStore writes", () => {
  it("upserts, ifNotExists, bulk last-wins, delete by id and collection", async () => {
    const s = await store();
    const changed = serializeJsonDocument({ id: "b1", collection: "books", timestamp: 9000, value: { title: "Changed" } });
    expect(await s.indexDocuments([changed], true)).toEqual([]);
    expect((await s.getDocument("books", "b1"))?.timestamp).toBe(1000);
    expect(await s.indexDocuments([changed])).toHaveLength(1);
    expect(await ids(s, [{ match: "hobbit" }])).toEqual([]);
    expect(await ids(s, [{ match: "changed" }])).toEqual(["b1"]);

    const v = (title: string) => serializeJsonDocument({ id: "n1", collection: "books", timestamp: 1, value: { title } });
    await s.bulkUpdateDocuments([
      { type: "index", id: "n1", collection: "books", object: v("first") },
      { type: "delete", id: "b2", collection: "books" },
      { type: "index", id: "n1", collection: "books", object: v("second") },
      { type: "indexIfNotExists", id: "b3", collection: "books", object: v("never") },
    ]);
    expect(await ids(s, [{ match: "second" }])).toEqual(["n1"]);
    expect(await ids(s, [{ match: "first" }])).toEqual([]);
    expect(await s.hasDocument("books", "b2")).toBe(false);
    expect((await s.getDocuments("books", ["b4", "missing", "b3", "b4"])).map((d) => d.id)).toEqual(["b4", "b3"]);

    await s.deleteDocumentById("books", "b4");
    expect(await s.getDocument("books", "b4")).toBeNull();
    await s.deleteCollection("books");
    expect(await ids(s, [])).toEqual([]);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM search_entries WHERE project_id = ?").bind(`store-test-${projects}`).first<{ n: number }>();
    expect(left?.n).toBe(0);
  });

  it("DeleteDocuments(query) removes exactly the matches and their rows", async () => {
    const s = await store();
    await s.deleteDocuments(query([{ query: "tolkien" }]));
    expect(await ids(s, [])).toEqual(["b4", "b2"]);
    const orphans = await env.DB.prepare(
      "SELECT count(*) AS n FROM search_words WHERE project_id = ? AND doc_id IN ('b1', 'b3')",
    ).bind(`store-test-${projects}`).first<{ n: number }>();
    expect(orphans?.n).toBe(0);
  });

  it("an audit trail's retention purges old documents on write", async () => {
    const s = await store([]);
    await s.createAuditTrail("audit", 60);
    const doc = (id: string, timestamp: number) => serializeJsonDocument({ id, collection: "audit", timestamp, value: { id } });
    await s.indexDocuments([doc("old", Date.now() - 120_000), doc("new", Date.now())]);
    expect((await s.searchDocuments({ query: parseSearchQuery({ collection: "audit" }) })).map((d) => d.id)).toEqual(["new"]);
  });

  it("projects are isolated", async () => {
    const a = await store();
    const b = new SearchStore(env.DB, `store-test-${++projects}`);
    expect(await b.searchDocuments({ query: query([]) })).toEqual([]);
    expect(await a.hasDocument("books", "b1")).toBe(true);
    expect(await b.hasDocument("books", "b1")).toBe(false);
  });
});

describe("SearchStore statistics", () => {
  it("facet stats by count descending, document stats per group, histogram", async () => {
    const s = await store();
    expect(await s.getFacetStats(query([]))).toEqual([
      { name: "genre", value: "fantasy", count: 2 },
      { name: "genre", value: "drama", count: 1 },
    ]);
    expect(await s.getDocumentStats(query([]), ["price"], ["author/name"])).toEqual([
      { group: { "author/name": "Tolkien" }, fieldStats: { price: { count: 2, min: 10, max: 30, sum: 40, average: 20 } } },
      { group: { "author/name": "Émile Zola" }, fieldStats: { price: { count: 1, min: 25.5, max: 25.5, sum: 25.5, average: 25.5 } } },
      { group: { "author/name": null }, fieldStats: { price: { count: 1 } } },
    ]);
    const at = (ms: number) => new Date(ms).toISOString();
    expect(await s.getSearchHistogram(query([], { since: at(0), before: at(4000) }), 4)).toEqual({
      since: "1970-01-01T00:00:00Z", before: "1970-01-01T00:00:04Z", counts: [0, 1, 1, 1],
    });
  });
});

describe("SearchStore collections", () => {
  it("lists the collections holding documents with their counts, by name, within the limit", async () => {
    const s = await store([...BOOKS, { id: "a1", collection: "authors", timestamp: 1, end: 1, value: { name: "Tolkien" } }]);
    expect(await s.collections(10)).toEqual([{ collection: "authors", documents: 1 }, { collection: "books", documents: 4 }]);
    expect(await s.collections(1)).toEqual([{ collection: "authors", documents: 1 }]);
    await s.deleteCollection("authors");
    expect(await s.collections(10)).toEqual([{ collection: "books", documents: 4 }]);
    expect(await new SearchStore(env.DB, "store-test-empty").collections(10)).toEqual([]);
  });
});

describe("SearchStore bad input", () => {
  it("rejects unknown shapes, malformed queries, SQL in paths and huge pages with BadRequest", async () => {
    const s = await store();
    await expect(ids(s, [{ frobnicate: 1 }])).rejects.toThrow(BadRequest);
    await expect(ids(s, [{ match: "x", bogus: true }])).rejects.toThrow(/Unknown constraint shape/);
    await expect(ids(s, [{ query: "(tolkien | rings" }])).rejects.toThrow(/Unclosed \(/);
    await expect(ids(s, [{ query: "tolkien)" }])).rejects.toThrow(/Unmatched \)/);
    await expect(ids(s, [{ query: "tolkien |" }])).rejects.toThrow(BadRequest);
    await expect(ids(s, [{ match: "x", paths: ["title'; DROP TABLE search_documents; --"] }])).rejects.toThrow(/Invalid path/);
    await expect(ids(s, [], { sorting: ["x) OR 1=1 --"] })).rejects.toThrow(BadRequest);
    await expect(ids(s, [], { maxSize: 1_000_000 })).rejects.toThrow(/maxSize/);
    expect(() => parseSearchQuery({ constraints: [] })).toThrow(/collection/);
    expect(await ids(s, [])).toHaveLength(4);
  });
});

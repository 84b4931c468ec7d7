/**
 * The Flux document store of one project on D1: every search request of the `/search` endpoint as
 * a method. Writes go out as one `db.batch` each; reads are single indexed queries.
 */
import { BadRequest } from "../errors";
import { compilePathFilter, filterDocument } from "./path-filter";
import { compileQuery, type SearchQuery } from "./search-query";
import { compileOrdering } from "./sorting";
import type { Query } from "./sql-constraint";
import {
  documentStats, facetStats, searchHistogram, type DocumentStats, type FacetStats, type SearchHistogram,
} from "./statistics";
import type { SerializedDocument } from "../protocol/document";
import {
  deleteByKeysStatements, deleteCollectionStatements, deleteDoomedStatements, indexStatements, jsonChunks, markExpiredStatement,
} from "./write-statements";

/** Largest page a search returns (and the page size when maxSize is absent). */
export const MAX_SEARCH_SIZE = 10_000;

/** SearchDocuments without its requestId. */
export interface SearchRequest {
  query: SearchQuery;
  sorting?: string[];
  maxSize?: number | null;
  pathFilters?: string[];
  skip?: number;
  lastHit?: SerializedDocument | null;
}

/** One BulkUpdateDocuments update: `object` is required unless the type is delete. */
export interface DocumentUpdate {
  type: "index" | "indexIfNotExists" | "delete";
  id: string;
  collection: string;
  object?: SerializedDocument | null;
}

const DOCUMENT_COLUMNS = "d.id, d.collection, d.ts, d.end_ts, d.data_value, d.data_type, d.data_revision, d.data_format, d.summary, d.facets, d.sortables";

/** Search documents of one project, stored in D1. */
export class SearchStore {
  private readonly query: Query;

  constructor(private readonly db: D1Database, private readonly projectId: string) {
    this.query = async (sql, params) => (await db.prepare(sql).bind(...params).all<Record<string, unknown>>()).results;
  }

  /** IndexDocuments: upserts by (collection, id), last duplicate wins. Returns the documents actually stored. */
  async indexDocuments(documents: SerializedDocument[], ifNotExists = false): Promise<SerializedDocument[]> {
    const latest = lastPerKey(documents, (d) => [d.collection, d.id]);
    return ifNotExists ? this.write([], latest, []) : this.write(latest, [], []);
  }

  /** BulkUpdateDocuments: the last update per (collection, id) wins. Returns the documents actually stored. */
  async bulkUpdateDocuments(updates: DocumentUpdate[]): Promise<SerializedDocument[]> {
    const latest = lastPerKey(updates, (u) => [u.collection, u.id]);
    const objects = (type: DocumentUpdate["type"]) => latest.filter((u) => u.type === type).map((u) => {
      if (!u.object) throw new BadRequest(`Update ${type} of ${u.id} has no object`);
      return u.object;
    });
    const deletes = latest.filter((u) => u.type === "delete").map((u) => [u.collection, u.id]);
    return this.write(objects("index"), objects("indexIfNotExists"), deletes);
  }

  /** One batch: deletes, upserts, inserts-if-absent, then the audit-trail purge. Returns what was stored. */
  private async write(upserts: SerializedDocument[], inserts: SerializedDocument[], deletes: string[][]): Promise<SerializedDocument[]> {
    const token = crypto.randomUUID();
    const statements = deletes.length > 0 ? deleteByKeysStatements(this.db, this.projectId, deletes) : [];
    const reporting: number[] = [];
    for (const plan of [indexStatements(this.db, this.projectId, upserts, false, token), indexStatements(this.db, this.projectId, inserts, true, token)]) {
      reporting.push(...plan.reporting.map((i) => i + statements.length));
      statements.push(...plan.statements);
    }
    const docs = [...upserts, ...inserts];
    if (docs.length > 0) {
      const collections = [...new Set(docs.map((d) => d.collection))];
      statements.push(markExpiredStatement(this.db, this.projectId, collections, Date.now()), ...deleteDoomedStatements(this.db, this.projectId));
    }
    if (statements.length === 0) return [];
    const results = await this.db.batch<{ collection: string; id: string }>(statements);
    const stored = new Set(reporting.flatMap((i) => results[i].results.map((r) => JSON.stringify([r.collection, r.id]))));
    return docs.filter((d) => stored.has(JSON.stringify([d.collection, d.id])));
  }

  /** DeleteDocumentById. */
  async deleteDocumentById(collection: string, id: string): Promise<void> {
    await this.db.batch(deleteByKeysStatements(this.db, this.projectId, [[collection, id]]));
  }

  /** DeleteDocuments: removes exactly the documents the query matches, atomically. */
  async deleteDocuments(q: SearchQuery): Promise<void> {
    const { where, params } = await compileQuery(q, this.projectId, this.query);
    await this.db.batch([
      this.db.prepare(`UPDATE search_documents AS d SET doomed = 1 WHERE ${where}`).bind(...params.values),
      ...deleteDoomedStatements(this.db, this.projectId),
    ]);
  }

  /** DeleteCollection. */
  async deleteCollection(collection: string): Promise<void> {
    await this.db.batch(deleteCollectionStatements(this.db, this.projectId, collection));
  }

  /** CreateAuditTrail: documents of the collection older than the retention are purged on each write. */
  async createAuditTrail(collection: string, retentionTimeInSeconds: number | null): Promise<void> {
    await this.db.prepare(
      "INSERT INTO search_collections (project_id, collection, retention_seconds) VALUES (?1, ?2, ?3) " +
      "ON CONFLICT (project_id, collection) DO UPDATE SET retention_seconds = excluded.retention_seconds",
    ).bind(this.projectId, collection, retentionTimeInSeconds).run();
  }

  /** GetDocument: null when absent. */
  async getDocument(collection: string, id: string): Promise<SerializedDocument | null> {
    const row = await this.db.prepare(`SELECT ${DOCUMENT_COLUMNS} FROM search_documents d WHERE d.project_id = ?1 AND d.collection = ?2 AND d.id = ?3`)
      .bind(this.projectId, collection, id).first<Record<string, unknown>>();
    return row ? toSerializedDocument(row) : null;
  }

  /** GetDocuments: the documents found, in the order of the (deduplicated) ids asked for. */
  async getDocuments(collection: string, ids: string[]): Promise<SerializedDocument[]> {
    const unique = [...new Set(ids)];
    const found = new Map<string, SerializedDocument>();
    for (const chunk of jsonChunks(unique)) {
      const rows = await this.query(
        `SELECT ${DOCUMENT_COLUMNS} FROM search_documents d WHERE d.project_id = ?1 AND d.collection = ?2 AND d.id IN (SELECT value FROM json_each(?3))`,
        [this.projectId, collection, chunk],
      );
      for (const r of rows) found.set(String(r.id), toSerializedDocument(r));
    }
    return unique.flatMap((id) => found.get(id) ?? []);
  }

  /** HasDocument. */
  async hasDocument(collection: string, id: string): Promise<boolean> {
    const row = await this.db.prepare("SELECT 1 AS found FROM search_documents WHERE project_id = ?1 AND collection = ?2 AND id = ?3")
      .bind(this.projectId, collection, id).first();
    return row !== null;
  }

  /**
   * SearchDocuments: matches in sort order. `skip` skips hits; `lastHit` continues after that hit
   * (keyset paging on its sort key, so skip is ignored then).
   */
  async searchDocuments(search: SearchRequest): Promise<SerializedDocument[]> {
    const maxSize = search.maxSize ?? MAX_SEARCH_SIZE;
    if (!Number.isInteger(maxSize) || maxSize < 0 || maxSize > MAX_SEARCH_SIZE) {
      throw new BadRequest(`maxSize must be an integer from 0 to ${MAX_SEARCH_SIZE}`);
    }
    const skip = search.lastHit ? 0 : search.skip ?? 0;
    if (!Number.isInteger(skip) || skip < 0) throw new BadRequest("skip must be a non-negative integer");
    const pathFilter = search.pathFilters?.length ? compilePathFilter(search.pathFilters) : null;
    const { where, params } = await compileQuery(search.query, this.projectId, this.query);
    const ordering = compileOrdering(search.sorting ?? [], search.lastHit ?? null, params);
    const rows = await this.query(
      `SELECT ${DOCUMENT_COLUMNS} FROM search_documents d WHERE ${where}${ordering.after ? ` AND ${ordering.after}` : ""} ` +
      `ORDER BY ${ordering.orderBy} LIMIT ${params.bind(maxSize)} OFFSET ${params.bind(skip)}`,
      params.values,
    );
    const hits = rows.map(toSerializedDocument);
    return pathFilter ? hits.map((d) => filterDocument(d, pathFilter)) : hits;
  }

  /** GetDocumentStats. */
  getDocumentStats(q: SearchQuery, fields: string[], groupBy: string[]): Promise<DocumentStats[]> {
    return documentStats(q, fields, groupBy, this.projectId, this.query);
  }

  /** The project's collections that hold documents, with how many (by name; at most `limit`). */
  async collections(limit: number): Promise<{ collection: string; documents: number }[]> {
    const rows = await this.query(
      "SELECT collection, COUNT(*) AS documents FROM search_documents WHERE project_id = ?1 GROUP BY collection ORDER BY collection LIMIT ?2",
      [this.projectId, limit],
    );
    return rows.map((r) => ({ collection: String(r.collection), documents: Number(r.documents) }));
  }

  /** GetFacetStats: count descending. */
  getFacetStats(q: SearchQuery): Promise<FacetStats[]> {
    return facetStats(q, this.projectId, this.query);
  }

  /** GetSearchHistogram. */
  getSearchHistogram(q: SearchQuery, resolution: number): Promise<SearchHistogram> {
    return searchHistogram(q, resolution, this.projectId, this.query, Date.now());
  }
}

function lastPerKey<T>(items: T[], key: (item: T) => unknown[]): T[] {
  const map = new Map<string, T>();
  for (const item of items) {
    const k = JSON.stringify(key(item));
    map.delete(k);
    map.set(k, item);
  }
  return [...map.values()];
}

/** A stored row as SerializedDocument JSON; nulls are left out as Flux's Jackson setup does. */
function toSerializedDocument(r: Record<string, unknown>): SerializedDocument {
  const document = { value: r.data_value, type: r.data_type, revision: r.data_revision, format: r.data_format };
  return withoutNulls({
    id: r.id, timestamp: r.ts, end: r.end_ts, collection: r.collection, document: withoutNulls(document),
    summary: r.summary, facets: JSON.parse(String(r.facets)), indexes: JSON.parse(String(r.sortables)),
  }) as unknown as SerializedDocument;
}

function withoutNulls(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * The statements behind every search write, built for one `db.batch` (one round trip, one
 * transaction): rows travel as JSON arrays expanded by `json_each`, never one statement per row.
 */
import { documentRows, type DocumentRows } from "./document-rows";
import type { SerializedDocument } from "../protocol/document";
import { PayloadTooLarge } from "../errors";

// D1 caps a bound string at 2 MB; stay well below it.
const MAX_JSON_CHARS = 900_000;

const CHILDREN = [
  {
    table: "search_entries", rows: "entries",
    insert: "INSERT INTO search_entries (project_id, collection, doc_id, ord, type, value, phrase, value_ci, num, path_long, path_short) SELECT ?1, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6, j.value->>7, j.value->>8, j.value->>9",
  },
  {
    table: "search_words", rows: "words",
    insert: "INSERT INTO search_words (project_id, collection, doc_id, ord, word, rword) SELECT ?1, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4",
  },
  {
    table: "search_facets", rows: "facets",
    insert: "INSERT INTO search_facets (project_id, collection, doc_id, name, value) SELECT ?1, j.value->>0, j.value->>1, j.value->>2, j.value->>3",
  },
  {
    table: "search_sortables", rows: "sortables",
    insert: "INSERT INTO search_sortables (project_id, collection, doc_id, name, value, path_long, path_short) SELECT ?1, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5",
  },
] as const;
const CHILD_TABLES = CHILDREN.map((c) => c.table);

const DOCUMENT_COLUMNS = ["ts", "end_ts", "data_value", "data_type", "data_revision", "data_format", "summary", "facets", "sortables", "write_token"];

/**
 * Splits rows into JSON arrays that each fit one bound parameter. A single row too large for one
 * (a huge document value or indexed entry) is a PayloadTooLarge naming the limit.
 */
export function jsonChunks(rows: readonly unknown[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (json.length + 2 > MAX_JSON_CHARS) {
      throw new PayloadTooLarge(`a search document (or one of its indexed values) takes ${json.length} characters stored, more than the ${MAX_JSON_CHARS} one may`);
    }
    if (current.length > 0 && size + json.length + 1 > MAX_JSON_CHARS) {
      chunks.push(`[${current.join(",")}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(",")}]`);
  return chunks;
}

/** Index statements and which of them report the documents they stored (RETURNING collection, id). */
export interface IndexPlan {
  statements: D1PreparedStatement[];
  reporting: number[];
}

/**
 * Stores documents (already deduplicated by collection and id). Upserts replace the old rows;
 * with `ifNotExists` existing documents are kept, and child rows are only written for documents
 * that carry this write's token, so a lost race never mixes two versions.
 */
export function indexStatements(db: D1Database, projectId: string, docs: SerializedDocument[], ifNotExists: boolean, token: string): IndexPlan {
  if (docs.length === 0) return { statements: [], reporting: [] };
  const rows: DocumentRows[] = docs.map((d) => documentRows(d, token));
  const statements = ifNotExists ? [] : deleteChildrenByKeys(db, projectId, docs.map((d) => [d.collection, d.id]));
  const reporting: number[] = [];
  const conflict = ifNotExists ? "DO NOTHING" : `DO UPDATE SET ${DOCUMENT_COLUMNS.map((c) => `${c} = excluded.${c}`).join(", ")}`;
  for (const chunk of jsonChunks(rows.map((r) => r.document))) {
    reporting.push(statements.length);
    statements.push(db.prepare(
      `INSERT INTO search_documents (project_id, collection, id, ${DOCUMENT_COLUMNS.join(", ")}) ` +
      `SELECT ?1, j.value->>'collection', j.value->>'id', ${DOCUMENT_COLUMNS.map((c) => `j.value->>'${c}'`).join(", ")} ` +
      `FROM json_each(?2) j WHERE 1 ON CONFLICT (project_id, collection, id) ${conflict} RETURNING collection, id`,
    ).bind(projectId, chunk));
  }
  for (const child of CHILDREN) {
    for (const chunk of jsonChunks(rows.flatMap((r) => r[child.rows]))) {
      statements.push(db.prepare(
        `${child.insert} FROM json_each(?2) j WHERE EXISTS (SELECT 1 FROM search_documents x ` +
        `WHERE x.project_id = ?1 AND x.collection = j.value->>0 AND x.id = j.value->>1 AND x.write_token = ?3)`,
      ).bind(projectId, chunk, token));
    }
  }
  return { statements, reporting };
}

function deleteChildrenByKeys(db: D1Database, projectId: string, keys: string[][]): D1PreparedStatement[] {
  return jsonChunks(keys).flatMap((chunk) => CHILD_TABLES.map((table) => db.prepare(
    `DELETE FROM ${table} WHERE project_id = ?1 AND (collection, doc_id) IN (SELECT value->>0, value->>1 FROM json_each(?2))`,
  ).bind(projectId, chunk)));
}

/** Deletes documents by (collection, id). */
export function deleteByKeysStatements(db: D1Database, projectId: string, keys: string[][]): D1PreparedStatement[] {
  return [
    ...deleteChildrenByKeys(db, projectId, keys),
    ...jsonChunks(keys).map((chunk) => db.prepare(
      "DELETE FROM search_documents WHERE project_id = ?1 AND (collection, id) IN (SELECT value->>0, value->>1 FROM json_each(?2))",
    ).bind(projectId, chunk)),
  ];
}

/** Deletes the documents marked doomed (by a delete-by-query or a retention purge) and their rows. */
export function deleteDoomedStatements(db: D1Database, projectId: string): D1PreparedStatement[] {
  const doomed = "SELECT collection, id FROM search_documents WHERE project_id = ?1 AND doomed = 1";
  return [
    ...CHILD_TABLES.map((table) => db.prepare(`DELETE FROM ${table} WHERE project_id = ?1 AND (collection, doc_id) IN (${doomed})`).bind(projectId)),
    db.prepare("DELETE FROM search_documents WHERE project_id = ?1 AND doomed = 1").bind(projectId),
  ];
}

/** Marks documents older than their collection's audit-trail retention; follow with deleteDoomedStatements. */
export function markExpiredStatement(db: D1Database, projectId: string, collections: string[], now: number): D1PreparedStatement {
  // Driven from the collections that have a retention, so a write to one without reads nothing,
  // and the cutoff is known per collection, so documents are found by a range on the ts index.
  return db.prepare(
    "UPDATE search_documents SET doomed = 1 WHERE (project_id, collection, id) IN (" +
      "SELECT d.project_id, d.collection, d.id FROM search_collections c JOIN search_documents d " +
      "ON d.project_id = c.project_id AND d.collection = c.collection AND d.ts < ?3 - c.retention_seconds * 1000 " +
      "WHERE c.project_id = ?1 AND c.collection IN (SELECT value FROM json_each(?2)) AND c.retention_seconds IS NOT NULL)",
  ).bind(projectId, JSON.stringify(collections), now);
}

/** Deletes a whole collection. */
export function deleteCollectionStatements(db: D1Database, projectId: string, collection: string): D1PreparedStatement[] {
  return [...CHILD_TABLES, "search_documents"].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE project_id = ?1 AND collection = ?2`).bind(projectId, collection));
}

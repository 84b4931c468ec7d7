/**
 * Aggregates over search matches, computed inside D1 with GROUP BY: document statistics per group
 * (GetDocumentStats), facet counts (GetFacetStats) and a time histogram (GetSearchHistogram).
 */
import { BadRequest } from "../errors";
import { compileQuery, effectiveBefore, formatInstant, type SearchQuery } from "./search-query";
import { pathCondition, type Query } from "./sql-constraint";
import type { SqlParams } from "./sql-params";
import { EntryType } from "../protocol/document";

/** `DocumentStats.FieldStats`; absent min/max/sum/average mean no numeric values. */
export interface FieldStats {
  count: number;
  min?: number;
  max?: number;
  sum?: number;
  average?: number;
}

/** `DocumentStats`: statistics per field for one group of documents. */
export interface DocumentStats {
  fieldStats: Record<string, FieldStats>;
  group: Record<string, string | null>;
}

/** `FacetStats`. */
export interface FacetStats {
  name: string;
  value: string;
  count: number;
}

/** `SearchHistogram`: instants as ISO-8601 strings. */
export interface SearchHistogram {
  since: string | null;
  before: string | null;
  counts: number[];
}

const MAX_FIELDS = 16;
const MAX_RESOLUTION = 1000;

/** Document.getEntryAtPath: the first entry (in document order) at a path, as a SQL scalar. */
function firstEntry(select: string, path: string, params: SqlParams): string {
  return `(SELECT ${select} FROM search_entries e WHERE e.project_id = ?1 AND e.collection = d.collection AND e.doc_id = d.id ` +
    `AND e.path_long <> '' AND ${pathCondition([path], params, "e")} ORDER BY e.ord LIMIT 1)`;
}

/** GetDocumentStats: per group of `groupBy` values, each field's count/min/max/sum/average over numeric values. */
export async function documentStats(q: SearchQuery, fields: string[], groupBy: string[], projectId: string, query: Query): Promise<DocumentStats[]> {
  if (fields.length + groupBy.length > MAX_FIELDS) throw new BadRequest(`At most ${MAX_FIELDS} fields and groups`);
  const { where, params } = await compileQuery(q, projectId, query);
  const finalFields = fields.length === 0 ? [""] : fields;
  const groups = groupBy.map((g, i) => `${firstEntry("e.value", g, params)} AS g${i}`);
  const values = finalFields.map((f, i) =>
    f.trim() === "" ? `NULL AS f${i}` : `${firstEntry(`CASE WHEN e.type = ${EntryType.NUMERIC} THEN e.num END`, f, params)} AS f${i}`);
  const aggregates = finalFields.map((_, i) => `min(f${i}) AS min${i}, max(f${i}) AS max${i}, sum(f${i}) AS sum${i}, count(f${i}) AS n${i}`);
  const groupColumns = groupBy.map((_, i) => `g${i}`);
  const rows = await query(
    `SELECT ${[...groupColumns, "count(*) AS count", ...aggregates].join(", ")} FROM ` +
    `(SELECT ${[...groups, ...values].join(", ")} FROM search_documents d WHERE ${where})` +
    (groupColumns.length > 0 ? ` GROUP BY ${groupColumns.join(", ")}` : ""),
    params.values,
  );
  const stats = rows.map((r) => ({
    fieldStats: Object.fromEntries(finalFields.map((f, i) => [f, fieldStats(r, i)])),
    group: Object.fromEntries(groupBy.map((g, i) => [g, (r[`g${i}`] as string | null) ?? null])),
  }));
  // Groups sort by their values in groupBy order, missing values last.
  return stats.sort((a, b) => {
    for (const g of groupBy) {
      const [x, y] = [a.group[g], b.group[g]];
      if (x !== y) return x === null ? 1 : y === null ? -1 : x < y ? -1 : 1;
    }
    return 0;
  });
}

function fieldStats(r: Record<string, unknown>, i: number): FieldStats {
  const count = Number(r.count);
  const n = Number(r[`n${i}`]);
  if (n === 0) return { count };
  const sum = Number(r[`sum${i}`]);
  // BigDecimal division to 10 significant digits, trailing zeros stripped.
  return { count, min: Number(r[`min${i}`]), max: Number(r[`max${i}`]), sum, average: Number((sum / n).toPrecision(10)) };
}

/** GetFacetStats: how many matching documents have each facet, most frequent first. */
export async function facetStats(q: SearchQuery, projectId: string, query: Query): Promise<FacetStats[]> {
  const { where, params } = await compileQuery(q, projectId, query);
  const rows = await query(
    `SELECT f.name, f.value, count(*) AS count FROM search_facets f WHERE f.project_id = ?1 ` +
    `AND (f.collection, f.doc_id) IN (SELECT d.collection, d.id FROM search_documents d WHERE ${where}) ` +
    "GROUP BY f.name, f.value ORDER BY count DESC, f.name, f.value",
    params.values,
  );
  return rows.map((r) => ({ name: String(r.name), value: String(r.value), count: Number(r.count) }));
}

/**
 * GetSearchHistogram: matches counted in `resolution` equal time buckets between since and before
 * (now if absent). Without since every count is zero, as in Flux. Flux's in-memory store computes
 * the bucket width as min(1, span / resolution), which overflows its own list; we use
 * max(1, span / resolution) and clamp documents outside the window to the edge buckets.
 */
export async function searchHistogram(q: SearchQuery, resolution: number, projectId: string, query: Query, now: number): Promise<SearchHistogram> {
  if (!Number.isInteger(resolution) || resolution < 1 || resolution > MAX_RESOLUTION) {
    throw new BadRequest(`resolution must be an integer from 1 to ${MAX_RESOLUTION}`);
  }
  const counts = new Array<number>(resolution).fill(0);
  if (q.since === null) return { since: null, before: formatInstant(effectiveBefore(q)), counts };
  const window = { ...q, before: effectiveBefore(q) ?? now };
  const since = q.since;
  const step = Math.max(1, Math.floor((window.before - since) / resolution));
  const { where, params } = await compileQuery(window, projectId, query);
  const rows = await query(
    `SELECT max(0, min((d.ts - ${params.bind(since)}) / ${params.bind(step)}, ${resolution - 1})) AS bucket, count(*) AS count ` +
    `FROM search_documents d WHERE ${where} AND d.ts IS NOT NULL GROUP BY bucket`,
    params.values,
  );
  for (const r of rows) counts[Number(r.bucket)] = Number(r.count);
  return { since: formatInstant(since), before: formatInstant(window.before), counts };
}

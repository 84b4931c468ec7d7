/**
 * Search order (Document.createComparator) and lastHit paging. Sorts are `timestamp`, `end` or a
 * @Sortable path, `-` for descending; none means newest first. Ties break on (collection, id) so
 * that paging is deterministic, and lastHit paging is keyset paging on the sort key of the last hit.
 */
import { BadRequest } from "../errors";
import { compilePathQuery, matchesPath } from "./paths";
import { pathCondition } from "./sql-constraint";
import type { SqlParams } from "./sql-params";
import type { NamedValue, SerializedDocument } from "../protocol/document";

const MAX_SORTS = 8;

interface SortKey {
  expr: string;
  desc: boolean;
  /** Flux orders missing values first or last depending on the key and direction. */
  nullsFirst: boolean;
  /** This key's value for a given document, for keyset paging. */
  valueOf: (doc: SerializedDocument) => string | number | null;
}

const adjustedEnd = (d: SerializedDocument) => {
  const ts = d.timestamp ?? null;
  const end = d.end ?? null;
  return end === null || ts === null || end > ts ? end : ts;
};

function sortKey(sort: string, params: SqlParams): SortKey {
  const timestamp = (d: SerializedDocument) => d.timestamp ?? null;
  switch (sort) {
    case "timestamp": return { expr: "d.ts", desc: false, nullsFirst: true, valueOf: timestamp };
    case "-timestamp": return { expr: "d.ts", desc: true, nullsFirst: false, valueOf: timestamp };
    case "end": return { expr: "d.end_ts", desc: false, nullsFirst: false, valueOf: adjustedEnd };
    case "-end": return { expr: "d.end_ts", desc: true, nullsFirst: true, valueOf: adjustedEnd };
  }
  const desc = sort.startsWith("-");
  const path = desc ? sort.slice(1) : sort;
  const matcher = compilePathQuery(path);
  // SortableEntry orders by name, then value: the key is the smallest (largest when descending) pair.
  const aggregate = desc ? "max" : "min";
  const expr = `(SELECT ${aggregate}(s.name || char(1) || s.value) FROM search_sortables s WHERE s.project_id = ?1 AND s.collection = d.collection AND s.doc_id = d.id AND ${pathCondition([path], params, "s")})`;
  const valueOf = (d: SerializedDocument) => {
    const keys = (d.indexes ?? []).filter((e: NamedValue) => matchesPath(matcher, e.name)).map((e) => `${e.name}\u0001${e.value}`).sort();
    return keys.length === 0 ? null : desc ? keys[keys.length - 1] : keys[0];
  };
  return { expr, desc, nullsFirst: desc, valueOf };
}

/** The ORDER BY and, after a lastHit, the keyset condition of a search. */
export interface Ordering {
  orderBy: string;
  after: string | null;
}

/** Compiles `sorting` (default `-timestamp` with missing timestamps first, as Flux) and the lastHit keyset. */
export function compileOrdering(sorting: readonly string[], lastHit: SerializedDocument | null, params: SqlParams): Ordering {
  if (sorting.length > MAX_SORTS) throw new BadRequest(`At most ${MAX_SORTS} sort keys`);
  const keys: SortKey[] = sorting.length === 0
    ? [{ expr: "d.ts", desc: true, nullsFirst: true, valueOf: (d) => d.timestamp ?? null }]
    : sorting.map((s) => sortKey(s, params));
  const orderBy = [...keys.map((k) => `${k.expr} ${k.desc ? "DESC" : "ASC"} NULLS ${k.nullsFirst ? "FIRST" : "LAST"}`), "d.collection", "d.id"].join(", ");
  if (!lastHit) return { orderBy, after: null };
  let after = `(d.collection, d.id) > (${params.bind(lastHit.collection ?? "")}, ${params.bind(lastHit.id)})`;
  for (const k of [...keys].reverse()) {
    const value = k.valueOf(lastHit);
    const bound = value === null ? null : params.bind(value);
    after = `(${strictlyAfter(k, bound)} OR (${k.expr} IS ${bound ?? "NULL"} AND ${after}))`;
  }
  return { orderBy, after };
}

function strictlyAfter(k: SortKey, bound: string | null): string {
  if (bound === null) return k.nullsFirst ? `${k.expr} IS NOT NULL` : "0";
  const beyond = `${k.expr} ${k.desc ? "<" : ">"} ${bound}`;
  return k.nullsFirst ? beyond : `(${beyond} OR ${k.expr} IS NULL)`;
}

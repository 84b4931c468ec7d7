/**
 * Flux's SearchQuery: collections, a time window and constraints, read from JSON and compiled to
 * the WHERE clause every search, delete-by-query and statistics request shares.
 */
import { BadRequest } from "../errors";
import { all, type Constraint } from "./constraint";
import { parseConstraints } from "./constraint-json";
import { compileConstraint, type Query } from "./sql-constraint";
import { SqlParams } from "./sql-params";

/** A parsed SearchQuery; instants are epoch milliseconds. */
export interface SearchQuery {
  collections: string[];
  since: number | null;
  before: number | null;
  sinceExclusive: boolean;
  beforeInclusive: boolean;
  constraint: Constraint;
}

/** Reads a SearchQuery (`collection`, alias `collections`, a string or a list; `since`/`before` ISO-8601). */
export function parseSearchQuery(json: unknown): SearchQuery {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new BadRequest("query must be an object");
  const q = json as Record<string, unknown>;
  const raw = q.collection ?? q.collections;
  const collections = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(collections) || collections.length === 0 || !collections.every((c) => typeof c === "string" && c !== "")) {
    throw new BadRequest("query.collection must name at least one collection");
  }
  return {
    collections: [...new Set(collections as string[])],
    since: parseInstant(q.since, "since"),
    before: parseInstant(q.before, "before"),
    sinceExclusive: q.sinceExclusive === true,
    beforeInclusive: q.beforeInclusive === true,
    constraint: all(parseConstraints(q.constraints)),
  };
}

/** Parses an ISO-8601 instant to epoch ms (null when absent). */
export function parseInstant(v: unknown, field: string): number | null {
  if (v === undefined || v === null) return null;
  const ms = typeof v === "string" ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new BadRequest(`${field} must be an ISO-8601 instant`);
  return ms;
}

/** Formats epoch ms as Java's Instant.toString() does (no fraction when it is zero). */
export function formatInstant(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString().replace(".000Z", "Z");
}

/** SearchQuery.getBefore(): a before not after since collapses onto since. */
export function effectiveBefore(q: SearchQuery): number | null {
  return q.before === null || q.since === null || q.before > q.since ? q.before : q.since;
}

/** The WHERE clause on documents `d` for a query, and its parameters. */
export async function compileQuery(q: SearchQuery, projectId: string, query: Query): Promise<{ where: string; params: SqlParams }> {
  const params = new SqlParams(projectId, q.collections);
  const tests = ["d.project_id = ?1", "d.collection IN (SELECT value FROM json_each(?2))"];
  if (q.since !== null) tests.push(`(d.end_ts IS NULL OR d.end_ts ${q.sinceExclusive ? ">" : ">="} ${params.bind(q.since)})`);
  const before = effectiveBefore(q);
  if (before !== null) {
    const inclusive = q.beforeInclusive || before === q.since;
    tests.push(`(d.ts IS NULL OR d.ts ${inclusive ? "<=" : "<"} ${params.bind(before)})`);
  }
  const constraint = await compileConstraint(q.constraint, params, query);
  if (constraint !== "1") tests.push(constraint);
  return { where: tests.join(" AND "), params };
}

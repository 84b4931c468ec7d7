/**
 * Reads Flux constraints from their JSON form. Flux uses Jackson DEDUCTION, so a constraint's shape
 * is its type: `{all}`, `{any}`, `{not}`, `{match,strict,paths}`, `{contains,prefixSearch,postfixSearch,paths}`,
 * `{min,max,paths}`, `{exists}`, `{query,lookAheadForAllTerms,paths}`, `{lookAhead,paths}`, `{facet}`.
 * `path` is an alias of `paths` and a single string stands for a one-element list. `{}` is Flux's
 * NoOpConstraint (the DEDUCTION default), which the Java client sends for e.g. `match(null, path)`
 * or `lookAhead("")`: it matches everything.
 */
import { BadRequest } from "../errors";
import { normalize } from "../protocol/document";
import { NOOP, all, any, type Bound, type Constraint } from "./constraint";
import { validatePathQuery } from "./paths";
import { lookAhead, parseQuery } from "./query-language";

const MAX_DEPTH = 32;
const MAX_TEXT = 10_000;

const SHAPES: Record<string, readonly string[]> = {
  all: ["all"],
  any: ["any"],
  not: ["not"],
  match: ["match", "strict", "paths", "path"],
  contains: ["contains", "prefixSearch", "postfixSearch", "paths", "path"],
  min: ["min", "max", "paths", "path"],
  max: ["min", "max", "paths", "path"],
  exists: ["exists"],
  query: ["query", "lookAheadForAllTerms", "paths", "path"],
  lookAhead: ["lookAhead", "paths", "path"],
  facet: ["facet"],
};

type Json = Record<string, unknown>;

/** Parses a list of JSON constraints (absent means none). */
export function parseConstraints(json: unknown): Constraint[] {
  if (json === undefined || json === null) return [];
  return asList(json, "constraints").map((c) => parseConstraint(c, 0));
}

/** Parses one JSON constraint. Throws BadRequest naming what is wrong. */
export function parseConstraint(json: unknown, depth: number): Constraint {
  if (depth > MAX_DEPTH) throw new BadRequest(`Constraints nested deeper than ${MAX_DEPTH}`);
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new BadRequest(`A constraint must be an object, got ${JSON.stringify(json)}`);
  }
  const c = json as Json;
  if (Object.keys(c).length === 0) return NOOP;
  const kind = Object.keys(SHAPES).find((k) => k in c);
  const extra = kind ? Object.keys(c).filter((k) => !SHAPES[kind].includes(k)) : Object.keys(c);
  if (!kind || extra.length > 0) {
    throw new BadRequest(`Unknown constraint shape with fields [${Object.keys(c).join(", ")}]`);
  }
  const paths = () => parsePaths(c.paths ?? c.path);
  const nested = (v: unknown) => parseConstraint(v, depth + 1);
  switch (kind) {
    case "all":
      return all(asList(c.all, "all").map(nested));
    case "any":
      return any(asList(c.any, "any").map(nested));
    case "not":
      return { kind: "not", of: nested(c.not) };
    case "match":
      return { kind: "match", value: scalarText(c.match, "match"), strict: flag(c.strict, "strict"), paths: paths() };
    case "contains":
      return {
        kind: "contains", term: normalize(text(c.contains, "contains")), paths: paths(),
        prefix: flag(c.prefixSearch, "prefixSearch"), postfix: flag(c.postfixSearch, "postfixSearch"),
      };
    case "min":
    case "max":
      return { kind: "between", min: bound(c.min, "min"), max: bound(c.max, "max"), paths: paths() };
    case "exists": {
      const path = text(c.exists, "exists");
      validatePathQuery(path);
      return { kind: "exists", paths: path.endsWith("**") ? [path] : [path, `${path}/**`] };
    }
    case "query": {
      const query = text(c.query, "query");
      return query.trim() === "" ? NOOP : parseQuery(query, flag(c.lookAheadForAllTerms, "lookAheadForAllTerms"), paths());
    }
    case "lookAhead": {
      const value = text(c.lookAhead, "lookAhead");
      return value.trim() === "" ? NOOP : lookAhead(value, paths());
    }
    default: {
      const facet = c.facet as Json | null;
      if (typeof facet !== "object" || facet === null) throw new BadRequest("facet must be an object {name, value}");
      return { kind: "facet", name: text(facet.name, "facet.name"), value: scalarText(facet.value, "facet.value") };
    }
  }
}

/** Parses `paths`/`pathFilters`-style input: a string or a list of strings, each validated. */
export function parsePaths(json: unknown): string[] {
  if (json === undefined || json === null) return [];
  const list = typeof json === "string" ? [json] : asList(json, "paths");
  return list.map((p) => {
    const path = text(p, "path");
    validatePathQuery(path);
    return path;
  });
}

function asList(json: unknown, field: string): unknown[] {
  if (Array.isArray(json)) return json;
  if (typeof json === "object" && json !== null) return [json];
  throw new BadRequest(`${field} must be a list`);
}

function text(v: unknown, field: string): string {
  if (typeof v !== "string") throw new BadRequest(`${field} must be a string`);
  if (v.length > MAX_TEXT) throw new BadRequest(`${field} longer than ${MAX_TEXT} characters`);
  return v;
}

function scalarText(v: unknown, field: string): string {
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  return text(v, field);
}

function flag(v: unknown, field: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== "boolean") throw new BadRequest(`${field} must be true or false`);
  return v;
}

function bound(v: unknown, field: string): Bound | null {
  if (v === undefined || v === null) return null;
  if (typeof v === "number" || typeof v === "bigint") return { numeric: true, text: String(v), num: Number(v) };
  const value = text(v, field);
  return { numeric: false, text: value, num: NaN };
}

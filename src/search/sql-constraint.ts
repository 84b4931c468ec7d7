/**
 * Compiles decomposed constraints to a SQL condition on documents `d`. Each leaf becomes
 * `(d.collection, d.id) IN (subquery)` over an indexed table, so SQLite evaluates it once from an
 * index instead of per document. Matching follows Flux's constraint classes exactly:
 * match/contains/exists test entries at any matching path (a root value has path ''), between
 * only entries that have a path.
 */
import { BadRequest } from "../errors";
import type { Constraint } from "./constraint";
import { compilePathQuery } from "./paths";
import { scope, type SqlParams } from "./sql-params";
import { normalize } from "../protocol/document";
import { isWord, LETTER_OR_NUMBER, reverse, wordSpans } from "./text";
import { EntryType } from "../protocol/document";

const DOC_KEY = "(d.collection, d.id)";
// Ceiling on documents a contains term that spans several words may narrow down to (see resolveTerm).
const MAX_TERM_MATCHES = 50_000;

/** Runs a read-only query; the compiler needs it for contains terms that span several words. */
export type Query = (sql: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

type Contains = Extract<Constraint, { kind: "contains" }>;

/** SQL matching entries (alias `alias`) at any of the path queries; '1' when there are none. */
export function pathCondition(paths: readonly string[], params: SqlParams, alias: string): string {
  if (paths.length === 0) return "1";
  const tests: string[] = [];
  for (const path of paths) {
    const m = compilePathQuery(path);
    const column = `${alias}.${m.column}`;
    if (m.exact.length > 0) tests.push(`${column} IN (${m.exact.map((p) => params.bind(p)).join(", ")})`);
    for (const glob of m.globs) tests.push(`${column} GLOB ${params.bind(glob)}`);
  }
  return `(${tests.join(" OR ")})`;
}

/** Compiles a constraint to a condition on `d`. */
export async function compileConstraint(c: Constraint, params: SqlParams, query: Query): Promise<string> {
  const entries = (condition: string) =>
    `${DOC_KEY} IN (SELECT e.collection, e.doc_id FROM search_entries e WHERE ${scope("e")} AND ${condition})`;
  switch (c.kind) {
    case "noop":
      return "1";
    case "all":
    case "any": {
      const parts = await Promise.all(c.of.map((x) => compileConstraint(x, params, query)));
      return `(${parts.join(c.kind === "all" ? " AND " : " OR ")})`;
    }
    case "not":
      return `NOT ${await compileConstraint(c.of, params, query)}`;
    case "facet":
      return `${DOC_KEY} IN (SELECT f.collection, f.doc_id FROM search_facets f WHERE ${scope("f")} AND f.name = ${params.bind(c.name)} AND f.value = ${params.bind(c.value)})`;
    case "exists":
      return entries(`e.type <> ${EntryType.NULL} AND ${pathCondition(c.paths, params, "e")}`);
    case "match": {
      if (!c.strict) return entries(`e.phrase = ${params.bind(normalize(c.value))} AND ${pathCondition(c.paths, params, "e")}`);
      // A strict value equals its phrase (non-text) or normalises to it (text): keeps the phrase index usable.
      const raw = params.bind(c.value);
      return entries(`e.phrase IN (${raw}, ${params.bind(normalize(c.value))}) AND e.value = ${raw} AND ${pathCondition(c.paths, params, "e")}`);
    }
    case "between": {
      const tests = [`e.path_long <> ''`, pathCondition(c.paths, params, "e")];
      if (c.min) tests.push(compare(c.min, ">=", params));
      if (c.max) tests.push(compare(c.max, "<", params));
      return entries(tests.join(" AND "));
    }
    case "contains":
      return isWord(c.term) ? containsWord(c, params) : resolveTerm(c, params, query);
  }
}

/** Entry.compareTo against a bound: numerically between NUMERIC values, else case-insensitively as text. */
function compare(bound: { numeric: boolean; text: string; num: number }, op: ">=" | "<", params: SqlParams): string {
  const asText = `coalesce(e.value_ci, e.value) ${op} ${params.bind(bound.text.toLowerCase())}`;
  if (!bound.numeric) return asText;
  return `((e.type = ${EntryType.NUMERIC} AND e.num ${op} ${params.bind(bound.num)}) OR (e.type <> ${EntryType.NUMERIC} AND ${asText}))`;
}

/**
 * A single-word term: Flux's boundary regex then means "some word of the phrase equals / starts with /
 * ends with / contains the term", which the words table answers from its indexes.
 */
function containsWord(c: Contains, params: SqlParams): string {
  const word = c.prefix && c.postfix ? `instr(w.word, ${params.bind(c.term)}) > 0`
    : c.postfix ? `w.word GLOB ${params.bind(c.term + "*")}`
    : c.prefix ? `w.rword GLOB ${params.bind(reverse(c.term) + "*")}`
    : `w.word = ${params.bind(c.term)}`;
  if (c.paths.length === 0) {
    return `${DOC_KEY} IN (SELECT w.collection, w.doc_id FROM search_words w WHERE ${scope("w")} AND ${word})`;
  }
  return `${DOC_KEY} IN (SELECT w.collection, w.doc_id FROM search_words w JOIN search_entries e ON ${JOIN_ENTRY} WHERE ${scope("w")} AND ${word} AND ${pathCondition(c.paths, params, "e")})`;
}

const JOIN_ENTRY = "e.project_id = w.project_id AND e.collection = w.collection AND e.doc_id = w.doc_id AND e.ord = w.ord";

/**
 * A term spanning several words (or none, like "-"): narrow candidates with the most selective word
 * of the term, then run Flux's exact regex on their phrases here, and pass the matching documents
 * to the main query as a list.
 */
async function resolveTerm(c: Contains, outer: SqlParams, query: Query): Promise<string> {
  const params = outer.fork();
  const spans = wordSpans(c.term);
  const anchor = pickAnchor(c, spans);
  const paths = pathCondition(c.paths, params, "e");
  const contains = `instr(e.phrase, ${params.bind(c.term)}) > 0`;
  const sql = anchor
    ? `SELECT DISTINCT e.collection, e.doc_id, e.phrase FROM search_words w JOIN search_entries e ON ${JOIN_ENTRY} WHERE ${scope("w")} AND ${anchor(params)} AND ${paths} AND ${contains} LIMIT ${MAX_TERM_MATCHES + 1}`
    : `SELECT DISTINCT e.collection, e.doc_id, e.phrase FROM search_entries e WHERE ${scope("e")} AND ${paths} AND ${contains} LIMIT ${MAX_TERM_MATCHES + 1}`;
  const rows = await query(sql, params.values);
  if (rows.length > MAX_TERM_MATCHES) throw new BadRequest(`Search term ${JSON.stringify(c.term)} matches too many entries; narrow it down`);
  const regex = containsRegExp(c);
  const keys = new Set<string>();
  for (const r of rows) if (regex.test(String(r.phrase))) keys.add(JSON.stringify([r.collection, r.doc_id]));
  return `${DOC_KEY} IN (SELECT value->>0, value->>1 FROM json_each(${outer.bind(`[${[...keys].join(",")}]`)}))`;
}

type Anchor = (params: SqlParams) => string;

/**
 * Picks the word lookup every match must satisfy: an inner word of the term is a whole word of the
 * phrase; the first word is whole unless prefixSearch (then a word suffix), the last unless
 * postfixSearch (then a word prefix).
 */
function pickAnchor(c: Contains, spans: ReturnType<typeof wordSpans>): Anchor | null {
  if (spans.length === 0) return null;
  // The term has a separator, so no word touches both of its ends.
  const kinds = spans.map((s) => (s.start === 0 && c.prefix ? "suffix" : s.end === c.term.length && c.postfix ? "prefix" : "whole"));
  const pick = (kind: string) => spans.filter((_, i) => kinds[i] === kind).sort((a, b) => b.word.length - a.word.length)[0];
  const whole = pick("whole");
  if (whole) return (p) => `w.word = ${p.bind(whole.word)}`;
  const prefix = pick("prefix");
  if (prefix) return (p) => `w.word GLOB ${p.bind(prefix.word + "*")}`;
  const suffix = pick("suffix");
  return (p) => `w.rword GLOB ${p.bind(reverse(suffix.word) + "*")}`;
}

/** ContainsConstraint's pattern: the term, bounded by non-letters/digits unless prefix/postfix search. */
function containsRegExp(c: { term: string; prefix: boolean; postfix: boolean }): RegExp {
  const quoted = c.term.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const before = c.prefix ? "" : `(?<=[^${LETTER_OR_NUMBER}]|^)`;
  const after = c.postfix ? "" : `(?=[^${LETTER_OR_NUMBER}]|$)`;
  return new RegExp(before + quoted + after, "u");
}

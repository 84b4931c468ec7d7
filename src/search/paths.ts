/**
 * Document paths and path queries as Flux's `Document.Path` and `SearchUtils.getGlobMatcher` define
 * them, translated to SQLite GLOB patterns so that path filters run inside D1.
 */
import { RE2JS } from "re2js";
import { BadRequest } from "../errors";
import { isInteger, unescapeFieldName } from "../protocol/document";

const SEPARATOR = /(?<!\\)\//;
const UNESCAPED_DOT = /(?<!\\)\./g;
const MAX_PATH_LENGTH = 512;
const MAX_ALTERNATIVES = 32;
// Characters no Flux path needs; rejecting them keeps SQL-looking input out before anything runs.
const FORBIDDEN = /[\u0000-\u001f';`=<>()]|--/;

function split(path: string): string[] {
  const parts = path.split(SEPARATOR);
  // Java's String.split drops trailing empty strings.
  while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** How many elements a document path has. */
export function pathDepth(path: string): number {
  return split(path).length;
}

/** `Path.getLongValue`: every element, unescaped. */
export function longPath(path: string): string {
  return split(path).map(unescapeFieldName).join("/");
}

/** `Path.getShortValue`: array indices dropped, elements unescaped. */
export function shortPath(path: string): string {
  return split(path).filter((p) => !isInteger(p)).map(unescapeFieldName).join("/");
}

/** A path query compiled for SQL: which path form it tests and the GLOB patterns (any may match). */
export interface PathMatcher {
  column: "path_long" | "path_short";
  /** SQLite GLOB patterns; `exact` lists the ones without wildcards (compare with `=`). */
  globs: string[];
  exact: string[];
}

/** Rejects path queries that are too long or carry characters no path needs. */
export function validatePathQuery(query: string): void {
  if (query.length > MAX_PATH_LENGTH) throw new BadRequest(`Path longer than ${MAX_PATH_LENGTH} characters`);
  if (FORBIDDEN.test(query)) throw new BadRequest(`Invalid path: ${JSON.stringify(query)}`);
}

/** Compiles a Flux path query (`Path.pathPredicate`): dots become slashes, globs apply to the short or long path. */
export function compilePathQuery(query: string): PathMatcher {
  validatePathQuery(query);
  const normalized = query.replace(UNESCAPED_DOT, "/");
  const column = split(normalized).some(isInteger) ? "path_long" : "path_short";
  const patterns = [...new Set(globToSqlite(normalized))];
  const exact = patterns.filter((p) => !/[*?[]/.test(p)).map(unescapeGlobLiteral);
  return { column, globs: patterns.filter((p) => /[*?[]/.test(p)), exact };
}

/** Tests a path against a compiled query in JavaScript (for values the client sent, like a lastHit). */
export function matchesPath(matcher: PathMatcher, path: string): boolean {
  const value = matcher.column === "path_long" ? longPath(path) : shortPath(path);
  return matcher.exact.includes(value) || matcher.globs.some((g) => globMatcher(g).testExact(value));
}

// Compiled globs, reused across the documents of a request; cleared when it grows past a bound.
const compiled = new Map<string, RE2JS>();

/**
 * A glob as RE2 (see src/log/type-filter.ts): linear in the path's length, where a backtracking
 * engine took minutes for `*a*a*a*a*a*a*a*a*a*a*a*a*b` over sixty `a`s.
 */
function globMatcher(glob: string): RE2JS {
  let re = compiled.get(glob);
  if (!re) {
    if (compiled.size >= 1000) compiled.clear();
    try {
      re = RE2JS.compile(sqliteGlobRegExp(glob));
    } catch (e) {
      throw new BadRequest(`Invalid path pattern ${JSON.stringify(glob)}: ${(e as Error).message}`);
    }
    compiled.set(glob, re);
  }
  return re;
}

const GLOB_SPECIAL = /[*?[]/g;

function literal(ch: string): string {
  return ch.replace(GLOB_SPECIAL, "[$&]");
}

function unescapeGlobLiteral(pattern: string): string {
  return pattern.replace(/\[([*?[])\]/g, "$1");
}

/**
 * Translates a Flux glob to SQLite GLOB patterns, following getGlobMatcher's regex translation:
 * `*` any run (slashes included), `?` one character, `[..]`/`[!..]` classes, `{a,b}` alternatives
 * (expanded into several patterns), `\x` a literal x.
 */
function globToSqlite(glob: string): string[] {
  let i = 0;
  const sequence = (inGroup: boolean): string[] => {
    let results = [""];
    const append = (parts: string[]) => {
      results = results.flatMap((r) => parts.map((p) => r + p));
      if (results.length > MAX_ALTERNATIVES) throw new BadRequest(`Path pattern ${JSON.stringify(glob)} has too many alternatives`);
    };
    while (i < glob.length) {
      const ch = glob[i];
      if (inGroup && (ch === "," || ch === "}")) return results;
      i++;
      if (ch === "\\") append([i < glob.length ? literal(glob[i++]) : "\\"]);
      else if (ch === "*" || ch === "?") append([ch]);
      else if (ch === "[") append([characterClass()]);
      else if (ch === "{") append(group());
      else append([literal(ch)]);
    }
    if (inGroup) throw new BadRequest(`Unclosed { in path pattern ${JSON.stringify(glob)}`);
    return results;
  };
  const group = (): string[] => {
    const alternatives: string[] = [];
    for (;;) {
      alternatives.push(...sequence(true));
      if (glob[i++] === "}") return alternatives;
    }
  };
  const characterClass = (): string => {
    const close = glob.indexOf("]", i + 1);
    if (close < 0) throw new BadRequest(`Unclosed [ in path pattern ${JSON.stringify(glob)}`);
    const body = glob.slice(i, close);
    i = close + 1;
    return `[${body.startsWith("!") ? "^" + body.slice(1) : body}]`;
  };
  return sequence(false);
}

function sqliteGlobRegExp(glob: string): string {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else if (ch === "[") {
      const close = glob.indexOf("]", i + 2);
      const body = glob.slice(i + 1, close);
      source += `[${body.startsWith("^") ? "^" + body.slice(1).replace(/[\\\]]/g, "\\$&") : body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return source;
}

/**
 * Typed builders of Flux search constraints. Each returns the constraint's JSON exactly as Flux
 * clients send it (Jackson infers the kind from the fields present), so the hub reads them as it
 * reads a Java client's. Paths use `/` or `.` between fields and may be globs (`*`, `**`, `{a,b}`);
 * leaving them out searches every path.
 */

/** A path or paths a constraint applies to; none means anywhere in the document. */
export type Paths = string | readonly string[];

/** A Flux search constraint, as JSON. */
export type Constraint =
  | { all: Constraint[] }
  | { any: Constraint[] }
  | { not: Constraint }
  | { match: string | number | boolean; strict: boolean; paths: string[] }
  | { contains: string; prefixSearch: boolean; postfixSearch: boolean; paths: string[] }
  | { min: string | number | null; max: string | number | null; paths: string[] }
  | { exists: string }
  | { query: string; lookAheadForAllTerms: boolean; paths: string[] }
  | { facet: { name: string; value: string } };

const list = (paths: Paths | undefined): string[] => (paths === undefined ? [] : typeof paths === "string" ? [paths] : [...paths]);

/** A value equal to `value` (case- and accent-insensitive for text unless `strict`). */
export function match(value: string | number | boolean, paths?: Paths, options: { strict?: boolean } = {}): Constraint {
  return { match: value, strict: options.strict ?? false, paths: list(paths) };
}

/**
 * Text holding `term` at word boundaries. With `postfixSearch` more characters may follow the
 * term (`"ord"` finds "order"), with `prefixSearch` more may precede it (`"der"` finds "order").
 */
export function contains(term: string, paths?: Paths, options: { prefixSearch?: boolean; postfixSearch?: boolean } = {}): Constraint {
  return { contains: term, prefixSearch: options.prefixSearch ?? false, postfixSearch: options.postfixSearch ?? false, paths: list(paths) };
}

/** A value with `min <= x < max` (numbers numerically, text case-insensitively); null leaves a side open. */
export function between(min: string | number | null, max: string | number | null, paths?: Paths): Constraint {
  return { min, max, paths: list(paths) };
}

/** Documents with any value at `path` or below it. */
export function exists(path: string): Constraint {
  return { exists: path };
}

/**
 * Flux's query language: every word must be found, `"quoted phrases"` as a whole; `*` at a word's
 * end or start allows more characters there; `|` (OR) for either, `!` for not, and parentheses.
 * With `lookAheadForAllTerms` every term also matches the start of a longer word.
 */
export function query(text: string, paths?: Paths, options: { lookAheadForAllTerms?: boolean } = {}): Constraint {
  return { query: text, lookAheadForAllTerms: options.lookAheadForAllTerms ?? false, paths: list(paths) };
}

/** Documents whose facet `name` (given with `index(…, { facets })`) has `value`. */
export function facet(name: string, value: string | number | boolean): Constraint {
  return { facet: { name, value: String(value) } };
}

/** Every one of `constraints` holds. */
export function allOf(...constraints: Constraint[]): Constraint {
  return { all: constraints };
}

/** At least one of `constraints` holds. */
export function anyOf(...constraints: Constraint[]): Constraint {
  return { any: constraints };
}

/** `constraint` does not hold. */
export function not(constraint: Constraint): Constraint {
  return { not: constraint };
}

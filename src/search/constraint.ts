/**
 * Flux search constraints, decomposed (Constraint.decompose): query and lookAhead constraints are
 * rewritten into all/any/not of contains constraints, so only these node kinds reach the compiler.
 */

/** A bound of a between constraint: numeric bounds compare numerically with NUMERIC entries. */
export interface Bound {
  numeric: boolean;
  /** `toString()` of the bound, as Entry.compareTo sees it. */
  text: string;
  num: number;
}

/** A decomposed constraint. Paths are raw Flux path queries (glob, dots or slashes). */
export type Constraint =
  | { kind: "noop" }
  | { kind: "all"; of: Constraint[] }
  | { kind: "any"; of: Constraint[] }
  | { kind: "not"; of: Constraint }
  | { kind: "match"; value: string; strict: boolean; paths: string[] }
  /** `term` is already normalised; prefix/postfix drop the word boundary before/after it. */
  | { kind: "contains"; term: string; prefix: boolean; postfix: boolean; paths: string[] }
  | { kind: "between"; min: Bound | null; max: Bound | null; paths: string[] }
  /** Entries that are not JSON null at any of `paths`. */
  | { kind: "exists"; paths: string[] }
  | { kind: "facet"; name: string; value: string };

/** The constraint that matches every document. */
export const NOOP: Constraint = { kind: "noop" };

/** `AllConstraint.all`: none is a no-op, one is itself. */
export function all(of: Constraint[]): Constraint {
  const list = of.filter((c) => c.kind !== "noop");
  return list.length === 0 ? NOOP : list.length === 1 ? list[0] : { kind: "all", of: list };
}

/** `AnyConstraint.any` (a no-op among the options makes the whole any a no-op). */
export function any(of: Constraint[]): Constraint {
  if (of.length === 0 || of.some((c) => c.kind === "noop")) return NOOP;
  return of.length === 1 ? of[0] : { kind: "any", of };
}

/** `Constraint.or`: flattens nested any constraints. */
export function or(left: Constraint, right: Constraint): Constraint {
  const flat = (c: Constraint) => (c.kind === "any" ? c.of : [c]);
  return any([...flat(left), ...flat(right)]);
}

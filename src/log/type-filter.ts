/**
 * A read's `typeFilter` (Flux: a Java regular expression over `data.type`) evaluated by RE2JS, a
 * port of RE2: matching is linear in the type's length whatever the pattern, so no pattern can
 * stall the partition (and every project in the isolate) by backtracking. RE2 syntax is Java's
 * without backreferences and lookaround; a pattern RE2 cannot run is refused with a BadRequest.
 */
import { RE2JS } from "re2js";
import { BadRequest } from "../errors";

/** Matches whole message types. */
export interface TypeMatcher {
  test(type: string): boolean;
}

/** Patterns compiled before, kept because every read of a filtered tracker names its pattern again. */
const compiled = new Map<string, TypeMatcher>();
const MAX_PATTERNS = 1000;

/** Compiles `pattern`, which must match a type in full (as Java's `Pattern.matches`). */
export function compileTypeFilter(pattern: string): TypeMatcher {
  const known = compiled.get(pattern);
  if (known) return known;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    throw new BadRequest(`typeFilter is not a regular expression the hub can run (RE2 syntax): ${(e as Error).message}`);
  }
  const matcher = { test: (type: string) => re.testExact(type) };
  if (compiled.size >= MAX_PATTERNS) compiled.clear();
  compiled.set(pattern, matcher);
  return matcher;
}

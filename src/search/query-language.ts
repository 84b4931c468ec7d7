/**
 * Flux's query mini-language (QueryConstraint) and lookAhead (LookAheadConstraint): terms,
 * "quoted phrases", `*` wildcards, `&`/AND, `|`/OR, `!`, parentheses. Ported from the Java parser,
 * except that unbalanced parentheses and dangling operators are rejected instead of guessed at.
 */
import { BadRequest } from "../errors";
import { all, or, type Constraint } from "./constraint";
import { javaTrim, normalize } from "../protocol/document";
import { LETTER_OR_NUMBER, splitInTerms } from "./text";

const OPERATORS = "&|()!";
const TERMS = new RegExp(
  `"[^"]*"|[${OPERATORS}]|[*${LETTER_OR_NUMBER}][^\\s${OPERATORS}]+[*${LETTER_OR_NUMBER}]|[*${LETTER_OR_NUMBER}]+`,
  "gu",
);
const INNER_ASTERISK = new RegExp(`(?<=[${LETTER_OR_NUMBER}])\\*(?=[${LETTER_OR_NUMBER}])`, "u");

function contains(phrase: string, prefix: boolean, postfix: boolean, paths: string[]): Constraint {
  return { kind: "contains", term: normalize(phrase), prefix, postfix, paths };
}

/** `LookAheadConstraint.decompose`: every term of the text, each matched as a word prefix. */
export function lookAhead(text: string, paths: string[]): Constraint {
  return all(splitInTerms(normalize(text)).map((t) => contains(t, false, true, paths)));
}

function tokenize(query: string): string[] {
  const parts: string[] = [];
  for (const m of javaTrim(query).matchAll(TERMS)) {
    const group = javaTrim(m[0]);
    if (group === "" || group === '"' || group === "AND" || group === "&") continue;
    parts.push(group === "OR" ? "|" : group);
  }
  return parts;
}

function checkStructure(parts: string[], query: string): void {
  let depth = 0;
  parts.forEach((p, i) => {
    if (p === "(") depth++;
    if (p === ")" && --depth < 0) throw new BadRequest(`Unmatched ) in query ${JSON.stringify(query)}`);
    if ((p === "|" || p === "!") && (i === parts.length - 1 || parts[i + 1] === ")" || parts[i + 1] === "|")) {
      throw new BadRequest(`Operator ${p} without a term after it in query ${JSON.stringify(query)}`);
    }
  });
  if (depth > 0) throw new BadRequest(`Unclosed ( in query ${JSON.stringify(query)}`);
}

/** `QueryConstraint.decompose` for a query string. Throws BadRequest if the query is malformed. */
export function parseQuery(query: string, lookAheadForAllTerms: boolean, paths: string[]): Constraint {
  const parts = tokenize(query);
  checkStructure(parts, query);
  let pos = 0;

  const term = (text: string): Constraint => {
    if (text.length > 1 && text.startsWith('"') && text.endsWith('"')) return contains(text.slice(1, -1), false, false, paths);
    const pieces = text.split(INNER_ASTERISK);
    return all(pieces.map((piece, i) => {
      let prefix = i !== 0;
      let postfix = i !== pieces.length - 1 || lookAheadForAllTerms;
      if (piece.endsWith("*")) [piece, postfix] = [piece.slice(0, -1), true];
      if (piece.startsWith("*")) [piece, prefix] = [piece.slice(1), true];
      return contains(piece, prefix, postfix, paths);
    }));
  };

  const part = (p: string, into: Constraint[]): void => {
    if (p === "(") {
      const group: Constraint[] = [];
      while (pos < parts.length) {
        const next = parts[pos++];
        if (next === ")") break;
        part(next, group);
      }
      into.push(all(group));
    } else if (p === "|" && into.length === 0) {
      // A leading | has nothing on its left: Flux then reads it as the word "or".
      into.push(term("OR"));
    } else if (p === "|") {
      const right: Constraint[] = [];
      part(parts[pos++], right);
      into.push(or(into.pop()!, all(right)));
    } else if (p === "!") {
      const operand: Constraint[] = [];
      part(parts[pos++], operand);
      into.push({ kind: "not", of: all(operand) });
    } else {
      into.push(term(p));
    }
  };

  const result: Constraint[] = [];
  while (pos < parts.length) part(parts[pos++], result);
  return all(result);
}

/**
 * Text normalisation and tokenising exactly as Flux's SearchUtils: what a search term or an indexed
 * value looks like before it is compared. `normalize` lives in src/protocol/document.ts (documents need it for their summary).
 */
import { javaTrim } from "../protocol/document";

/** Flux's `letterOrNumber` character class: any Unicode letter or an ASCII digit. */
export const LETTER_OR_NUMBER = "\\p{L}0-9";

const WORDS = new RegExp(`[${LETTER_OR_NUMBER}]+`, "gu");
// Java's \s is ASCII-only; JavaScript's is not.
const NOT_SPACE = "[^ \\t\\n\\x0B\\f\\r]";
const SPLIT_TERMS = new RegExp(`"[^"]*"|[${LETTER_OR_NUMBER}]${NOT_SPACE}*[${LETTER_OR_NUMBER}]|[${LETTER_OR_NUMBER}]`, "gu");

/** The distinct words of a phrase: maximal runs of letters and digits. */
export function wordsOf(phrase: string): string[] {
  return [...new Set(phrase.match(WORDS) ?? [])];
}

/** The words of a phrase with their offsets, in order. */
export function wordSpans(phrase: string): { word: string; start: number; end: number }[] {
  return [...phrase.matchAll(WORDS)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
}

/** True if the text is a single word (nothing but letters and digits). */
export function isWord(text: string): boolean {
  return text.length > 0 && wordSpans(text).length === 1 && wordSpans(text)[0].word === text;
}

/** `SearchUtils.splitInTerms`: words and `"quoted phrases"` (quotes removed) of a query. */
export function splitInTerms(query: string): string[] {
  const parts: string[] = [];
  for (const m of javaTrim(query).matchAll(SPLIT_TERMS)) {
    let group = javaTrim(m[0]);
    if (group === "" || group === '"') continue;
    if (group.length > 1 && group.startsWith('"') && group.endsWith('"')) group = group.slice(1, -1);
    parts.push(group);
  }
  return parts;
}

/** Reverses a string by code point (for suffix lookups on reversed words). */
export function reverse(text: string): string {
  return [...text].reverse().join("");
}

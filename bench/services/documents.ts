/**
 * The search suite's documents and queries. Document `i` is an order: a title and two tags of
 * words from a 2,000-word vocabulary, a status (one of three), an amount (0-99,999), a customer
 * with one of 1,000 cities, and a status facet; the same `i` always gives the same document. The
 * queries pick their terms so that their match counts are known fractions of the collection.
 */
import type { Json } from "../../test/support/flux-socket";
import { serializeJsonDocument, type SerializedDocument } from "../../src/protocol/document";

const VOCABULARY = 2_000;
const CITIES = 1_000;
const AMOUNTS = 100_000;
const STATUSES = ["open", "closed", "pending"];
/** Document timestamps start here, one second apart. */
const EPOCH = Date.UTC(2026, 0, 1);

/** Murmur3's finaliser of (i, salt) modulo n, so consecutive documents get unrelated words and amounts. */
function pick(i: number, salt: number, n: number): number {
  let h = Math.imul(i, 0x9e3779b1) + salt;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % n;
}
const word = (k: number) => `word${k}`;
const city = (k: number) => `city-${k}`;

export function benchDocument(i: number, collection: string): SerializedDocument {
  const status = STATUSES[i % STATUSES.length];
  return serializeJsonDocument({
    id: `order-${i}`,
    collection,
    timestamp: EPOCH + i * 1000,
    end: EPOCH + i * 1000,
    value: {
      title: `${word(pick(i, 1, VOCABULARY))} ${word(pick(i, 2, VOCABULARY))} ${word(pick(i, 3, VOCABULARY))}`,
      status,
      amount: pick(i, 4, AMOUNTS),
      customer: { name: `Customer ${pick(i, 5, 5_000)}`, city: city(pick(i, 6, CITIES)) },
      tags: [word(pick(i, 7, VOCABULARY)), word(pick(i, 8, VOCABULARY))],
    },
    facets: [{ name: "status", value: status }],
  });
}

/** A query shape: the constraints of its n-th query, and how many pages each query reads. */
export interface QueryShape {
  id: string;
  label: string;
  /** Pages fetched per query through lastHit (each page is one timed request). */
  pages: number;
  constraints(n: number): Json[];
}

export const PAGE_SIZE = 100;

export const QUERY_SHAPES: QueryShape[] = [
  // Five vocabulary words per document: a word is in about 1 document in 400.
  { id: "term", label: "term query (1 doc in 400), first 100", pages: 1, constraints: (n) => [{ query: word((n * 37) % VOCABULARY) }] },
  // One city per document: 1 in 1,000.
  { id: "match", label: "match on a path (1 in 1,000), first 100", pages: 1, constraints: (n) => [{ match: city((n * 13) % CITIES), paths: ["customer/city"] }] },
  // An amount range of 1,000 of 100,000: 1 in 100.
  { id: "between", label: "between on a number (1 in 100), first 100", pages: 1, constraints: (n) => [{ min: (n * 4_999) % (AMOUNTS - 1_000), max: ((n * 4_999) % (AMOUNTS - 1_000)) + 1_000, paths: ["amount"] }] },
  // A status word: 1 document in 3, read page after page.
  { id: "paging", label: "term in 1 doc of 3, pages 1-5 of 100 via lastHit", pages: 5, constraints: (n) => [{ query: STATUSES[n % STATUSES.length] }] },
];

/**
 * Turns a SerializedDocument into the rows the search tables store: the document row and its
 * inverted entries, words, facets and sortables, as JSON tuples for bulk `json_each` inserts.
 */
import { BadRequest } from "../errors";
import { normalize } from "../protocol/document";
import { decodeDocument } from "./document-codec";
import { longPath, pathDepth, shortPath } from "./paths";
import { reverse, wordsOf } from "./text";
import { DOCUMENT_FORMAT, EntryType, type DocumentEntry, type NamedValue, type SerializedDocument } from "../protocol/document";
import { MAX_NESTING } from "../protocol/request-check";

/** All rows of one document. Child tuples start with (collection, doc_id). */
export interface DocumentRows {
  document: Record<string, unknown>;
  entries: unknown[][];
  words: unknown[][];
  facets: unknown[][];
  sortables: unknown[][];
}

const MAX_ID_LENGTH = 1024;

/** Checks the fields a stored document needs, throwing BadRequest otherwise. */
export function validateDocument(d: SerializedDocument): void {
  if (typeof d?.id !== "string" || d.id === "" || d.id.length > MAX_ID_LENGTH) throw new BadRequest("document id must be a non-empty string");
  if (typeof d.collection !== "string" || d.collection === "") throw new BadRequest(`document ${d.id} needs a collection`);
  for (const field of ["timestamp", "end"] as const) {
    const v = d[field];
    if (v !== undefined && v !== null && !Number.isSafeInteger(Number(v))) throw new BadRequest(`document ${d.id}: ${field} must be epoch milliseconds`);
  }
  if (typeof d.document !== "object" || d.document === null) throw new BadRequest(`document ${d.id} has no document data`);
  for (const list of [d.facets, d.indexes]) {
    if (list != null && !(Array.isArray(list) && list.every(isNamedValue))) throw new BadRequest(`document ${d.id}: facets and indexes must be [{name, value}]`);
  }
}

function isNamedValue(v: unknown): v is NamedValue {
  const e = v as NamedValue;
  return typeof e === "object" && e !== null && typeof e.name === "string" && typeof e.value === "string";
}

/** The entries of a document's data: decoded from the Flux document format, none for other formats. */
export function entriesOf(d: SerializedDocument): DocumentEntry[] {
  const data = d.document;
  return data.format === DOCUMENT_FORMAT && data.value ? decodeDocument(data.value).entries : [];
}

/** Builds every row of a document. `end` is stored as SerializedDocument.getEnd(): never before timestamp. */
export function documentRows(d: SerializedDocument, writeToken: string): DocumentRows {
  validateDocument(d);
  const ts = d.timestamp == null ? null : Number(d.timestamp);
  const rawEnd = d.end == null ? null : Number(d.end);
  const end = rawEnd === null || ts === null || rawEnd > ts ? rawEnd : ts;
  const key = [d.collection, d.id];
  const rows: DocumentRows = {
    document: {
      collection: d.collection, id: d.id, ts, end_ts: end, data_value: d.document.value ?? null,
      data_type: d.document.type ?? null, data_revision: d.document.revision ?? 0, data_format: d.document.format ?? null,
      summary: d.summary ?? null, facets: JSON.stringify(d.facets ?? []), sortables: JSON.stringify(d.indexes ?? []),
      write_token: writeToken,
    },
    entries: [], words: [], facets: [], sortables: [],
  };
  entriesOf(d).forEach((entry, ord) => {
    const phrase = entry.type === EntryType.TEXT ? normalize(entry.value) : entry.value;
    const lower = entry.value.toLowerCase();
    const num = entry.type === EntryType.NUMERIC ? Number(entry.value) : null;
    for (const path of entry.paths.length === 0 ? [""] : entry.paths) {
      if (pathDepth(path) > MAX_NESTING) {
        throw new BadRequest(`document ${d.id}: entry ${ord} has a path deeper than ${MAX_NESTING} levels`);
      }
      rows.entries.push([...key, ord, entry.type, entry.value, phrase, lower === entry.value ? null : lower, num, longPath(path), shortPath(path)]);
    }
    for (const word of wordsOf(phrase)) rows.words.push([...key, ord, word, reverse(word)]);
  });
  for (const f of dedupe(d.facets)) rows.facets.push([...key, f.name, f.value]);
  for (const s of dedupe(d.indexes)) rows.sortables.push([...key, s.name, s.value, longPath(s.name), shortPath(s.name)]);
  return rows;
}

function dedupe(list: NamedValue[] | null | undefined): NamedValue[] {
  const seen = new Map<string, NamedValue>();
  for (const e of list ?? []) seen.set(JSON.stringify([e.name, e.value]), e);
  return [...seen.values()];
}

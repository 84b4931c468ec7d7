/**
 * Flux search documents on the wire, shared by the hub and the client: the SerializedDocument
 * model, Flux's DefaultDocumentSerializer (the LZ4 frame of a msgpack *stream*) and
 * JacksonInverter (plain JSON to typed entries and back), with the `SearchUtils` pieces they need
 * (field-name escaping, `normalize` for the default summary). Pure: no storage, no server errors.
 *
 * The msgpack stream is version 0, id, timestamp|nil, end|nil, collection, then an array header of
 * N followed by N triples (type byte, value string, array of path strings). The header counts
 * entries, not the 3N values after it, so a plain msgpack decoder groups them wrongly; decoding
 * reads the values in sequence and regroups them.
 */
import { decodeMulti, encode } from "@msgpack/msgpack";
import { fromBase64, toBase64 } from "./base64";
import { lz4Compress, lz4Decompress } from "./compression";
import type { Data } from "./messages";

/** `Document.EntryType`, by its serialized byte. */
export const EntryType = { TEXT: 0, NUMERIC: 1, BOOLEAN: 2, NULL: 3, EMPTY_ARRAY: 4, EMPTY_OBJECT: 5 } as const;
/** One of the {@link EntryType} bytes. */
export type EntryType = (typeof EntryType)[keyof typeof EntryType];

/** One value of a document and the paths it occurs at (empty for a root value). */
export interface DocumentEntry {
  type: EntryType;
  value: string;
  paths: string[];
}

/** A decoded Flux document (`common/search/Document`) as the DefaultDocumentSerializer writes it. */
export interface FluxDocument {
  id: string;
  timestamp: number | null;
  end: number | null;
  collection: string;
  entries: DocumentEntry[];
}

/** `FacetEntry`, and also `SortableEntry` (whose value is pre-encoded to sort as a string). */
export interface NamedValue {
  name: string;
  value: string;
}

/** `SerializedDocument` as it travels in JSON. `end` is already max(end, timestamp). */
export interface SerializedDocument {
  id: string;
  timestamp?: number | null;
  end?: number | null;
  collection: string;
  document: Data;
  summary?: string | null;
  facets?: NamedValue[] | null;
  indexes?: NamedValue[] | null;
}

/** The `data.format` of a document blob. */
export const DOCUMENT_FORMAT = "document";

const VERSION = 0;

/** `SearchUtils.isInteger`: a non-negative decimal that fits a Java int (array indices). */
export function isInteger(segment: string): boolean {
  return /^[0-9]+$/.test(segment) && Number(segment) <= 2147483647;
}

/** `SearchUtils.unescapeFieldName`. */
export function unescapeFieldName(name: string): string {
  const unquoted = name.length > 1 && name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1) : name;
  return unquoted.replaceAll("\\/", "/").replaceAll('\\"', '"');
}

/** `SearchUtils.escapeFieldName`: how a JSON field name becomes a path element. */
export function escapeFieldName(name: string): string {
  const escaped = name.replaceAll("/", "\\/").replaceAll('"', '\\"');
  return isInteger(escaped) ? `"${escaped}"` : escaped;
}

const COMBINING_MARKS = /[\u0300-\u036f]+/g;

/** Java `String.trim()`: strips code units up to U+0020 only. */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** `SearchUtils.normalize`: accents stripped (commons-lang `stripAccents`, Polish Ł too), trimmed, lowercased. */
export function normalize(text: string): string {
  const stripped = text.normalize("NFD").replace(/Ł/g, "L").replace(/ł/g, "l").replace(COMBINING_MARKS, "");
  return javaTrim(stripped).toLowerCase();
}

/** Encodes a document as the base64 `document.value` Flux clients read. */
export function encodeDocument(doc: FluxDocument): string {
  const parts: Uint8Array[] = [
    encode(VERSION), encode(doc.id), encode(doc.timestamp), encode(doc.end), encode(doc.collection),
    arrayHeader(doc.entries.length),
  ];
  for (const e of doc.entries) parts.push(encode(e.type), encode(e.value), encode(e.paths));
  return toBase64(lz4Compress(concat(parts)));
}

/** Decodes the base64 `document.value` of a SerializedDocument; throws an Error naming what is malformed. */
export function decodeDocument(base64: string): FluxDocument {
  const values = [...decodeMulti(lz4Decompress(fromBase64(base64)))];
  const [version, id, timestamp, end, collection, head, ...rest] = values;
  if (version !== VERSION) throw new Error(`unsupported document version ${String(version)}`);
  if (!Array.isArray(head)) throw new Error("entries header missing");
  const flat: unknown[] = [...head, ...rest];
  if (flat.length !== head.length * 3) throw new Error("entry count does not match the header");
  const entries: DocumentEntry[] = [];
  for (let i = 0; i < flat.length; i += 3) {
    const [type, value, paths] = flat.slice(i, i + 3);
    if (typeof type !== "number" || type < 0 || type > 5 || typeof value !== "string" || !isStringArray(paths)) {
      throw new Error(`malformed entry ${i / 3}`);
    }
    entries.push({ type: type as EntryType, value, paths });
  }
  return { id: asString(id), timestamp: asMillis(timestamp), end: asMillis(end), collection: asString(collection), entries };
}

function arrayHeader(n: number): Uint8Array {
  if (n < 16) return Uint8Array.of(0x90 | n);
  if (n < 0x10000) return Uint8Array.of(0xdc, n >> 8, n & 0xff);
  return Uint8Array.of(0xdd, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

function asString(v: unknown): string {
  if (typeof v !== "string") throw new Error("expected a string");
  return v;
}

function asMillis(v: unknown): number | null {
  if (v === null) return null;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  throw new Error("expected a timestamp or nil");
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((p) => typeof p === "string");
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A JSON number with its literal text, so `1.50` stays `1.50` as in Flux. */
export class JsonNumber {
  /** Wraps the number's literal JSON text. */
  constructor(readonly text: string) {}
}

/** JacksonInverter.invert: the entries of a JSON value, in first-occurrence order. */
export function invertJson(value: unknown): DocumentEntry[] {
  const entries = new Map<string, DocumentEntry>();
  const register = (type: EntryType, text: string, path: string) => {
    const key = `${type}:${text}`;
    const entry = entries.get(key) ?? { type, value: text, paths: [] };
    entries.set(key, entry);
    if (path.trim() !== "") entry.paths.push(path);
  };
  const walk = (v: unknown, path: string): void => {
    const prefix = path === "" ? "" : `${path}/`;
    if (v === null || v === undefined) register(EntryType.NULL, "null", path);
    else if (v instanceof JsonNumber) register(EntryType.NUMERIC, v.text, path);
    else if (typeof v === "number" || typeof v === "bigint") register(EntryType.NUMERIC, String(v), path);
    else if (typeof v === "boolean") register(EntryType.BOOLEAN, String(v), path);
    else if (typeof v === "string") register(EntryType.TEXT, v, path);
    else if (Array.isArray(v)) {
      if (v.length === 0) register(EntryType.EMPTY_ARRAY, "[]", path);
      v.forEach((item, i) => walk(item, prefix + i));
    } else {
      const fields = Object.entries(v as Record<string, unknown>);
      if (fields.length === 0) register(EntryType.EMPTY_OBJECT, "{}", path);
      for (const [name, item] of fields) walk(item, prefix + escapeFieldName(name));
    }
  };
  walk(value, "");
  return [...entries.values()];
}

type Tree = Map<string | number, Tree | unknown>;

/** JacksonInverter.fromData: rebuilds the JSON value of a document's entries. */
export function revertJson(entries: readonly DocumentEntry[]): unknown {
  const tree: Tree = new Map();
  for (const entry of entries) {
    const node = leaf(entry);
    if (entry.paths.length === 0) return node;
    for (const path of entry.paths) {
      const segments = path.split(/(?<!\\)\//).map((s) => (isInteger(s) ? Number(s) : s));
      let parent = tree;
      segments.forEach((segment, i) => {
        if (i === segments.length - 1) parent.set(segment, node);
        else {
          const child = parent.get(segment);
          parent = child instanceof Map ? (child as Tree) : (parent.set(segment, new Map()).get(segment) as Tree);
        }
      });
    }
  }
  return entries.length === 0 ? null : toJson(tree);
}

function toJson(node: unknown): unknown {
  if (!(node instanceof Map)) return node;
  const keys = [...node.keys()].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : 1));
  if (keys.length === 0) return null;
  if (typeof keys[0] === "number") return keys.map((k) => toJson(node.get(k)));
  return Object.fromEntries(keys.map((k) => [unescapeFieldName(String(k)), toJson(node.get(k))]));
}

function leaf(entry: DocumentEntry): unknown {
  switch (entry.type) {
    case EntryType.TEXT: return entry.value;
    case EntryType.NUMERIC: {
      const n = Number(entry.value);
      return /^-?\d+$/.test(entry.value) && !Number.isSafeInteger(n) ? BigInt(entry.value) : n;
    }
    case EntryType.BOOLEAN: return entry.value === "true";
    case EntryType.NULL: return null;
    case EntryType.EMPTY_ARRAY: return [];
    case EntryType.EMPTY_OBJECT: return {};
  }
}

/** A document given as plain JSON, with the metadata Flux keeps beside it. */
export interface JsonDocument {
  id: string;
  collection: string;
  value: unknown;
  timestamp?: number | null;
  end?: number | null;
  summary?: string | null;
  facets?: NamedValue[];
  indexes?: NamedValue[];
  type?: string | null;
}

/** Serializes a JSON document as a Flux client would; the summary defaults to Flux's (its distinct phrases). */
export function serializeJsonDocument(d: JsonDocument): SerializedDocument {
  const entries = invertJson(d.value);
  const timestamp = d.timestamp ?? null;
  const end = d.end ?? null;
  const summary = d.summary ?? [...new Set(entries.map((e) => (e.type === EntryType.TEXT ? normalize(e.value) : e.value)))].join(" ");
  return {
    id: d.id, collection: d.collection, timestamp, end, summary, facets: d.facets ?? [], indexes: d.indexes ?? [],
    document: {
      value: encodeDocument({ id: d.id, collection: d.collection, timestamp, end, entries }),
      type: d.type ?? null, revision: 0, format: DOCUMENT_FORMAT,
    },
  };
}

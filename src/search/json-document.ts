/**
 * Plain JSON to Flux document entries and back, as JacksonInverter does: every leaf value becomes an
 * entry (TEXT, NUMERIC with its literal text, BOOLEAN, NULL, EMPTY_ARRAY, EMPTY_OBJECT) listing the
 * `/`-separated paths it occurs at, array indices included; field names are escaped.
 */
import { encodeDocument } from "./document-codec";
import { escapeFieldName, isInteger, unescapeFieldName } from "./paths";
import { normalize } from "./text";
import { DOCUMENT_FORMAT, EntryType, type DocumentEntry, type NamedValue, type SerializedDocument } from "./types";

/** A JSON number with its literal text, so `1.50` stays `1.50` as in Flux. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

type SourceContext = { source?: string };

/** Parses JSON keeping every number's literal text as a JsonNumber. */
export function parseJsonKeepingNumbers(text: string): unknown {
  const revive = (_key: string, value: unknown, context?: SourceContext) =>
    typeof value === "number" ? new JsonNumber(context?.source ?? String(value)) : value;
  return JSON.parse(text, revive as (key: string, value: unknown) => unknown);
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

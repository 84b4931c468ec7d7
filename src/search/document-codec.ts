/**
 * Flux's DefaultDocumentSerializer: a document is the Flux LZ4 frame of a msgpack *stream* (not one
 * msgpack value): version 0, id, timestamp|nil, end|nil, collection, then an array header of N
 * followed by N triples (type byte, value string, array of path strings). The header counts
 * entries, not the 3N values after it, so a plain msgpack decoder groups them wrongly; we decode
 * the values in sequence and regroup.
 */
import { decodeMulti, encode } from "@msgpack/msgpack";
import { lz4Compress, lz4Decompress } from "../protocol/compression";
import { BadRequest } from "../errors";
import type { DocumentEntry, EntryType, FluxDocument } from "./types";

const VERSION = 0;

/** Decodes the base64 `document.value` of a SerializedDocument. Throws BadRequest on malformed input. */
export function decodeDocument(base64: string): FluxDocument {
  try {
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
  } catch (e) {
    if (e instanceof BadRequest) throw e;
    throw new BadRequest(`Could not deserialize document: ${(e as Error).message}`);
  }
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

// Base64 to bytes.
function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

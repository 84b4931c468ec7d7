/**
 * Client-side frames: requests go out as `compress(JSON)` of one request or of a `requestBatch`;
 * results come back as one result or a `resultBatch`. Indexes stay exact (bigint-safe JSON).
 */
import { type Compression, compress, decompress } from "../protocol/compression";
import { parseJson, stringifyJson } from "../protocol/json";

/** A request as sent: its `@type`, the client-chosen `requestId` and its own fields. */
export interface WireRequest {
  "@type": string;
  requestId: number;
  [field: string]: unknown;
}

/** A result as received: its `@type`, the `requestId` it answers and its own fields. */
export interface WireResult {
  "@type": string;
  requestId?: number;
  [field: string]: unknown;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes requests into one frame (a `requestBatch` when there are several). */
export function encodeRequests(requests: WireRequest[], compression: Compression): Promise<Uint8Array> {
  const body = requests.length === 1 ? requests[0] : { "@type": "requestBatch", requests };
  return compress(encoder.encode(stringifyJson(body)), compression);
}

/** Decodes one frame into the results it carries, unwrapping a `resultBatch`. */
export async function decodeResults(frame: ArrayBuffer | Uint8Array | string, compression: Compression): Promise<WireResult[]> {
  const text = typeof frame === "string" ? frame : decoder.decode(await decompress(new Uint8Array(frame), compression));
  const value = parseJson(text) as WireResult & { results?: WireResult[] };
  return value["@type"] === "resultBatch" ? (value.results ?? []) : [value];
}

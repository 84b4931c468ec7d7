/**
 * Flux WebSocket frames: each frame is `compress(JSON)` of one request, or of a `requestBatch`
 * when the client queued several; replies go back the same way, batched into a `resultBatch`.
 */
import { BadRequest, PayloadTooLarge } from "../errors";
import { type Compression, compress, decompress } from "./compression";
import type { FluxRequest } from "./endpoint";
import { RawJson, parseJson } from "./json";

/** The largest decompressed frame the hub accepts. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const utf8Decoder = new TextDecoder();
const utf8Encoder = new TextEncoder();

/** Decodes one frame into the requests it carries, unwrapping a `requestBatch`. */
export async function decodeFrame(frame: ArrayBuffer | string, compression: Compression): Promise<FluxRequest[]> {
  // Text frames are plain JSON: handy for tools like wscat; Flux clients send binary.
  let text: string;
  if (typeof frame === "string") {
    text = frame;
  } else {
    let bytes: Uint8Array;
    try {
      bytes = await decompress(new Uint8Array(frame), compression);
    } catch (e) {
      throw new BadRequest(`frame is not valid ${compression}: ${(e as Error).message}`);
    }
    if (bytes.length > MAX_FRAME_BYTES) throw new PayloadTooLarge(`frame of ${bytes.length} bytes exceeds ${MAX_FRAME_BYTES}`);
    text = utf8Decoder.decode(bytes);
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    throw new BadRequest("frame is not valid JSON");
  }
  const requests = isObject(value) && value["@type"] === "requestBatch" ? value.requests : [value];
  if (!Array.isArray(requests)) throw new BadRequest("requestBatch.requests must be an array");
  return requests.map((r, i) => {
    if (!isObject(r) || typeof r["@type"] !== "string") throw new BadRequest(`request ${i} has no "@type"`);
    return r as FluxRequest;
  });
}

/** Encodes result JSON texts into one frame: a single result, or a `resultBatch`. */
export async function encodeFrame(results: string[], compression: Compression): Promise<Uint8Array> {
  const text = results.length === 1 ? results[0] : `{"@type":"resultBatch","results":[${results.join(",")}]}`;
  return compress(utf8Encoder.encode(text), compression);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Embeds stored message JSON texts as a JSON array without re-parsing them. */
export function rawMessages(messages: string[]): RawJson {
  return new RawJson(`[${messages.join(",")}]`);
}

/**
 * Flux WebSocket frames: each frame is `compress(JSON)` of one request, or of a `requestBatch`
 * when the client queued several; replies go back the same way, batched into a `resultBatch`.
 */
import { BadRequest, PayloadTooLarge } from "../errors";
import { type Compression, TooLarge, compress, decompress } from "./compression";
import type { FluxRequest } from "./endpoint";
import { requestIdsIn } from "./frame-ids";
import { RawJson, parseJson } from "./json";
import { checkRequest, refused } from "./request-check";

/** The largest decompressed frame the hub accepts. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const utf8Lenient = new TextDecoder();
const utf8Encoder = new TextEncoder();

/**
 * Decodes one frame into the requests it carries, unwrapping a `requestBatch`. A request that
 * fails the checks of `checkRequest` comes back refused (see `refusalOf`), so that the others run
 * and each is answered under its own requestId. Throws for a frame in which no request can be told.
 */
export async function decodeFrame(frame: ArrayBuffer | string, compression: Compression): Promise<FluxRequest[]> {
  // Text frames are plain JSON: handy for tools like wscat; Flux clients send binary.
  let text: string;
  let badUtf8 = false;
  if (typeof frame === "string") {
    if (frame.length > MAX_FRAME_BYTES) return refuseAll(frame.slice(0, MAX_FRAME_BYTES), `frame of ${frame.length} characters exceeds ${MAX_FRAME_BYTES}`);
    text = frame;
  } else {
    let bytes: Uint8Array;
    try {
      bytes = await decompress(new Uint8Array(frame), compression, MAX_FRAME_BYTES);
    } catch (e) {
      if (e instanceof TooLarge) return refuseAll(utf8Lenient.decode(e.prefix()), `${e.message}, the most a frame may hold`);
      throw new BadRequest(`frame is not valid ${compression}: ${(e as Error).message}`);
    }
    try {
      text = utf8.decode(bytes);
    } catch {
      text = utf8Lenient.decode(bytes);
      badUtf8 = true;
    }
  }
  let value: unknown;
  try {
    value = parseJson(text);
  } catch {
    throw new BadRequest("frame is not valid JSON");
  }
  const requests = isObject(value) && value["@type"] === "requestBatch" ? value.requests : [value];
  if (!Array.isArray(requests)) throw new BadRequest("requestBatch.requests must be an array");
  return requests.map((r, i) => checkRequest(r, i, badUtf8));
}

/**
 * A frame over the limit: each request whose requestId lies in the part that was read is refused
 * under that id; a frame where none could be found gets one error (requestId -1).
 */
function refuseAll(prefix: string, message: string): FluxRequest[] {
  const error = new PayloadTooLarge(message);
  const ids = requestIdsIn(prefix);
  if (ids.length === 0) throw error;
  return ids.map((id) => refused(error, id));
}

/** Encodes result JSON texts into one frame: a single result, or a `resultBatch`. */
export async function encodeFrame(results: string[], compression: Compression): Promise<Uint8Array> {
  const text = results.length === 1 ? results[0] : `{"@type":"resultBatch","results":[${results.join(",")}]}`;
  return compress(utf8Encoder.encode(text), compression);
}

/** An LZ4 frame of results as a frame of `compression`: itself for LZ4. */
export async function fromLz4Frame(frame: Uint8Array, compression: Compression): Promise<Uint8Array> {
  return compression === "LZ4" ? frame : compress(await decompress(frame, "LZ4"), compression);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Embeds stored message JSON texts as a JSON array without re-parsing them. */
export function rawMessages(messages: string[]): RawJson {
  return new RawJson(`[${messages.join(",")}]`);
}

/**
 * Frame compression as the Flux client does it (CompressionUtils): LZ4 is a 4-byte big-endian
 * uncompressed length followed by one raw LZ4 block; GZIP is standard gzip and, like Flux, falls
 * back to the raw bytes when the input is not gzip.
 */
import lz4Module from "lz4-wasm/lz4_wasm_bg.wasm";
import { Lz4Wasm } from "./lz4-wasm";

/** The compression algorithms a client can ask for with the `compression` query parameter. */
export type Compression = "NONE" | "GZIP" | "LZ4";

/** Parses the `compression` query parameter; Flux clients default to LZ4. */
export function parseCompression(value: string | null | undefined): Compression | null {
  const v = (value ?? "LZ4").toUpperCase();
  return v === "NONE" || v === "GZIP" || v === "LZ4" ? v : null;
}

/** The LZ4 block codec: lz4_flex as WebAssembly, 2–4× lz4js in workerd and Node (docs/performance.md). */
const lz4 = new Lz4Wasm(lz4Module);

/** Compresses bytes with the Flux LZ4 framing: big-endian length prefix + raw block. */
export function lz4Compress(input: Uint8Array): Uint8Array {
  return lz4.compress(input);
}

/**
 * Decompresses a Flux LZ4 frame (length prefix + raw block). A claimed length over `maxBytes` is
 * refused before anything is allocated; a block that decodes to another length is refused too.
 */
export function lz4Decompress(input: Uint8Array, maxBytes = 64 * 1024 * 1024): Uint8Array {
  if (input.length < 4) throw new RangeError("LZ4 frame shorter than its 4-byte length prefix");
  const length = new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(0, false);
  if (length > maxBytes) throw new TooLarge(`LZ4 frame claims ${length} bytes, more than ${maxBytes}`, () => lz4Prefix(input.subarray(4), maxBytes));
  return lz4.decompress(input);
}

/**
 * The first `maxBytes` an LZ4 block decodes to, decoding no further: enough to find the requests
 * of a frame over the limit without inflating it (lz4_flex has no output bound). A malformed block
 * yields what decoded before the fault.
 */
function lz4Prefix(src: Uint8Array, maxBytes: number): Uint8Array {
  const out = new Uint8Array(maxBytes);
  let s = 0;
  let o = 0;
  const length = (n: number) => {
    if (n === 15) for (let b = 255; b === 255 && s < src.length; n += b) b = src[s++];
    return n;
  };
  while (s < src.length && o < maxBytes) {
    const token = src[s++];
    const literals = Math.min(length(token >> 4), src.length - s, maxBytes - o);
    out.set(src.subarray(s, s + literals), o);
    s += literals;
    o += literals;
    if (s + 2 > src.length || o >= maxBytes) break;
    const offset = src[s] | (src[s + 1] << 8);
    s += 2;
    if (offset === 0 || offset > o) break;
    const end = Math.min(o + length(token & 15) + 4, maxBytes);
    while (o < end) out[o] = out[o++ - offset];
  }
  return out.subarray(0, o);
}

async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([input]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Thrown when decompressed bytes would exceed the limit the caller set. */
export class TooLarge extends RangeError {
  /** The first bytes, up to the limit, to find the requests of the frame in (decoded on demand). */
  constructor(message: string, readonly prefix: () => Uint8Array) {
    super(message);
  }
}

/** Inflates gzip as a stream and stops at `maxBytes`, so a small bomb never inflates in full. */
async function gunzipBounded(input: Uint8Array, maxBytes: number): Promise<Uint8Array> {
  const reader = new Blob([input]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      const prefix = concat(chunks, maxBytes);
      throw new TooLarge(`GZIP frame inflates past ${maxBytes} bytes`, () => prefix);
    }
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    if (at >= length) break;
    out.set(c.subarray(0, length - at), at);
    at += c.length;
  }
  return out;
}

/** Compresses bytes with `algorithm`. */
export async function compress(input: Uint8Array, algorithm: Compression): Promise<Uint8Array> {
  if (algorithm === "LZ4") return lz4Compress(input);
  if (algorithm === "GZIP") return pipe(input, new CompressionStream("gzip"));
  return input;
}

/**
 * Decompresses bytes compressed with `algorithm`; GZIP input that is not gzip passes through.
 * More than `maxBytes` of output throws `TooLarge`.
 */
export async function decompress(input: Uint8Array, algorithm: Compression, maxBytes = 64 * 1024 * 1024): Promise<Uint8Array> {
  if (algorithm === "LZ4") return lz4Decompress(input, maxBytes);
  if (algorithm === "GZIP" && input.length >= 2 && input[0] === 0x1f && input[1] === 0x8b) return gunzipBounded(input, maxBytes);
  if (input.length > maxBytes) throw new TooLarge(`frame of ${input.length} bytes exceeds ${maxBytes}`, () => input.subarray(0, maxBytes));
  return input;
}

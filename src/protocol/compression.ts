/**
 * Frame compression as the Flux client does it (CompressionUtils): LZ4 is a 4-byte big-endian
 * uncompressed length followed by one raw LZ4 block; GZIP is standard gzip and, like Flux, falls
 * back to the raw bytes when the input is not gzip.
 */
import * as lz4 from "lz4js";

/** The compression algorithms a client can ask for with the `compression` query parameter. */
export type Compression = "NONE" | "GZIP" | "LZ4";

/** Parses the `compression` query parameter; Flux clients default to LZ4. */
export function parseCompression(value: string | null | undefined): Compression | null {
  const v = (value ?? "LZ4").toUpperCase();
  return v === "NONE" || v === "GZIP" || v === "LZ4" ? v : null;
}

/**
 * lz4js's match table, kept between calls and cleared before each: allocating a fresh 256 KB one
 * cost more than compressing a small frame (it must start zeroed: lz4js misreads stale entries).
 */
const HASH_TABLE = new Uint32Array(1 << 16);
/** Below this, a frame is sent as one literal run: compressing it would save next to nothing. */
const MIN_COMPRESSED = 256;

/** Compresses bytes with the Flux LZ4 framing: big-endian length prefix + raw block. */
export function lz4Compress(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + lz4.compressBound(input.length));
  new DataView(out.buffer).setUint32(0, input.length, false);
  const body = out.subarray(4);
  if (input.length < MIN_COMPRESSED) return out.subarray(0, 4 + writeLiteralBlock(input, body));
  let written: number = lz4.compressBlock(input, body, 0, input.length, HASH_TABLE.fill(0));
  // lz4js returns 0 when it found no match; an all-literal block is still valid LZ4.
  if (written === 0) written = writeLiteralBlock(input, body);
  return out.subarray(0, 4 + written);
}

/** Decompresses a Flux LZ4 frame (length prefix + raw block). */
export function lz4Decompress(input: Uint8Array): Uint8Array {
  if (input.length < 4) throw new RangeError("LZ4 frame shorter than its 4-byte length prefix");
  const length = new DataView(input.buffer, input.byteOffset, input.byteLength).getUint32(0, false);
  if (length > 64 * 1024 * 1024) throw new RangeError(`LZ4 frame claims ${length} bytes, more than 64 MiB`);
  const out = new Uint8Array(length);
  const written: number = lz4.decompressBlock(input, out, 4, input.length - 4, 0);
  if (written !== length) throw new RangeError(`LZ4 frame decoded to ${written} bytes, prefix says ${length}`);
  return out;
}

function writeLiteralBlock(input: Uint8Array, out: Uint8Array): number {
  let i = 0;
  const n = input.length;
  if (n >= 15) {
    out[i++] = 0xf0;
    let rest = n - 15;
    for (; rest >= 255; rest -= 255) out[i++] = 255;
    out[i++] = rest;
  } else {
    out[i++] = n << 4;
  }
  out.set(input, i);
  return i + n;
}

async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const body = new Blob([input]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/** Compresses bytes with `algorithm`. */
export async function compress(input: Uint8Array, algorithm: Compression): Promise<Uint8Array> {
  if (algorithm === "LZ4") return lz4Compress(input);
  if (algorithm === "GZIP") return pipe(input, new CompressionStream("gzip"));
  return input;
}

/** Decompresses bytes compressed with `algorithm`; GZIP input that is not gzip passes through. */
export async function decompress(input: Uint8Array, algorithm: Compression): Promise<Uint8Array> {
  if (algorithm === "LZ4") return lz4Decompress(input);
  if (algorithm === "GZIP") {
    if (input.length < 2 || input[0] !== 0x1f || input[1] !== 0x8b) return input;
    return pipe(input, new DecompressionStream("gzip"));
  }
  return input;
}

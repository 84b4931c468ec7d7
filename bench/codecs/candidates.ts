/**
 * The LZ4 block codecs the codecs bench compares, each behind Flux's framing (4-byte big-endian
 * length + one raw block), so every one reads and writes the same frames: lz4js (pure JS, what the
 * hub used first), @rinsuki/lz4-ts (pure TS, a port of pierrec/lz4) and lz4-wasm (lz4_flex as
 * WebAssembly, through the hub's own loader), plus NONE (bytes as they are) as the floor.
 */
import * as lz4js from "lz4js";
import * as lz4ts from "@rinsuki/lz4-ts";
import { Lz4Wasm } from "../../src/protocol/lz4-wasm";

/** One codec: Flux frame in, bytes out, and back. */
export interface Codec {
  compress(input: Uint8Array): Uint8Array;
  decompress(frame: Uint8Array): Uint8Array;
}

function framed(bound: (n: number) => number, block: (input: Uint8Array, out: Uint8Array) => number): (input: Uint8Array) => Uint8Array {
  return (input) => {
    const out = new Uint8Array(4 + bound(input.length));
    new DataView(out.buffer).setUint32(0, input.length, false);
    const written = block(input, out.subarray(4));
    // Both pure-JS encoders answer 0 for input they found no match in: send it as one literal run.
    return written > 0 ? out.subarray(0, 4 + written) : literalFrame(input);
  };
}

function literalFrame(input: Uint8Array): Uint8Array {
  const n = input.length;
  const head = n >= 15 ? [0xf0, ...Array<number>(Math.floor((n - 15) / 255)).fill(255), (n - 15) % 255] : [n << 4];
  const out = new Uint8Array(4 + head.length + n);
  new DataView(out.buffer).setUint32(0, n, false);
  out.set(head, 4);
  out.set(input, 4 + head.length);
  return out;
}

function claimed(frame: Uint8Array): Uint8Array {
  return new Uint8Array(new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(0, false));
}

const table = new Uint32Array(1 << 16);

/** The codecs by name; `wasm` is the compiled lz4-wasm module of the runtime at hand. */
export function codecs(wasm: WebAssembly.Module): Record<string, Codec> {
  const lz4Wasm = new Lz4Wasm(wasm);
  return {
    NONE: { compress: (i) => i, decompress: (f) => f },
    lz4js: {
      compress: framed(lz4js.compressBound, (i, o) => lz4js.compressBlock(i, o, 0, i.length, table.fill(0))),
      decompress: (f) => {
        const out = claimed(f);
        lz4js.decompressBlock(f, out, 4, f.length - 4, 0);
        return out;
      },
    },
    "lz4-ts": {
      compress: framed(lz4ts.compressBlockBound, (i, o) => lz4ts.compressBlock(i, o, 0)),
      decompress: (f) => {
        const out = claimed(f);
        lz4ts.uncompressBlock(f.subarray(4), out);
        return out;
      },
    },
    "lz4-wasm": { compress: (i) => lz4Wasm.compress(i), decompress: (f) => lz4Wasm.decompress(f) },
  };
}

/**
 * Bench-only Worker: runs one codec's compress or decompress of one bench frame `reps` times per
 * request (`GET /run?codec=lz4js&op=decompress&size=2048&reps=20`), so the caller can time it from
 * outside: inside workerd the clocks stand still while code runs.
 */
import wasm from "lz4-wasm/lz4_wasm_bg.wasm";
import { codecs } from "./candidates";
import { appendFrame } from "./frames";

const all = codecs(wasm);
const frames = new Map<number, Promise<{ json: Uint8Array; frame: Uint8Array }>>();

export default {
  async fetch(request: Request): Promise<Response> {
    const q = new URL(request.url).searchParams;
    const codec = all[q.get("codec") ?? ""];
    const size = Number(q.get("size"));
    if (!codec) return new Response(`no codec ${q.get("codec")}`, { status: 400 });
    if (!frames.has(size)) frames.set(size, appendFrame(size, all.lz4js));
    const { json, frame } = await frames.get(size)!;
    let bytes = 0;
    for (let i = Number(q.get("reps") ?? 1); i > 0; i--) bytes += q.get("op") === "compress" ? codec.compress(json).length : codec.decompress(frame).length;
    return Response.json({ bytes, json: json.length, frame: frame.length });
  },
};

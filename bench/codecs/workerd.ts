/**
 * Starts bench/codecs/worker.ts (bundled with esbuild, lz4-wasm's .wasm beside it as a compiled
 * module, as wrangler bundles the hub) in an embedded Miniflare, and times its runs from outside.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";

const ROOT = resolve(import.meta.dirname, "..", "..");
const OUT = join(ROOT, ".wrangler", "bench", "codecs-worker.js");

/** A running codecs Worker. */
export interface CodecWorker {
  /** Milliseconds per operation of `reps` back-to-back ones, and the frame's sizes. */
  time(codec: string, op: "compress" | "decompress", size: number, reps: number): Promise<{ ms: number; bytes: number; json: number; frame: number }>;
  dispose(): Promise<void>;
}

/** The lz4-wasm module's bytes, wherever npm put the package. */
export function wasmBytes(): Buffer {
  return readFileSync(createRequire(join(ROOT, "package.json")).resolve("lz4-wasm/lz4_wasm_bg.wasm"));
}

export async function startCodecWorker(): Promise<CodecWorker> {
  await build({
    entryPoints: [join(ROOT, "bench", "codecs", "worker.ts")],
    outfile: OUT,
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    target: "es2023",
    // Every .wasm import is lz4-wasm's, handed to workerd as the compiled module beside the bundle.
    plugins: [{ name: "wasm-beside", setup: (b) => b.onResolve({ filter: /\.wasm$/ }, () => ({ path: "./lz4.wasm", external: true })) }],
    logLevel: "error",
  });
  const mf = new Miniflare(
    convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: 0,
    compatibilityDate: "2026-07-01",
    modules: [
      { type: "ESModule", path: "worker.js", contents: readFileSync(OUT, "utf8") },
      { type: "CompiledWasm", path: "lz4.wasm", contents: wasmBytes() },
    ],
  } as never),
  );
  const url = (await mf.ready).toString();
  return {
    async time(codec, op, size, reps) {
      const start = performance.now();
      const res = await fetch(`${url}run?${new URLSearchParams({ codec, op, size: String(size), reps: String(reps) })}`);
      if (!res.ok) throw new Error(`codecs run failed: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { bytes: number; json: number; frame: number };
      return { ms: (performance.now() - start) / reps, ...body };
    },
    dispose: () => mf.dispose(),
  };
}

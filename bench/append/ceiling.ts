/**
 * Starts bench/append/ceiling-worker.ts (bundled with esbuild) in its own embedded Miniflare, on the same
 * workerd build and the same SQLite storage as the hub, and times its insert runs from outside.
 */
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import type { Layout } from "./ceiling-worker";

const ROOT = resolve(import.meta.dirname, "..", "..");
const OUT = join(ROOT, ".wrangler", "bench", "ceiling-worker.js");

/** A running ceiling Worker. */
export interface Ceiling {
  /** Inserts `messages` rows in RPCs of `batch`; resolves with messages per second. */
  run(layout: Layout, messages: number, batch: number): Promise<number>;
  dispose(): Promise<void>;
}

export async function startCeiling(): Promise<Ceiling> {
  await build({
    entryPoints: [join(ROOT, "bench", "append", "ceiling-worker.ts")],
    outfile: OUT,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    external: ["cloudflare:workers"],
    logLevel: "error",
  });
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      modules: true,
      scriptPath: OUT,
      compatibilityDate: "2026-07-01",
      durableObjects: { CEILING: { className: "Ceiling", useSQLite: true } },
    } as never),
  );
  const url = (await mf.ready).toString();
  return {
    async run(layout, messages, batch) {
      const start = performance.now();
      const res = await fetch(`${url}run?${new URLSearchParams({ layout, messages: String(messages), batch: String(batch) })}`, { method: "POST" });
      if (!res.ok) throw new Error(`ceiling run failed: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return messages / ((performance.now() - start) / 1000);
    },
    dispose: () => mf.dispose(),
  };
}

/**
 * Bench-only Workers (the SQLite ceiling, the request/reply floor): each is bundled with esbuild
 * and started in its own embedded Miniflare, on the same runtime build and SQLite storage as the
 * hub, so what it measures is the runtime alone.
 */
import { basename, join, resolve } from "node:path";
import { build } from "esbuild";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** A running bench Worker. */
export interface BenchWorker {
  /** Its base URL, `http://127.0.0.1:<port>/`. */
  url: string;
  dispose(): Promise<void>;
}

/**
 * Bundles `entry` (a path from the project root) and starts it with one SQLite-backed Durable
 * Object namespace per entry of `objects` (binding → class name).
 */
export async function startBenchWorker(entry: string, objects: Record<string, string>): Promise<BenchWorker> {
  const out = join(ROOT, ".wrangler", "bench", basename(entry).replace(/\.ts$/, ".js"));
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile: out,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2023",
    external: ["cloudflare:workers"],
    logLevel: "error",
  });
  const durableObjects = Object.fromEntries(Object.entries(objects).map(([binding, className]) => [binding, { className, useSQLite: true }]));
  const mf = new Miniflare(
    convertV4MiniflareOptions({ host: "127.0.0.1", port: 0, modules: true, scriptPath: out, compatibilityDate: "2026-07-01", durableObjects } as never),
  );
  return { url: (await mf.ready).toString(), dispose: () => mf.dispose() };
}

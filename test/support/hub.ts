/**
 * A real local hub for end-to-end tests and benchmarks: the production bundle (built by wrangler)
 * running in an embedded Miniflare on a loopback port, with state persisted to a folder so a
 * test can stop the runtime and start it again on the same data.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";

const ROOT = resolve(import.meta.dirname, "../..");
const BUNDLE_DIR = join(ROOT, ".wrangler", "hub-bundle");

/** Builds the Worker bundle once per process (wrangler's own production build). */
export function buildBundle(): string {
  const bundle = join(BUNDLE_DIR, "index.js");
  if (!existsSync(bundle) || process.env.HUB_REBUILD !== "0") {
    execFileSync(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", BUNDLE_DIR], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
      stdio: "pipe",
    });
    process.env.HUB_REBUILD = "0";
  }
  return bundle;
}

/** The hub's Durable Object bindings (as in wrangler.toml), all on SQLite storage. */
const DURABLE_OBJECTS = {
  LOG_PARTITION: "LogPartition",
  CLIENT_SESSION: "ClientSession",
  CONSUMER: "Consumer",
  AGGREGATE: "Aggregate",
  KEY_VALUE: "KeyValueShard",
  SCHEDULER: "Scheduler",
};

/** Options for a local hub. */
export interface HubOptions {
  /** Partitions per log (PARTITIONS). */
  partitions?: number;
  /** Folder for persisted state; a fresh temporary one when omitted. */
  dataDir?: string;
  /** Extra vars. */
  vars?: Record<string, string>;
}

/** A running local hub. */
export interface Hub {
  url: string;
  wsUrl: string;
  dataDir: string;
  /** Stops the runtime, keeping its data. */
  stop(): Promise<void>;
  /** Stops and deletes the data folder. */
  dispose(): Promise<void>;
}

/** The D1 migrations' statements in order; trigger bodies (BEGIN … END;) stay whole. */
function d1Statements(): string[] {
  const dir = join(ROOT, "migrations");
  const statements: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    let current = "";
    let depth = 0;
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      if (/^\s*--/.test(line) || (!current && !line.trim())) continue;
      current += line + "\n";
      if (/\bBEGIN\s*$/i.test(line)) depth++;
      if (/^\s*END\s*;\s*$/i.test(line)) depth--;
      if (depth === 0 && /;\s*$/.test(line)) {
        statements.push(current.trim());
        current = "";
      }
    }
  }
  return statements;
}

/** Starts a hub on a free loopback port. */
export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const scriptPath = buildBundle();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "flux-hub-"));
  const freshDb = !existsSync(join(dataDir, "v3"));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      resourcePersistencePath: dataDir,
      modules: true,
      scriptPath,
      compatibilityDate: "2026-07-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { PARTITIONS: String(options.partitions ?? 1), ...options.vars },
      durableObjects: Object.fromEntries(
        Object.entries(DURABLE_OBJECTS).map(([binding, className]) => [binding, { className, useSQLite: true }]),
      ),
      d1Databases: { DB: "hub-db" },
    } as never),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  if (freshDb) {
    const db = await mf.getD1Database("DB");
    const statements = d1Statements();
    if (statements.length) await db.batch(statements.map((s) => db.prepare(s)));
  }
  let stopped = false;
  const stop = async () => {
    if (!stopped) await mf.dispose();
    stopped = true;
  };
  return {
    url,
    wsUrl: url.replace(/^http/, "ws"),
    dataDir,
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

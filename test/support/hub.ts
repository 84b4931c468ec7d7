/**
 * A real local hub for end-to-end tests and benchmarks: the production bundle (built by wrangler)
 * running in an embedded Miniflare on a loopback port, serving the console's static assets as
 * wrangler.toml's [assets] says, with state persisted to a folder so a test can stop the runtime
 * and start it again on the same data.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { unstable_readConfig } from "wrangler";

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

/** The bundle's modules for Miniflare: wrangler's index.js and the .wasm modules it emitted beside it. */
function bundleModules(bundle: string) {
  const wasm = readdirSync(BUNDLE_DIR).filter((f) => f.endsWith(".wasm"));
  return [{ type: "ESModule", path: bundle }, ...wasm.map((f) => ({ type: "CompiledWasm", path: join(BUNDLE_DIR, f) }))];
}

/** Miniflare's form of wrangler.toml's [assets]: the same folder and the same paths that reach the Worker first. */
function assetsOptions() {
  const { assets } = unstable_readConfig({ config: join(ROOT, "wrangler.toml") }, { hideWarnings: true });
  if (!assets?.directory) throw new Error("wrangler.toml has no [assets] directory");
  const directory = join(ROOT, assets.directory);
  if (!existsSync(join(directory, "index.html"))) throw new Error(`${directory} is not built: run npm run build:console`);
  const workerFirst = Array.isArray(assets.run_worker_first) ? assets.run_worker_first : [];
  return {
    directory,
    run_worker_first: workerFirst,
    routerConfig: { has_user_worker: true },
    assetConfig: { not_found_handling: assets.not_found_handling, html_handling: assets.html_handling },
  };
}

/** The hub's Durable Object bindings (as in wrangler.toml), all on SQLite storage. */
const DURABLE_OBJECTS = {
  LOG_PARTITION: "LogPartition",
  CLIENT_SESSION: "ClientSession",
  CONSUMER: "Consumer",
  AGGREGATE: "Aggregate",
  KEY_VALUE: "KeyValueShard",
  SCHEDULER: "Scheduler",
  WEB_GATEWAY: "WebGateway",
  WEB_SOCKET_GATEWAY: "WebSocketGateway",
};

/** Options for a local hub. */
export interface HubOptions {
  /** Partitions per log (PARTITIONS). */
  partitions?: number;
  /** Folder for persisted state; a fresh temporary one when omitted. */
  dataDir?: string;
  /** Extra vars. */
  vars?: Record<string, string>;
  /** Opens the runtime's V8 inspector on this port. */
  inspectorPort?: number;
}

/** A running local hub. */
export interface Hub {
  url: string;
  wsUrl: string;
  dataDir: string;
  /** Stops the runtime, keeping its data. */
  stop(): Promise<void>;
  /** Kills the runtime process outright (SIGKILL), as a crash would, keeping its data. */
  crash(): Promise<void>;
  /** Stops and deletes the data folder. */
  dispose(): Promise<void>;
}

/** A migration file's statements in order; trigger bodies (BEGIN … END;) stay whole. */
function statementsOf(file: string): string[] {
  const statements: string[] = [];
  {
    let current = "";
    let depth = 0;
    for (const line of readFileSync(file, "utf8").split("\n")) {
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

/** Applies pending D1 migrations, recorded in the same table `wrangler d1 migrations apply` keeps. */
async function applyMigrations(db: D1Database): Promise<void> {
  await db.prepare("CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)").run();
  const applied = new Set((await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((r) => r.name));
  const dir = join(ROOT, "migrations");
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".sql")).sort()) {
    if (applied.has(name)) continue;
    const statements = statementsOf(join(dir, name)).map((s) => db.prepare(s));
    await db.batch([...statements, db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(name)]);
  }
}

/** Pids of the workerd processes this process started. */
function workerdChildren(): number[] {
  const out = spawnSync("pgrep", ["-P", String(process.pid), "workerd"], { encoding: "utf8" }).stdout;
  return out.split("\n").filter(Boolean).map(Number);
}

/** Starts a hub on a free loopback port. */
export async function startHub(options: HubOptions = {}): Promise<Hub> {
  const bundle = buildBundle();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "flux-hub-"));
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      resourcePersistencePath: dataDir,
      modules: bundleModules(bundle),
      modulesRoot: BUNDLE_DIR,
      compatibilityDate: "2026-07-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { PARTITIONS: String(options.partitions ?? 1), ...options.vars },
      durableObjects: Object.fromEntries(
        Object.entries(DURABLE_OBJECTS).map(([binding, className]) => [binding, { className, useSQLite: true }]),
      ),
      d1Databases: { DB: "hub-db" },
      assets: assetsOptions(),
      // For profiling (bench/profile/main.ts): the V8 inspector of the runtime.
      ...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
    } as never),
  );
  const url = (await mf.ready).toString().replace(/\/$/, "");
  await applyMigrations(await mf.getD1Database("DB"));
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
    async crash() {
      // Every runtime this process started: tests run one hub at a time.
      for (const pid of workerdChildren()) process.kill(pid, "SIGKILL");
      await stop().catch(() => {});
    },
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

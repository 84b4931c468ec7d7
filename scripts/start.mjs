#!/usr/bin/env node
/**
 * `npm start`: the hub on http://127.0.0.1:8787 under wrangler dev (local workerd), with state kept
 * in .dev-data/ across restarts. Applies pending D1 migrations first.
 */
import { spawn, spawnSync } from "node:child_process";

const persist = process.env.FLUX_DATA_DIR ?? ".dev-data";
const port = process.env.PORT ?? "8787";
const env = {
  ...process.env,
  // Local observability slows Durable Objects about 5x; there is no internet to fetch cf data from.
  X_LOCAL_OBSERVABILITY: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "true",
};

const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist], { env, stdio: "inherit" });
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn("wrangler", ["dev", "--ip", "127.0.0.1", "--port", port, "--persist-to", persist, ...process.argv.slice(2)], { env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));

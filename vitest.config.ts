/**
 * Two test projects: `workers` runs inside workerd next to real Durable Objects, SQLite, D1 and
 * alarms; `e2e` runs in Node against a real local hub (embedded Miniflare) over real sockets.
 */
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { wasmModuleVite } from "./scripts/wasm-module.mjs";

const migrations = await readD1Migrations("./migrations");

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: { bindings: { TEST_MIGRATIONS: migrations } },
          }),
        ],
        test: { name: "workers", include: ["test/unit/**/*.test.ts"], setupFiles: ["test/unit/setup.ts"] },
      },
      {
        // Examples import the SDK by its package name; in this repository that is its source.
        plugins: [wasmModuleVite],
        resolve: { alias: { "@flux-edge/client": fileURLToPath(new URL("./src/client/index.ts", import.meta.url)) } },
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // lz4-wasm's .wasm goes through wasmModuleVite, not to Node's loader.
          server: { deps: { inline: ["lz4-wasm"] } },
        },
      },
    ],
  },
});

#!/usr/bin/env node
/**
 * `npm run bench [-- --quick] [-- --only <suite>]`: bundles each suite (TypeScript that reuses the
 * test support hub and Flux client) with esbuild and runs them one after another: bench/main.ts
 * (append throughput, the suite named "append") and then every bench/suites/<name>.ts. Each suite
 * exports `main(argv): Promise<number>` and writes its own results to bench/results/. Each file's
 * `import.meta.dirname` keeps pointing at its own folder, as it would unbundled.
 */
import { readdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");

/** Replaces `import.meta.dirname` in each TypeScript file with that file's folder. */
const ownDirname = {
  name: "own-dirname",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
      contents: (await readFile(path, "utf8")).replaceAll("import.meta.dirname", JSON.stringify(dirname(path))),
      loader: "ts",
    }));
  },
};

const suites = [
  { name: "append", entry: join(root, "bench", "main.ts") },
  ...readdirSync(join(root, "bench", "suites"))
    .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
    .sort()
    .map((f) => ({ name: basename(f, ".ts"), entry: join(root, "bench", "suites", f) })),
];

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : null;
if (only && !suites.some((s) => s.name === only)) {
  process.stderr.write(`bench: no suite "${only}"; suites: ${suites.map((s) => s.name).join(", ")}\n`);
  process.exit(2);
}

let status = 0;
for (const suite of suites.filter((s) => !only || s.name === only)) {
  process.stderr.write(`bench: suite ${suite.name}\n`);
  const outfile = join(root, ".wrangler", "bench", `${suite.name}.mjs`);
  await build({
    entryPoints: [suite.entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    plugins: [ownDirname],
    logLevel: "error",
  });
  const { main } = await import(pathToFileURL(outfile).href);
  status ||= await main(args);
}
process.exit(status);

#!/usr/bin/env node
/**
 * `npm run bench [-- --quick]`: bundles bench/main.ts (TypeScript that reuses the test support hub
 * and Flux client) with esbuild, runs it and exits with its status. Each file's
 * `import.meta.dirname` keeps pointing at its own folder, as it would unbundled.
 */
import { dirname, join, resolve } from "node:path";
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..");
const outfile = join(root, ".wrangler", "bench", "main.mjs");

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

await build({
  entryPoints: [join(root, "bench", "main.ts")],
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
process.exit(await main(process.argv.slice(2)));

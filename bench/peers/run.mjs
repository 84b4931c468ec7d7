#!/usr/bin/env node
/**
 * `npm run bench:peers [-- --quick]`: bundles bench/peers/main.ts (TypeScript that reuses the test
 * support hub, the SDK and the bench helpers) with esbuild and runs it. Each bundled file's
 * `import.meta.dirname` keeps pointing at its own folder, as it would unbundled.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(import.meta.dirname, "..", "..");
const outfile = join(root, ".wrangler", "bench", "peers.mjs");

await build({
  entryPoints: [join(root, "bench", "peers", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22",
  packages: "external",
  logLevel: "error",
  plugins: [
    {
      name: "own-dirname",
      setup(b) {
        b.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
          contents: (await readFile(path, "utf8")).replaceAll("import.meta.dirname", JSON.stringify(dirname(path))),
          loader: "ts",
        }));
      },
    },
  ],
});
const { main } = await import(pathToFileURL(outfile).href);
process.exit(await main(process.argv.slice(2)));

/**
 * Runs a TypeScript bench entry (which reuses the test support hub, the SDK and the bench
 * helpers): bundles it with esbuild into .wrangler/bench/ and calls its `main(argv)`. Each bundled
 * file's `import.meta.dirname` keeps pointing at its own folder, as it would unbundled.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { wasmModuleEsbuild } from "../../scripts/wasm-module.mjs";

const root = resolve(import.meta.dirname, "..", "..");

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

/** Bundles `entry` as `<name>.mjs` and resolves with the exit status its `main(args)` returns. */
export async function runBundled(entry, name, args) {
  const outfile = join(root, ".wrangler", "bench", `${name}.mjs`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    packages: "external",
    plugins: [wasmModuleEsbuild, ownDirname],
    logLevel: "error",
  });
  const { main } = await import(pathToFileURL(outfile).href);
  return main(args);
}

/**
 * Builds the web console into console/dist, the folder wrangler.toml's [assets] serves: the Preact
 * application (index.html) and the API reference page (reference.html), whose Scalar bundle is
 * copied from its npm package so that the page needs no outside network.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";

const require = createRequire(import.meta.url);

/** Emits Scalar's prebuilt standalone bundle as /reference/scalar.js. */
function scalarBundle(): Plugin {
  return {
    name: "scalar-standalone",
    generateBundle() {
      // The package exports no path to its browser bundle: find the package folder from its main entry.
      const main = require.resolve("@scalar/api-reference");
      const file = resolve(main.slice(0, main.lastIndexOf("/dist/")), "dist/browser/standalone.js");
      this.emitFile({ type: "asset", fileName: "reference/scalar.js", source: readFileSync(file) });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  logLevel: "warn",
  plugins: [scalarBundle()],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    reportCompressedSize: false,
    rollupOptions: {
      input: { main: resolve(import.meta.dirname, "index.html"), reference: resolve(import.meta.dirname, "reference.html") },
    },
  },
});

/**
 * `.wasm` imports as compiled WebAssembly.Modules where wrangler is not the bundler (wrangler
 * does this itself for the hub): the SDK build, the e2e tests (vite) and the benches (esbuild).
 * The bytes are embedded as base64 and compiled where the code runs, so the SDK's one file works
 * in Node and in browsers (a page's CSP must allow 'wasm-unsafe-eval').
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The module source standing for the .wasm file at `path`. */
function moduleSource(path) {
  const base64 = readFileSync(path).toString("base64");
  return `export default new WebAssembly.Module(Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0)));\n`;
}

/** The esbuild plugin (also tsup's): resolves .wasm imports itself, packages included, and embeds them. */
export const wasmModuleEsbuild = {
  name: "wasm-module",
  setup(build) {
    build.onResolve({ filter: /\.wasm$/ }, ({ path, importer }) => ({ path: createRequire(importer).resolve(path), namespace: "wasm-module" }));
    build.onLoad({ filter: /.*/, namespace: "wasm-module" }, ({ path }) => ({ contents: moduleSource(path), loader: "js" }));
  },
};

/**
 * The vite plugin: the same, for vitest's Node projects (which must inline the package that holds
 * the .wasm, `server.deps.inline`, or vitest hands the import to Node).
 */
export const wasmModuleVite = {
  name: "wasm-module",
  enforce: "pre",
  load(id) {
    return id.endsWith(".wasm") ? moduleSource(id) : null;
  },
};

/**
 * Builds the SDK from src/client (and the protocol codec it shares with the hub, bundled in) into
 * one ESM file and one declaration file, so consumers need no loader and resolve no source paths.
 */
import { defineConfig } from "tsup";
import { wasmModuleEsbuild } from "../../scripts/wasm-module.mjs";

export default defineConfig({
  entry: { index: "../../src/client/index.ts" },
  format: ["esm"],
  target: "es2022",
  platform: "neutral",
  dts: true,
  sourcemap: true,
  clean: true,
  tsconfig: "tsconfig.json",
  // The runtime packages stay dependencies; `ws` is imported only under Node, at run time.
  external: ["@msgpack/msgpack", "murmurhash3js-revisited", "ws"],
  // lz4-wasm's module is embedded in the bundle, compiled where the SDK runs.
  esbuildPlugins: [wasmModuleEsbuild],
});

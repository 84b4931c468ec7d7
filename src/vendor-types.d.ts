// The murmurhash3js-revisited package ships no types.
declare module "murmurhash3js-revisited" {
  const murmur: { x86: { hash32(bytes: Uint8Array | number[], seed?: number): number } };
  export default murmur;
}

// A .wasm import is the compiled module (wrangler's CompiledWasm rule; the SDK build, the e2e
// tests and the benches load it the same way, see scripts/wasm-module.mjs).
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

// lz4js ships no types; only the block functions are used (the tests and the codecs bench compare
// against it: it is what the SDK compressed with before).
declare module "lz4js" {
  export function compressBound(n: number): number;
  export function compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
}

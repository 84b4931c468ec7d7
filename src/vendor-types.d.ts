// The murmurhash3js-revisited package ships no types.
declare module "murmurhash3js-revisited" {
  const murmur: { x86: { hash32(bytes: Uint8Array | number[], seed?: number): number } };
  export default murmur;
}

// lz4js ships no types; only the block functions are used.
declare module "lz4js" {
  export function compressBound(n: number): number;
  export function compressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, hashTable: Uint32Array): number;
  export function decompressBlock(src: Uint8Array, dst: Uint8Array, sIndex: number, sLength: number, dIndex: number): number;
}

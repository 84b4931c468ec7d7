/**
 * Base64 for `Data.value` (Jackson writes `byte[]` as base64): the platform's fastest codec. Node's
 * `btoa` and `atob` are written in JavaScript and took ~75 ms per 1,000 2 KB payloads, 40× `Buffer`
 * (docs/performance.md "The SDK's own cost"), so the SDK would be its own bottleneck there.
 */

type NativeBase64 = { toBase64?: (this: Uint8Array) => string };
type NativeFromBase64 = { fromBase64?: (text: string) => Uint8Array };
type NodeBuffer = { from(data: ArrayBufferLike | string, offsetOrEncoding?: number | string, length?: number): Uint8Array & { toString(encoding: string): string } };

/** `Uint8Array.prototype.toBase64` (ES2026) where the engine has it. */
const nativeTo = (Uint8Array.prototype as NativeBase64).toBase64;
/** `Uint8Array.fromBase64` (ES2026) where the engine has it. */
const nativeFrom = (Uint8Array as NativeFromBase64).fromBase64;
/** Node's Buffer (also Bun's, and workerd's with nodejs_compat), native in all of them. */
const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

const CHUNK = 0x8000;

/** Encodes bytes as base64 (standard alphabet, padded). */
export function toBase64(bytes: Uint8Array): string {
  if (nativeTo) return nativeTo.call(bytes);
  if (buffer) return buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

/** Decodes base64 into bytes (padding optional, as `atob`); throws on malformed input. */
export function fromBase64(text: string): Uint8Array {
  if (nativeFrom) return nativeFrom(text);
  // Buffer skips what is not base64 instead of refusing it, so only checked text goes that way.
  if (buffer && isBase64(text)) {
    // A copy: small Buffers are views of a shared pool.
    return new Uint8Array(buffer.from(text, "base64"));
  }
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** Standard base64 as Jackson writes `byte[]`; the padding may be left off. */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** A character outside the alphabet and its padding: one native scan, not a JavaScript loop. */
const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/=]/;

/**
 * `BASE64.test(text)` without that pattern, whose groups made it a fifth of the hub's work on a
 * 2 KB publish (a character loop was still 2.8× this): the alphabet, then at most two `=` that
 * complete the last group.
 */
export function isBase64(text: string): boolean {
  const padAt = text.indexOf("=");
  const n = padAt < 0 ? text.length : padAt;
  const pad = text.length - n;
  if (pad > 2 || (pad === 2 && text.charCodeAt(n + 1) !== 61) || OUTSIDE_ALPHABET.test(text)) return false;
  const tail = n % 4;
  return pad === 0 ? tail !== 1 : (tail === 2 && pad === 2) || (tail === 3 && pad === 1);
}

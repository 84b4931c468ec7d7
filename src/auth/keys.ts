/**
 * API key material: generating a key, recognising its shape, and hashing it for storage.
 *
 * A key is `fxk_` and 43 base64url characters: 256 bits from the platform CSPRNG. Only its
 * SHA-256 is stored. A slow KDF (bcrypt, scrypt, PBKDF2) exists to make guessing low-entropy
 * passwords expensive; guessing a 256-bit random value is infeasible at any hash speed, and a fast
 * hash keeps the per-request check cheap.
 */

/** The shape of every key this hub issues. */
export const KEY_PATTERN = /^fxk_[A-Za-z0-9_-]{43}$/;

const KEY_BYTES = 32;

/** A fresh random API key (the plaintext, shown to its creator once). */
export function generateKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  const base64 = btoa(String.fromCharCode(...bytes));
  return `fxk_${base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}

/** Whether `key` has the shape of an issued key (checked before any lookup). */
export function isWellFormedKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** SHA-256 of `text`. */
export async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** The stored form of a key: lowercase hex SHA-256. */
export async function hashKey(key: string): Promise<string> {
  return Array.from(await sha256(key), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The base64 codec held to `btoa`/`atob` (the web's definition): whichever native codec a runtime
 * offers (workerd's, Node's Buffer), the text and bytes must be the same, and bad input refused.
 */
import { expect } from "vitest";

function reference(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Checks `to` and `from` against btoa/atob on every length to 70, large inputs and bad text. */
export function base64Agrees(to: (b: Uint8Array) => string, from: (t: string) => Uint8Array): void {
  let seed = 7;
  const random = (n: number) => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
  for (const n of [...Array.from({ length: 70 }, (_, i) => i), 4095, 4096, 70_000]) {
    const bytes = random(n);
    const text = to(bytes);
    expect(text).toBe(reference(bytes));
    expect([...from(text)]).toEqual([...bytes]);
    // Padding may be left off, as Jackson's reader allows.
    expect([...from(text.replace(/=+$/, ""))]).toEqual([...bytes]);
  }
  // A view into a larger buffer encodes only its own bytes.
  const whole = random(64);
  expect(to(whole.subarray(5, 20))).toBe(reference(whole.subarray(5, 20)));
  for (const bad of ["A", "AB*D", "ABC\u00e9", "====", "AB=C"]) expect(() => from(bad), bad).toThrow();
}

/**
 * Validation of key-value input: keys, and Flux `Data` values (base64 `value`, `type`, `revision`,
 * `format`) with the size limit every stored value obeys. Unknown Data fields are kept, so values
 * round-trip exactly.
 */
import { z } from "zod";
import { BASE64 } from "../protocol/base64";
import { BadRequest, PayloadTooLarge } from "../errors";
import { parseWith } from "../validation";
import type { Data } from "../protocol/messages";

/** Largest `Data.value` accepted: 1 MiB of base64 text (768 KiB of bytes). */
export const MAX_VALUE_CHARS = 1024 * 1024;

/** Longest key accepted, in characters. */
export const MAX_KEY_CHARS = 4096;


// A Flux `Data<byte[]>`; its size is checked separately by parseData.
export const dataSchema = z.looseObject({
  value: z.string().regex(BASE64, "value must be base64").nullable(),
  type: z.string().nullish(),
  revision: z.number().int().optional(),
  format: z.string().nullish(),
});

/** A key and its value, as in Flux `KeyValuePair`. */
export interface KeyValuePair {
  key: string;
  value: Data;
}

/** Refuses a Data value over {@link MAX_VALUE_CHARS} with PayloadTooLarge (before its shape is checked). */
export function checkDataSize(input: unknown, what: string): void {
  const raw = (input as { value?: unknown } | null)?.value;
  if (typeof raw === "string" && raw.length > MAX_VALUE_CHARS) {
    throw new PayloadTooLarge(`${what} is ${raw.length} base64 characters, more than the ${MAX_VALUE_CHARS} allowed`);
  }
}

/** Checks a Data value: over {@link MAX_VALUE_CHARS} → PayloadTooLarge, malformed → BadRequest. */
export function parseData(input: unknown, what = "value"): Data {
  checkDataSize(input, what);
  return parseWith(dataSchema, input, what) as Data;
}

/** A key: a non-empty string of at most {@link MAX_KEY_CHARS} characters. */
export const keySchema = z.string().min(1, "must not be empty").max(MAX_KEY_CHARS, `must be at most ${MAX_KEY_CHARS} characters`);

/** Checks a key with {@link keySchema}. */
export function parseKey(input: unknown): string {
  return parseWith(keySchema, input, "key");
}

/** Checks a Flux `KeyValuePair`. */
export function parsePair(input: unknown): KeyValuePair {
  if (typeof input !== "object" || input === null) throw new BadRequest("key-value pair must be an object");
  const { key, value } = input as { key?: unknown; value?: unknown };
  return { key: parseKey(key), value: parseData(value, `value of ${String(key)}`) };
}

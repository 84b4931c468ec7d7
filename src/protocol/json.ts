/**
 * BigInt-safe JSON. Flux indexes (~1.2e17) exceed 2^53, so integers that a double cannot hold
 * exactly are parsed as `bigint` and `bigint` values are written as plain JSON numbers. The fast
 * paths (no long digit run on parse, no bigint on stringify) cost nothing extra.
 */

declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

const LONG_DIGIT_RUN = /\d{16}/;

type SourceContext = { source?: string };

function reviveBigInts(_key: string, value: unknown, context?: SourceContext): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) {
    return BigInt(context.source);
  }
  return value;
}

/** Parses JSON, returning integers beyond 2^53 as exact `bigint`s. */
export function parseJson(text: string): unknown {
  if (!LONG_DIGIT_RUN.test(text)) return JSON.parse(text);
  return JSON.parse(text, reviveBigInts as (key: string, value: unknown) => unknown);
}

function writeBigInts(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? JSON.rawJSON(value.toString()) : value;
}

/** Stringifies JSON, writing `bigint`s as exact JSON numbers. */
export function stringifyJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (e) {
    if (e instanceof TypeError && /BigInt/i.test(e.message)) return JSON.stringify(value, writeBigInts);
    throw e;
  }
}

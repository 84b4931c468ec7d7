/**
 * BigInt-safe JSON. Flux indexes (~1.2e17) exceed 2^53, so integers that a double cannot hold
 * exactly are parsed as `bigint` and `bigint` values are written as plain JSON numbers. The fast
 * paths (no long digit run on parse, no bigint on stringify) cost nothing extra. `RawJson` embeds
 * already-serialised JSON (stored messages) without parsing it again.
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
  return withExactIntegers(text) ?? JSON.parse(text, reviveBigInts as (key: string, value: unknown) => unknown);
}

/** A JSON number token, matched where a number starts outside strings. */
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
/** An array-index key, which JavaScript objects order before their other keys. */
const INDEX_KEY = /^\d+$/;

/**
 * The number tokens of valid JSON text, in document order, and how many of its strings are keys.
 * Strings are stepped over from quote to quote (`indexOf`, which skips a long payload many times
 * faster than a regex reading it), and numbers are looked for only in the text between them.
 */
function numberTokens(text: string): { numbers: string[]; keys: number } {
  const numbers: string[] = [];
  let keys = 0;
  for (let from = 0; ; ) {
    const open = text.indexOf('"', from);
    const end = open === -1 ? text.length : open;
    for (let k = from; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c !== 45 && (c < 48 || c > 57)) continue;
      NUMBER.lastIndex = k;
      const token = NUMBER.exec(text)![0];
      numbers.push(token);
      k += token.length - 1;
    }
    if (open === -1) return { numbers, keys };
    // The closing quote is the next one not escaped, i.e. after an even run of backslashes.
    let close = text.indexOf('"', open + 1);
    for (;;) {
      let b = close - 1;
      while (text.charCodeAt(b) === 92) b--;
      if ((close - 1 - b) % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    from = close + 1;
    // A string followed by a colon is a key.
    let after = from;
    while (after < text.length && text.charCodeAt(after) <= 32) after++;
    if (text.charCodeAt(after) === 58) keys++;
  }
}

/**
 * The fast exact parse: a plain parse, then each number the parse rounded is replaced by the bigint
 * its text spells, pairing parsed numbers with the text's number tokens in document order. A
 * reviver is called for every value and made a 1,000-message batch 4x slower to parse; this is
 * about 1.5x a plain parse. The pairing needs objects to keep their keys in document order, which
 * array-index keys break, and one value per key (the parse keeps as many keys as the text has);
 * every pair is also checked, and when anything fails it returns undefined for the reviver
 * (exported for the tests, which hold it to the reviver).
 */
export function withExactIntegers(text: string): unknown {
  let value: unknown;
  let numbers: string[];
  let keysInText: number;
  try {
    value = JSON.parse(text);
    ({ numbers, keys: keysInText } = numberTokens(text));
  } catch {
    return undefined;
  }
  let next = 0;
  let keys = 0;
  let paired = true;
  const exact = (v: unknown): unknown => {
    if (typeof v === "number") {
      const token = numbers[next++];
      // Each pair is checked: a token parses to exactly the number it is paired with.
      if (token === undefined || Number(token) !== v) paired = false;
      return paired && !Number.isSafeInteger(v) && /^-?\d+$/.test(token) ? BigInt(token) : v;
    }
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const before = v[i];
        if (typeof before === "number" || (typeof before === "object" && before !== null)) v[i] = exact(before);
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const key of Object.keys(o)) {
        keys++;
        const first = key.charCodeAt(0);
        if (first >= 48 && first <= 57 && INDEX_KEY.test(key)) paired = false;
        const before = o[key];
        // Strings, booleans and nulls need nothing (most values of a message).
        if (typeof before !== "number" && (typeof before !== "object" || before === null)) continue;
        const after = exact(before);
        // Assigning "__proto__" would set the prototype, not the key: leave that to the reviver.
        if (after !== before) key === "__proto__" ? (paired = false) : (o[key] = after);
      }
    }
    return v;
  };
  const result = exact(value);
  return paired && next === numbers.length && keys === keysInText ? result : undefined;
}

let rawTexts: string[] | null = null;
// Where a RawJson goes, JSON.stringify writes this: a quote, a lone low surrogate, a quote. Well-formed
// JSON.stringify escapes every lone surrogate in a string ("\udead"), and a surrogate that is part
// of a pair follows its high half, never a quote, so no user data can produce this sequence.
const RAW_MARK = '"\udead"';
// Made on first use: runtimes without JSON.rawJSON (Node 20) must still load this module, so that
// the SDK can refuse them with a clear error.
let rawMark: unknown;

const NOT_IN_STRINGIFY = new Error("RawJson can only be written by stringifyJson");

/** JSON text to embed verbatim when the value around it is stringified with `stringifyJson`. */
export class RawJson {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    // Thrown at every plain first attempt of stringifyJson on a value holding one: made once.
    if (!rawTexts) throw NOT_IN_STRINGIFY;
    rawTexts.push(this.text);
    return (rawMark ??= JSON.rawJSON(RAW_MARK));
  }
}

type BigIntWithJson = { toJSON?: (this: bigint) => unknown };

function bigIntJson(this: bigint): unknown {
  return JSON.rawJSON(this.toString());
}

/**
 * Stringifies JSON, writing `bigint`s as exact JSON numbers and `RawJson` verbatim. For the one
 * synchronous call, bigints get a `toJSON` (restored after), which the engine calls natively: a
 * replacer function would be called for every value, bigint or not.
 */
export function stringifyJson(value: unknown): string {
  // Most values hold neither (a stored line, a payload): a plain stringify, which refuses both. The
  // prototype change below costs more than the stringify of a small value (5× on a 200 B payload).
  try {
    return JSON.stringify(value);
  } catch {
    // A bigint or a RawJson (or a value that cannot be written, which fails again below).
  }
  rawTexts = [];
  const proto = BigInt.prototype as BigIntWithJson;
  const own = Object.getOwnPropertyDescriptor(proto, "toJSON");
  if (!own) Object.defineProperty(proto, "toJSON", { value: bigIntJson, configurable: true, writable: true });
  try {
    const text = JSON.stringify(value);
    const raws = rawTexts;
    if (raws.length === 0) return text;
    // JSON.stringify visits values in output order, so the marks come in the order they were pushed.
    const parts = text.split(RAW_MARK);
    let out = parts[0];
    for (let i = 1; i < parts.length; i++) out += raws[i - 1] + parts[i];
    return out;
  } finally {
    if (!own) delete proto.toJSON;
    rawTexts = null;
  }
}

import * as lz4js from "lz4js";
import { describe, expect, it } from "vitest";
import { compress, decompress, lz4Compress, lz4Decompress } from "../../../src/protocol/compression";
import { fromLz4Frame } from "../../../src/protocol/frames";
import { lz4Around, lz4Block } from "../../../src/protocol/lz4-splice";
import { BASE64, fromBase64, isBase64, toBase64 } from "../../../src/protocol/base64";
import { base64Agrees } from "../../support/base64-cases";
import { RawJson, parseJson, stringifyJson, withExactIntegers } from "../../../src/protocol/json";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("LZ4 frames as Flux writes them", () => {
  it("prefixes the uncompressed length big-endian and round-trips compressible and random input", () => {
    const text = bytes(JSON.stringify({ "@type": "append", messages: Array(200).fill({ data: { value: "aGVsbG8=" } }) }));
    const frame = lz4Compress(text);
    expect(new DataView(frame.buffer, frame.byteOffset).getUint32(0, false)).toBe(text.length);
    expect(frame.length).toBeLessThan(text.length / 5);
    expect(lz4Decompress(frame)).toEqual(text);
    const random = crypto.getRandomValues(new Uint8Array(5000));
    expect(lz4Decompress(lz4Compress(random))).toEqual(random);
    expect(lz4Decompress(lz4Compress(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it("reads lz4js's frames and writes frames lz4js reads: binary, unicode, empty, tiny, 2 MB", () => {
    const json = bytes(JSON.stringify(Array.from({ length: 25_000 }, (_, i) => ({ i, text: `message ${i} ✓ ünïcødé 🚀`, value: "aGVsbG8=".repeat(i % 7) }))));
    const inputs = [new Uint8Array(0), bytes("x"), bytes("ünïcødé 🚀"), crypto.getRandomValues(new Uint8Array(65_536)), new Uint8Array(100_000), json];
    expect(json.length).toBeGreaterThan(2_000_000);
    for (const input of inputs) {
      expect(lz4Decompress(lz4jsFrame(input))).toEqual(input);
      const ours = lz4Compress(input);
      expect(new DataView(ours.buffer, ours.byteOffset).getUint32(0, false)).toBe(input.length);
      const out = new Uint8Array(input.length);
      expect(lz4js.decompressBlock(ours, out, 4, ours.length - 4, 0)).toBe(input.length);
      expect(out).toEqual(input);
    }
  });

  it("makes a frame around a block compressed earlier that both decoders read as head + content + tail", () => {
    const json = bytes(JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ index: 117687334689767425 + i, value: "aGVsbG8=".repeat(i % 9) }))));
    const contents = [new Uint8Array(0), bytes("[]"), bytes("x"), bytes("ünïcødé 🚀"), bytes("a".repeat(5000)), crypto.getRandomValues(new Uint8Array(65_536)), json];
    const ends = [0, 1, 14, 15, 16, 269, 270, 271, 600].map((n) => bytes(`{"k":"${"é".repeat(n)}"`).subarray(0, n));
    for (const content of contents) {
      const block = lz4Block(content);
      for (const head of ends) {
        for (const tail of [ends[0], ends[2], ends[4], ends[7], ends[8]]) {
          const whole = new Uint8Array([...head, ...content, ...tail]);
          const frame = lz4Around(head, block, tail);
          expect(lz4Decompress(frame)).toEqual(whole);
          const out = new Uint8Array(whole.length);
          expect(lz4js.decompressBlock(frame, out, 4, frame.length - 4, 0)).toBe(whole.length);
          expect(out).toEqual(whole);
        }
      }
    }
  });

  it("turns an LZ4 frame of results made elsewhere into the frame of a socket's own compression", async () => {
    const text = bytes('{"@type":"readResult","messageBatch":{"messages":[]},"requestId":3}');
    const frame = lz4Compress(text);
    expect(await fromLz4Frame(frame, "LZ4")).toBe(frame);
    expect(await fromLz4Frame(frame, "NONE")).toEqual(text);
    expect(await decompress(await fromLz4Frame(frame, "GZIP"), "GZIP")).toEqual(text);
  });

  it("refuses a malformed block with an error and keeps working after it", () => {
    const frame = lz4Compress(bytes("flux ".repeat(1000)));
    const broken = frame.slice();
    broken.fill(0xff, 8, 20);
    expect(() => lz4Decompress(broken)).toThrow(RangeError);
    expect(() => lz4Decompress(frame.subarray(0, frame.length - 3))).toThrow(RangeError);
    expect(lz4Decompress(frame)).toEqual(bytes("flux ".repeat(1000)));
  });

  it("answers every mangled frame with a RangeError or the claimed length, never a trap", () => {
    const text = bytes(JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ i, value: `payload ${i % 17}` }))));
    const frame = lz4Compress(text);
    let refused = 0;
    for (let round = 0; round < 2000; round++) {
      const mangled = frame.slice();
      for (let k = 0; k < 1 + (round % 4); k++) mangled[4 + ((round * 7919 + k * 104729) % (mangled.length - 4))] ^= 1 + ((round + k) % 255);
      try {
        expect(lz4Decompress(mangled).length).toBe(text.length);
      } catch (e) {
        expect(e).toBeInstanceOf(RangeError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
    expect(lz4Decompress(frame)).toEqual(text);
  });

  it("rejects truncated and lying frames instead of returning garbage", () => {
    const frame = lz4Compress(bytes("x".repeat(1000)));
    expect(() => lz4Decompress(frame.subarray(0, 2))).toThrow(/prefix/);
    const lying = frame.slice();
    new DataView(lying.buffer).setUint32(0, 999_999, false);
    expect(() => lz4Decompress(lying)).toThrow();
  });

  it("GZIP round-trips, and input that is not gzip passes through as Flux does", async () => {
    const text = bytes("flux ".repeat(100));
    expect(await decompress(await compress(text, "GZIP"), "GZIP")).toEqual(text);
    expect(await decompress(text, "GZIP")).toEqual(text);
    expect(await decompress(text, "NONE")).toEqual(text);
  });
});

/** A Flux LZ4 frame as lz4js writes it (what the SDK sent before lz4-wasm), all-literal when it finds no match. */
function lz4jsFrame(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + lz4js.compressBound(input.length));
  new DataView(out.buffer).setUint32(0, input.length, false);
  const n = input.length ? lz4js.compressBlock(input, out.subarray(4), 0, input.length, new Uint32Array(1 << 16)) : 0;
  if (n > 0) return out.subarray(0, 4 + n);
  const head = input.length >= 15 ? [0xf0, ...Array<number>(Math.floor((input.length - 15) / 255)).fill(255), (input.length - 15) % 255] : [input.length << 4];
  const literal = new Uint8Array(4 + head.length + input.length);
  literal.set(out.subarray(0, 4));
  literal.set(head, 4);
  literal.set(input, 4 + head.length);
  return literal;
}

describe("base64 as Flux Data carries it", () => {
  it("the fast check agrees with the pattern on every short string and on long ones", () => {
    const alphabet = "AZaz09+/=-_ ";
    const all = (n: number): string[] => (n === 0 ? [""] : all(n - 1).flatMap((s) => [...alphabet].map((c) => s + c)));
    for (let n = 0; n <= 5; n++) for (const text of all(n)) expect(isBase64(text)).toBe(BASE64.test(text));
    const long = btoa("x".repeat(3000));
    for (const text of [long, long.slice(0, -1), long.slice(0, -2), long + "=", long.replace("e", "*")]) expect(isBase64(text)).toBe(BASE64.test(text));
  });

  it("encodes and decodes as btoa and atob do, and refuses what atob refuses", () => {
    base64Agrees(toBase64, fromBase64);
  });
});

describe("BigInt-safe JSON", () => {
  it("parses integers beyond 2^53 exactly and leaves the others numbers", () => {
    const v = parseJson('{"index":117687334689767425,"small":42,"neg":-1,"float":1.5}') as Record<string, unknown>;
    expect(v.index).toBe(117687334689767425n);
    expect(v.small).toBe(42);
    expect(v.neg).toBe(-1);
    expect(v.float).toBe(1.5);
  });

  it("parses the same as a reviver would, for inputs that break pairing numbers with their text", () => {
    const revived = (text: string) =>
      JSON.parse(text, (_k, v, context?: { source?: string }) => (typeof v === "number" && !Number.isSafeInteger(v) && /^-?\d+$/.test(context?.source ?? "") ? BigInt(context!.source!) : v));
    const inputs = [
      '{"messages":[{"index":117687334689767425,"segment":3,"data":{"value":"MTIzNDU2Nzg5MDEyMzQ1Njc4OQ=="}},{"index":117687334689767426,"t":1.5e300}],"lastIndex":117687334689767426}',
      '{"s":"a \\"quoted\\" 12345678901234567890 inside","n":12345678901234567890,"e":-1.25E-7,"z":-0}',
      '{"2":1,"b":12345678901234567890,"1":98765432109876543210}',
      '{"a":"x","b":123456789012345678901,"a":7}',
      '{"a":[[1,[2,[12345678901234567890]]],{"b":{"c":-98765432109876543210}}],"d":1234567890123456}',
      '{"__proto__":12345678901234567890,"k":1}',
      '[12345678901234567890, 1e16, 12345678901234567.5, "\\\\", 99999999999999999999]',
      // A repeated key whose first value holds no number, and an array-index key written escaped.
      '{"a":"s","b":12345678901234567890,"a":12345678901234567891}',
      '{"b":12345678901234567890,"\\u0031":12345678901234567891}',
      '{ "k" : 12345678901234567890 , "l" :\n [ 1 , 12345678901234567891 ] }',
    ];
    for (const text of inputs) expect(parseJson(text)).toEqual(revived(text));
    expect((parseJson(inputs[0]) as { messages: { index: bigint }[] }).messages[1].index).toBe(117687334689767426n);
    // A string longer than the regex engine's stack would hold, beside a long number.
    const long = `{"n":12345678901234567890,"s":"${"x".repeat(9_000_000)}"}`;
    expect((parseJson(long) as { n: bigint }).n).toBe(12345678901234567890n);
  });

  it("parses random documents the same as a reviver, whatever their strings hold", () => {
    // Strings full of what the quote-to-quote scan must step over: escaped quotes after runs of
    // backslashes, colons, digits, long digit runs; keys with space before their colon.
    const revived = (text: string) =>
      JSON.parse(text, (_k, v, context?: { source?: string }) => (typeof v === "number" && !Number.isSafeInteger(v) && /^-?\d+$/.test(context?.source ?? "") ? BigInt(context!.source!) : v));
    let seed = 7;
    const random = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * n);
    const pieces = ['"', "\\", ":", ",", "1", "12345678901234567890", "-", "e5", " ", "{", "]", "é", "\u0000"];
    const str = () => JSON.stringify(Array.from({ length: random(6) }, () => pieces[random(pieces.length)]).join(""));
    const num = () => [String(random(1000)), "12345678901234567890", "-98765432109876543210", "1.5e300", "9007199254740993", "0.25", "-0"][random(7)];
    const value = (depth: number): string => {
      const r = random(depth > 3 ? 3 : 6);
      if (r === 0) return str();
      if (r === 1) return num();
      if (r === 2) return ["true", "false", "null"][random(3)];
      if (r === 3) return `[${Array.from({ length: random(4) }, () => value(depth + 1)).join(random(2) ? "," : " , ")}]`;
      return `{${Array.from({ length: random(4) }, () => `${str()}${random(2) ? ":" : " :\n"}${value(depth + 1)}`).join(",")}}`;
    };
    let fast = 0;
    for (let i = 0; i < 2000; i++) {
      const text = `{"n":12345678901234567890,"v":${value(0)}}`;
      const exact = withExactIntegers(text);
      if (exact !== undefined) fast++;
      expect(exact ?? parseJson(text)).toEqual(revived(text));
    }
    // The fast path takes all but documents with repeated or array-index keys.
    expect(fast).toBeGreaterThan(1800);
  });

  it("writes bigints as exact JSON numbers and embeds raw JSON verbatim", () => {
    expect(stringifyJson({ index: 117687334689767425n, n: 1 })).toBe('{"index":117687334689767425,"n":1}');
    expect(stringifyJson({ messages: new RawJson('[{"a":1},{"b":"x"}]'), lastIndex: 2n ** 60n })).toBe(
      '{"messages":[{"a":1},{"b":"x"}],"lastIndex":1152921504606846976}',
    );
    expect(stringifyJson({ plain: "text" })).toBe('{"plain":"text"}');
  });
});

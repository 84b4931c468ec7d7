import { describe, expect, it } from "vitest";
import { compress, decompress, lz4Compress, lz4Decompress } from "../../../src/protocol/compression";
import { BASE64, isBase64 } from "../../../src/protocol/base64";
import { RawJson, parseJson, stringifyJson } from "../../../src/protocol/json";

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

describe("base64 as Flux Data carries it", () => {
  it("the fast check agrees with the pattern on every short string and on long ones", () => {
    const alphabet = "AZaz09+/=-_ ";
    const all = (n: number): string[] => (n === 0 ? [""] : all(n - 1).flatMap((s) => [...alphabet].map((c) => s + c)));
    for (let n = 0; n <= 5; n++) for (const text of all(n)) expect(isBase64(text)).toBe(BASE64.test(text));
    const long = btoa("x".repeat(3000));
    for (const text of [long, long.slice(0, -1), long.slice(0, -2), long + "=", long.replace("e", "*")]) expect(isBase64(text)).toBe(BASE64.test(text));
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

  it("writes bigints as exact JSON numbers and embeds raw JSON verbatim", () => {
    expect(stringifyJson({ index: 117687334689767425n, n: 1 })).toBe('{"index":117687334689767425,"n":1}');
    expect(stringifyJson({ messages: new RawJson('[{"a":1},{"b":"x"}]'), lastIndex: 2n ** 60n })).toBe(
      '{"messages":[{"a":1},{"b":"x"}],"lastIndex":1152921504606846976}',
    );
    expect(stringifyJson({ plain: "text" })).toBe('{"plain":"text"}');
  });
});

/**
 * Position: merge/store/reset semantics, the queries tracking uses, and both JSON forms of Flux's
 * PositionSerializer/Deserializer (ApiSerializationTest), with indexes beyond 2^53.
 */
import { describe, expect, it } from "vitest";
import { HubError } from "../../../src/errors";
import { parseJson, stringifyJson } from "../../../src/protocol/json";
import { Position } from "../../../src/tracking/position";

const BIG = 111_720_000_000_000_001n; // a realistic index, beyond 2^53

describe("Position semantics", () => {
  it("an empty position knows no segment", () => {
    const p = Position.empty();
    expect(p.isEmpty()).toBe(true);
    expect(p.isNew([0, 128])).toBe(true);
    expect(p.lowestIndexForSegment([0, 128])).toBeUndefined();
    expect(p.indexOf(5)).toBeUndefined();
  });

  it("store merges with max and never moves a segment backwards", () => {
    const p = Position.empty().store([0, 64], 100).store([32, 128], 50).store([0, 16], 200);
    expect(p.indexOf(0)).toBe(200n);
    expect(p.indexOf(16)).toBe(100n);
    expect(p.indexOf(40)).toBe(100n);
    expect(p.indexOf(64)).toBe(50n);
    expect(p.store([0, 128], 10).equals(p)).toBe(true);
  });

  it("an empty store range changes nothing", () => {
    const p = Position.empty().store([0, 128], 5);
    expect(p.store([0, 0], 99).equals(p)).toBe(true);
  });

  it("reset sets all 128 segments to one index, lower or higher", () => {
    const p = Position.empty().store([0, 128], 500).store([10, 20], 900);
    const reset = Position.ofAll(-1);
    expect(reset.splitInSegments()).toEqual([[[0, 128], -1n]]);
    expect(reset.merge(p).equals(p)).toBe(true);
  });

  it("lowest index and isNew look only inside the range", () => {
    const p = Position.empty().store([0, 16], 100).store([24, 32], 100).store([32, 64], 200);
    expect(p.lowestIndexForSegment([0, 128])).toBe(100n);
    expect(p.lowestIndexForSegment([32, 64])).toBe(200n);
    expect(p.lowestIndexForSegment([16, 24])).toBeUndefined();
    expect(p.isNew([16, 24])).toBe(true);
    expect(p.isNew([16, 25])).toBe(false);
    expect(p.isNew([64, 128])).toBe(true);
  });

  it("a message is new when its segment has no index or its index is higher", () => {
    const p = Position.empty().store([0, 64], BIG);
    expect(p.isNewIndex(1, BIG)).toBe(false);
    expect(p.isNewIndex(1, BIG + 1n)).toBe(true);
    expect(p.isNewIndex(1, 5)).toBe(false);
    expect(p.isNewIndex(100, 5)).toBe(true);
    expect(p.isNewIndex(1, null)).toBe(true);
    expect(p.isNewMessage({ segment: 63, index: BIG + 1n })).toBe(true);
    expect(p.isNewMessage({ segment: 63, index: BIG })).toBe(false);
  });

  it("splits into runs of equal index", () => {
    const p = Position.empty().store([0, 16], 100).store([24, 32], 100).store([32, 64], 200);
    expect(p.splitInSegments()).toEqual([
      [[0, 16], 100n],
      [[24, 32], 100n],
      [[32, 64], 200n],
    ]);
  });
});

describe("Position JSON", () => {
  const p = Position.of([0, 16], 100).merge(Position.of([24, 32], 100)).merge(Position.of([32, 64], 200));

  it("writes Java's array form", () => {
    expect(p.toJSON()).toEqual([[0, 16], 100n, [24, 32], 100n, [32, 64], 200n]);
    expect(stringifyJson({ position: p })).toBe('{"position":[[0,16],100,[24,32],100,[32,64],200]}');
    expect(stringifyJson(Position.empty())).toBe("[]");
  });

  it("round-trips the array form (ApiSerializationTest.serializePosition)", () => {
    expect(Position.fromJSON(parseJson(stringifyJson(p))).equals(p)).toBe(true);
  });

  it("reads the legacy indexBySegment form (ApiSerializationTest.serializeLegacyPosition)", () => {
    const bySegment: Record<string, number> = {};
    for (const [[start, end], index] of p.splitInSegments()) {
      for (let s = start; s < end; s++) bySegment[String(s)] = Number(index);
    }
    expect(Position.fromJSON({ indexBySegment: bySegment }).equals(p)).toBe(true);
    expect(Position.fromJSON({ indexBySegment: { "3": null, "4": 7 } }).splitInSegments()).toEqual([[[4, 5], 7n]]);
  });

  it("keeps indexes beyond 2^53 exact through the bigint-safe JSON layer", () => {
    const big = Position.of([0, 64], BIG).store([64, 128], BIG + 65536n);
    const text = stringifyJson(big);
    expect(text).toBe(`[[0,64],${BIG},[64,128],${BIG + 65536n}]`);
    const back = Position.fromJSON(parseJson(text));
    expect(back.indexOf(0)).toBe(BIG);
    expect(back.indexOf(127)).toBe(BIG + 65536n);
    expect(Position.fromJSON(parseJson(`{"indexBySegment":{"0":${BIG}}}`)).indexOf(0)).toBe(BIG);
  });

  it("merges overlapping ranges in the array form with max, as Java's deserializer does", () => {
    const merged = Position.fromJSON([[0, 64], 100, [32, 128], 50]);
    expect(merged.splitInSegments()).toEqual([
      [[0, 64], 100n],
      [[64, 128], 50n],
    ]);
  });

  it("encodes compactly for storage", () => {
    const big = Position.of([0, 64], BIG).store([64, 128], 3);
    expect(big.encode()).toBe(`[[0,64],${BIG},[64,128],3]`);
    expect(Position.decode(big.encode()).equals(big)).toBe(true);
  });

  it("rejects malformed input", () => {
    const bad = [[[0, 64]], [[0, 200], 1], [[0, 64], 1.5], [[0, 64], 2 ** 60], [[0], 1], "x", null, { indexBySegment: { "128": 1 } }];
    for (const value of bad) expect(() => Position.fromJSON(value), String(value)).toThrow(HubError);
  });
});

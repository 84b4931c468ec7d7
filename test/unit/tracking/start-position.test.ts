/**
 * Where a Read starts: the three start-index rules and the stored position.
 */
import { describe, expect, it } from "vitest";
import { minIndexFromMillis } from "../../../src/log/index-clock";
import type { SegmentRange } from "../../../src/protocol/segment";
import { Position } from "../../../src/tracking/position";
import { startPosition } from "../../../src/tracking/start-position";
import { trackerFromRead, type ReadSettings, type Tracker } from "../../../src/tracking/tracker";

const NOW = 1_700_000_000_000;
const tracker = (extra: Partial<ReadSettings> = {}, now = NOW): Tracker =>
  trackerFromRead({ consumer: "app", trackerId: "t1", maxSize: 10, maxTimeout: 1000, ...extra }, "EVENT", "c1", "s1", now);

describe("startPosition", () => {
  const range: SegmentRange = [0, 64];

  it("a new consumer without lastIndex starts at now minus 1 s", () => {
    const p = startPosition(tracker(), Position.empty(), range, NOW);
    expect(p.splitInSegments()).toEqual([[[0, 64], minIndexFromMillis(NOW - 1000)]]);
  });

  it("a new consumer with lastIndex -1 reads from the beginning", () => {
    expect(startPosition(tracker({ lastIndex: -1 }), Position.empty(), range, NOW).lowestIndexForSegment(range)).toBe(-1n);
  });

  it("a stored position wins over lastIndex; only segments of the range count", () => {
    const stored = Position.of([0, 64], 500);
    expect(startPosition(tracker({ lastIndex: 7 }), stored, range, NOW).equals(stored)).toBe(true);
    const elsewhere = Position.of([64, 128], 500);
    expect(startPosition(tracker({ lastIndex: 7 }), elsewhere, range, NOW).lowestIndexForSegment(range)).toBe(7n);
  });

  it("segments the consumer never stored start where the consumer started, not at a neighbour's position", () => {
    // The churn case: [0,32) never stored (its tracker vanished), [32,64) stored at 500.
    const stored = Position.of([32, 64], 500);
    const p = startPosition(tracker({ lastIndex: 900 }), stored, range, NOW, 3n);
    expect(p.indexOf(10)).toBe(3n);
    expect(p.indexOf(40)).toBe(500n);
    expect(p.lowestIndexForSegment(range)).toBe(3n);
  });

  it("clientControlledIndex ignores the stored position", () => {
    const p = startPosition(tracker({ clientControlledIndex: true, lastIndex: 7 }), Position.of([0, 128], 500), range, NOW);
    expect(p.splitInSegments()).toEqual([[[0, 64], 7n]]);
  });

  it("a singleTracker takes the max of lastIndex and the stored position", () => {
    const p = startPosition(tracker({ singleTracker: true, lastIndex: 600 }), Position.of([0, 32], 500).store([32, 64], 900), range, NOW);
    expect(p.splitInSegments()).toEqual([[[0, 32], 600n], [[32, 64], 900n]]);
  });

});

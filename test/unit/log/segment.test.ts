import { describe, expect, it } from "vitest";
import { segmentOf } from "../../../src/protocol/segment";

describe("segmentOf", () => {
  it("matches the Java client's murmur3 vectors", () => {
    expect(segmentOf("a")).toBe(50);
    expect(segmentOf("foo")).toBe(96);
    expect(segmentOf("order-123")).toBe(67);
    expect(segmentOf("héllo")).toBe(24);
    expect(segmentOf("😀")).toBe(6);
  });
});

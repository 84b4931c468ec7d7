/**
 * Tracker: building trackers from Reads (WebSocketTracker).
 */
import { describe, expect, it } from "vitest";
import { HubError } from "../../../src/errors";
import { trackerFromRead, type ReadSettings } from "../../../src/tracking/tracker";

const NOW = 1_700_000_000_000;
const read = (extra: Partial<ReadSettings> = {}): ReadSettings => ({ consumer: "app_EVENT", trackerId: "c1_t1", ...extra });

describe("trackerFromRead", () => {
  it("copies the Read and computes the deadline", () => {
    const t = trackerFromRead(read({ maxSize: 1024, maxTimeout: 60000, lastIndex: 5, purgeTimeout: 1000 }), "EVENT", "c1", "s1", NOW);
    expect(t).toMatchObject({ consumer: "app_EVENT", trackerId: "c1_t1", clientId: "c1", sessionId: "s1", lastIndex: 5n, maxSize: 1024, deadline: NOW + 60000, purgeTimeout: 1000 });
  });

  it("defaults missing fields like Jackson does for Java primitives", () => {
    const t = trackerFromRead(read(), "EVENT", "c1", null, NOW);
    expect(t).toMatchObject({ maxSize: 0, maxTimeout: 0, lastIndex: null, purgeTimeout: null, typeFilter: null, ignoreSegment: false, clientControlledIndex: false, singleTracker: false, filterMessageTarget: false });
  });

  it("forces NOTIFICATION readers to ignoreSegment and clientControlledIndex", () => {
    const t = trackerFromRead(read(), "NOTIFICATION", "c1", null, NOW);
    expect(t.ignoreSegment).toBe(true);
    expect(t.clientControlledIndex).toBe(true);
  });

  it("rejects a Read without consumer or trackerId", () => {
    expect(() => trackerFromRead({ consumer: "app" } as ReadSettings, "EVENT", "c1", null, NOW)).toThrow(HubError);
  });

  it("rejects a typeFilter that is not a regular expression, or one the partitions' RE2 cannot run", () => {
    expect(() => trackerFromRead(read({ typeFilter: "(" }), "EVENT", "c1", null, NOW)).toThrow(HubError);
    // JavaScript would run a backreference; the partitions' RE2 cannot, so the Read fails here.
    expect(() => trackerFromRead(read({ typeFilter: "(x)\\1" }), "EVENT", "c1", null, NOW)).toThrow(/RE2 syntax/);
    expect(trackerFromRead(read({ typeFilter: "com\\.shop\\..*" }), "EVENT", "c1", null, NOW).typeFilter).toBe("com\\.shop\\..*");
  });
});

import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Consumer } from "../../../durable-objects/Consumer";
import { trackerFromRead } from "../../../src/tracking/tracker";
import { SqlTrackerRows } from "../../../src/tracking/tracker-rows";

describe("tracker rows", () => {
  it("keep each tracker's recipient whole, with the compression its session reads, across a restart", async () => {
    const stub = env.CONSUMER.get(env.CONSUMER.idFromName(crypto.randomUUID()));
    await runInDurableObject(stub, (_: Consumer, state) => {
      const rows = new SqlTrackerRows(state.storage.sql);
      const tracker = (id: string) => trackerFromRead({ consumer: "c", trackerId: id, maxSize: 10, lastIndex: 117687334689767425n }, "EVENT", "client", "s1", 1_000);
      rows.put({ tracker: tracker("lz4"), recipient: { sessionId: "s1", deliverTo: "session", compression: "LZ4" }, parked: null });
      rows.put({ tracker: tracker("plain"), recipient: { sessionId: "g1", deliverTo: "gateway" }, parked: { requestId: 7, kind: "read", deadline: 5_000 } });
      const again = new SqlTrackerRows(state.storage.sql).rows();
      expect(again.map((r) => r.recipient)).toEqual([
        { sessionId: "s1", deliverTo: "session", compression: "LZ4" },
        { sessionId: "g1", deliverTo: "gateway" },
      ]);
      expect(again[0].tracker).toEqual(tracker("lz4"));
      expect(again[1].parked).toEqual({ requestId: 7, kind: "read", deadline: 5_000 });
    });
  });
});

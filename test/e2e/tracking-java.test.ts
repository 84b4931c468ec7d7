/**
 * Tracking requests exactly as the Flux Java client serialises them (every field, nulls and
 * defaults included, see docs/protocol.md), for the behaviours its trackers depend on.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { javaMessage, javaRead } from "../support/java-shapes";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub.dispose();
});

const open = (path: string, clientId: string, topic: string) => FluxSocket.open(hub.wsUrl, path, { clientId, clientName: "java-app", topic });
const publish = async (topic: string, segments: number[]) => {
  const pub = await open("tracking/publishcustom", "pub", topic);
  const messages = segments.map((segment, i) => javaMessage(`m${i}`, { segment }));
  await pub.request({ "@type": "append", messageType: "CUSTOM", messages, guarantee: "STORED" });
  await pub.close();
  return messages;
};

describe("tracking as the Java client speaks it", () => {
  it("accepts StorePosition from any socket of the client's pool, for any range, and from operators for consumers without trackers", async () => {
    const reader = await open("tracking/readcustom", "pool-1", "pooled");
    const other = await open("tracking/readcustom", "pool-2", "pooled");
    await publish("pooled", [1, 2, 3]);
    const batch = (await reader.request(javaRead("CUSTOM", "pooled-app", "t1", { lastIndex: -1, maxTimeout: 1000 }))).messageBatch;
    expect(batch.messages).toHaveLength(3);
    // The position goes out on another socket, as the pool picks one per request.
    const stored = await other.request({ "@type": "storePosition", messageType: "CUSTOM", consumer: "pooled-app", segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" });
    expect(stored["@type"]).toBe("void");
    // An operator starts a consumer that has no tracker yet at a chosen index.
    const operator = await other.request({ "@type": "storePosition", messageType: "CUSTOM", consumer: "new-projection", segment: [0, 128], lastIndex: batch.messages[1].index, guarantee: "STORED" });
    expect(operator["@type"]).toBe("void");
    const position = await other.request({ "@type": "getPosition", messageType: "CUSTOM", consumer: "new-projection" });
    expect(position.position).toEqual([[0, 128], BigInt(batch.messages[1].index)]);
    const fresh = (await other.request(javaRead("CUSTOM", "new-projection", "p1", { lastIndex: -1, maxTimeout: 500 }))).messageBatch;
    expect(fresh.messages.map(payloadOf)).toEqual(["m2"]);
    // Max-merge: a lower position never moves it back.
    await other.request({ "@type": "storePosition", messageType: "CUSTOM", consumer: "new-projection", segment: [0, 128], lastIndex: 5, guarantee: "STORED" });
    expect((await other.request({ "@type": "getPosition", messageType: "CUSTOM", consumer: "new-projection" })).position).toEqual([[0, 128], BigInt(batch.messages[1].index)]);
    await Promise.all([reader.close(), other.close()]);
  });

  it("answers ClaimSegment sent with maxSize 0, ignoreSegment false and singleTracker false", async () => {
    const s = await open("tracking/readcustom", "claimer", "claims");
    const claim = await s.request({ ...javaRead("CUSTOM", "claim-app", "c1", { lastIndex: null, maxTimeout: 1000 }), "@type": "claimSegment", maxSize: 0, ignoreSegment: false, singleTracker: false });
    expect(claim["@type"]).toBe("claimSegmentResult");
    expect(claim.segment).toEqual([0, 128]);
    expect(Array.isArray(claim.position)).toBe(true);
    await s.close();
  });

  it("gives ignoreSegment trackers every message in batches carrying the range each holds", async () => {
    const [a, b] = await Promise.all([open("tracking/readcustom", "ig-a", "ignore"), open("tracking/readcustom", "ig-b", "ignore")]);
    const read = (s: FluxSocket, id: string) => s.request(javaRead("CUSTOM", "ignore-app", id, { ignoreSegment: true, lastIndex: -1, maxTimeout: 3000 }), 10_000);
    const [first, second] = [read(a, "ig-1"), read(b, "ig-2")];
    await new Promise((r) => setTimeout(r, 200));
    await publish("ignore", [10, 100]);
    const [x, y] = [(await first).messageBatch, (await second).messageBatch];
    expect([x.segment, y.segment]).toEqual([[0, 64], [64, 128]]);
    expect(x.messages.map(payloadOf)).toEqual(["m0", "m1"]);
    expect(y.messages.map(payloadOf)).toEqual(["m0", "m1"]);
    await Promise.all([a.close(), b.close()]);
  });

  it("accepts the Java client's default consumer names, spaces and slashes included", async () => {
    const s = await open("tracking/readcustom", "named", "names");
    await publish("names", [7]);
    for (const consumer of ["My App_CUSTOM", "team/app_CUSTOM", "app%2F_CUSTOM"]) {
      const batch = (await s.request(javaRead("CUSTOM", consumer, `${consumer}-t`, { lastIndex: -1, maxTimeout: 500 }))).messageBatch;
      expect(batch.messages).toHaveLength(1);
      await s.request({ "@type": "storePosition", messageType: "CUSTOM", consumer, segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" });
    }
    // Escaped names stay apart: the position of one is not the other's.
    expect((await s.request({ "@type": "getPosition", messageType: "CUSTOM", consumer: "team/app_CUSTOM" })).position).not.toEqual([]);
    expect((await s.request({ "@type": "getPosition", messageType: "CUSTOM", consumer: "team%2Fapp_CUSTOM" })).position).toEqual([]);
    const bad = await s.request(javaRead("CUSTOM", "bad\u0001name", "t", { maxTimeout: 0 }));
    expect(bad.message).toContain("control characters");
    await s.close();
  });
});

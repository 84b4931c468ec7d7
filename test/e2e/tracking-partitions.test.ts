import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FluxSocket, payloadOf } from "../support/flux-socket";
import { type Hub, startHub } from "../support/hub";
import { publish, readRequest } from "../support/tracking";

// Four partitions: [0,32) [32,64) [64,96) [96,128). Two trackers each span two partitions.
let hub: Hub;
beforeAll(async () => {
  hub = await startHub({ partitions: 4 });
});
afterAll(async () => {
  await hub?.dispose();
});

const PARTITION_RANGES = [[0, 32], [32, 64], [64, 96], [96, 128]];

describe("tracking across partitions", () => {
  it("delivers every message exactly once, in batches cut to one partition, with positions stored per batch", async () => {
    const sent = await publish(hub.wsUrl, "custom", Array.from({ length: 400 }, (_, i) => i), (i) => ({ segment: (i * 13) % 128 }), { topic: "spread" });
    const a = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "a", topic: "spread" });
    const b = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "b", topic: "spread" });
    // Both wait first so the cluster splits evenly, then they consume until caught up.
    const first = await Promise.all([
      a.request(readRequest("spread", "ta", { lastIndex: -1, maxSize: 60, maxTimeout: 200 })),
      new Promise((r) => setTimeout(r, 50)).then(() => b.request(readRequest("spread", "tb", { lastIndex: -1, maxSize: 60, maxTimeout: 200 }))),
    ]);
    const seen: { n: number; segment: number; range: number[]; tracker: string }[] = [];
    const consume = async (s: FluxSocket, trackerId: string, initial: any) => {
      let batch = initial.messageBatch;
      // Keep reading until everything arrived: a tracker may hold [0,0] for a while after joining.
      for (let i = 0; i < 60 && seen.length < sent.length; i++) {
        for (const m of batch.messages) seen.push({ n: payloadOf(m), segment: m.segment, range: batch.segment, tracker: trackerId });
        if (batch.lastIndex !== null) {
          await s.request({ "@type": "storePosition", consumer: "spread", segment: batch.segment, lastIndex: batch.lastIndex, guarantee: "STORED" });
        }
        batch = (await s.request(readRequest("spread", trackerId, { lastIndex: -1, maxSize: 60, maxTimeout: 200 }))).messageBatch;
      }
    };
    await Promise.all([consume(a, "ta", first[0]), consume(b, "tb", first[1] as any)]);
    expect(seen.map((s) => s.n).sort((x, y) => x - y)).toEqual(sent.map((_, i) => i));
    for (const s of seen) {
      // Each batch covers a piece of exactly one partition and holds only its segments.
      expect(PARTITION_RANGES.some(([lo, hi]) => s.range[0] >= lo && s.range[1] <= hi)).toBe(true);
      expect(s.segment >= s.range[0] && s.segment < s.range[1]).toBe(true);
    }
    expect(new Set(seen.filter((s) => s.tracker === "ta").map((s) => s.segment < 64))).toEqual(new Set([true]));
    expect(new Set(seen.filter((s) => s.tracker === "tb").map((s) => s.segment >= 64))).toEqual(new Set([true]));
    await Promise.all([a.close(), b.close()]);
  });

  it("merges partitions in index order for client-controlled trackers", async () => {
    const sent = await publish(hub.wsUrl, "custom", Array.from({ length: 100 }, (_, i) => i), (i) => ({ segment: (i * 37) % 128 }), { topic: "merged" });
    const r = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "m", topic: "merged" });
    const got: number[] = [];
    let lastIndex: unknown = -1;
    for (let i = 0; i < 10 && got.length < 100; i++) {
      const batch = (await r.request(readRequest("merged", "tm", { lastIndex, clientControlledIndex: true, maxSize: 30, maxTimeout: 200 }))).messageBatch;
      const indexes = batch.messages.map((m: any) => BigInt(m.index));
      // Partitions assign indexes independently, so two may share one: order is non-decreasing.
      for (let k = 1; k < indexes.length; k++) expect(indexes[k] >= indexes[k - 1]).toBe(true);
      got.push(...batch.messages.map(payloadOf));
      lastIndex = batch.lastIndex ?? lastIndex;
    }
    expect(got.sort((x, y) => x - y)).toEqual(sent.map((_, i) => i));
    await r.close();
  });

  it("answers ClaimSegment with the claimed range and the position, and parks a claim that gets nothing", async () => {
    const s = await FluxSocket.open(hub.wsUrl, "tracking/readcustom", { clientId: "claimer", topic: "claims" });
    const claim = await s.request({ "@type": "claimSegment", consumer: "claims", trackerId: "c1", maxTimeout: 1000, lastIndex: 5 });
    expect(claim["@type"]).toBe("claimSegmentResult");
    expect(claim.segment).toEqual([0, 128]);
    expect(claim.position).toEqual([[0, 128], 5]);
    // c1 holds its claim (active), so a second claimer waits until c1 reads again.
    const [second] = await s.send({ "@type": "claimSegment", consumer: "claims", trackerId: "c2", maxTimeout: 5000 });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.received.find((r) => r.requestId === second)).toBeUndefined();
    await s.send(readRequest("claims", "c1", { maxTimeout: 300 }));
    expect((await s.result(second, 5000)).segment).toEqual([64, 128]);
    await s.close();
  });
});

/**
 * The Consumer's logic against an in-memory host: leases answered by the partition, Reads that
 * write nothing, and the races of the fast path (a commit racing a rebalance, a restart between
 * park and append, a recipient gone while an answer is on its way).
 */
import { describe, expect, it } from "vitest";
import { MemoryKv, MemoryRig } from "../../support/memory-tracking";
import { ParkedReads } from "../../../src/log/parked-reads";
import type { ReadSettings } from "../../../src/tracking/tracker";

const read = (trackerId: string, extra: Partial<ReadSettings> = {}): ReadSettings => ({ consumer: "app", trackerId, maxSize: 100, maxTimeout: 1000, lastIndex: -1, ...extra });
const from = (sessionId: string) => ({ sessionId, clientId: `client-${sessionId}` });
const batchOf = (result: any) => result.messageBatch;

describe("ConsumerTracking", () => {
  it("leases a Read to its partition, which answers it from the append; a repeated Read writes nothing", async () => {
    const rig = new MemoryRig();
    expect(await rig.tracking.read(read("t1"), 1, from("s1"))).toBeNull();
    expect(rig.partitions[0].parked.size).toBe(1);
    rig.partitions[0].append([5, 70]);
    const [answer] = rig.answersTo(1);
    expect(batchOf(answer).messages).toHaveLength(2);
    expect(batchOf(answer).segment).toEqual([0, 128]);
    await rig.tracking.storePosition([0, 128], BigInt(batchOf(answer).lastIndex));
    const writes = rig.rows.writes;
    expect(await rig.tracking.read(read("t1"), 2, from("s1"))).toBeNull();
    expect(await rig.tracking.read(read("t1"), 3, from("s1"))).toBeNull();
    expect(rig.rows.writes).toBe(writes);
    // The superseded Read 2 got an empty batch; Read 3 waits at the partition.
    expect(batchOf(rig.answersTo(2)[0]).messages).toEqual([]);
    rig.partitions[0].append([9]);
    expect(batchOf(rig.answersTo(3)[0]).messages).toHaveLength(1);
  });

  it("answers at once from the log when messages are there, starting after the stored position", async () => {
    const rig = new MemoryRig();
    const [first, second] = rig.partitions[0].append([1, 2]);
    await rig.tracking.storePosition([0, 128], first);
    await rig.tracking.read(read("t1"), 1, from("s1"));
    expect(batchOf(rig.answersTo(1)[0]).messages.map((m: any) => BigInt(m.index))).toEqual([second]);
  });

  it("a newcomer gets [0,0] while the other tracker holds a batch answered by a commit that raced it (7)", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1"), 1, from("s1"));
    // The commit answers t1 at the partition; the consumer has not heard of it.
    rig.partitions[0].append([3]);
    await rig.tracking.read(read("t2"), 2, from("s2"));
    const { trackers } = await rig.tracking.describe();
    expect(trackers.map((t) => [t.trackerId, t.segment, t.active])).toEqual([
      ["t1", [0, 128], true],
      ["t2", [0, 0], false],
    ]);
    expect(rig.answersTo(2)).toEqual([]);
    // t1 reads again: it waits now, and the segments are shared; t2 is leased its half.
    await rig.tracking.read(read("t1"), 3, from("s1"));
    expect((await rig.tracking.describe()).trackers.map((t) => t.segment)).toEqual([[0, 64], [64, 128]]);
    rig.partitions[0].append([100]);
    expect(batchOf(rig.answersTo(2)[0]).segment).toEqual([64, 128]);
  });

  it("moves a still-parked tracker's lease to its new range when another joins (5)", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1"), 1, from("s1"));
    await rig.tracking.read(read("t2"), 2, from("s2"));
    rig.partitions[0].append([10, 100]);
    expect(batchOf(rig.answersTo(1)[0]).segment).toEqual([0, 64]);
    expect(batchOf(rig.answersTo(1)[0]).messages.map((m: any) => m.segment)).toEqual([10]);
    expect(batchOf(rig.answersTo(2)[0]).segment).toEqual([64, 128]);
    expect(batchOf(rig.answersTo(2)[0]).messages.map((m: any) => m.segment)).toEqual([100]);
  });

  it("after a restart of the consumer, finds leases at the partitions before moving ranges", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1"), 1, from("s1"));
    rig.restartConsumer();
    await rig.tracking.read(read("t2"), 2, from("s2"));
    rig.partitions[0].append([10, 100]);
    expect(batchOf(rig.answersTo(1)[0]).segment).toEqual([0, 64]);
    expect(batchOf(rig.answersTo(2)[0]).segment).toEqual([64, 128]);
  });

  it("after a restart of the partition between park and append, the lease is answered from storage", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1"), 1, from("s1"));
    // Parked long enough to be written down (answered sooner, a lease never touches storage).
    expect(rig.partitions[0].kv.map.size).toBe(0);
    rig.now += 100;
    rig.partitions[0].parked.flush();
    expect(rig.partitions[0].kv.map.size).toBe(1);
    rig.partitions[0].restart();
    rig.partitions[0].append([42]);
    expect(batchOf(rig.answersTo(1)[0]).messages).toHaveLength(1);
  });

  it("answers a parked Read empty with [0,0] on DisconnectTracker(sendFinalEmptyBatch) (13)", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1"), 1, from("s1"));
    await rig.tracking.disconnectTracker("t1", true);
    expect(batchOf(rig.answersTo(1)[0])).toMatchObject({ segment: [0, 0], messages: [] });
    expect(rig.partitions[0].parked.size).toBe(0);
    expect((await rig.tracking.describe()).trackers).toEqual([]);
  });

  it("a session closing while an answer is on its way: the tracker leaves and its messages go to the next owner", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1"), 1, from("s1"));
    await rig.tracking.read(read("t2"), 2, from("s2"));
    rig.closed.add("s1");
    rig.partitions[0].append([10]);
    await rig.tracking.getPosition(); // lets the recipientGone report run
    expect((await rig.tracking.describe()).trackers.map((t) => t.trackerId)).toEqual(["t2"]);
    // t2 now owns everything, and nothing was stored for segment 10: it is read again.
    await rig.tracking.read(read("t2"), 3, from("s2"));
    expect(batchOf(rig.answersTo(3)[0]).messages.map((m: any) => m.segment)).toEqual([10]);
  });

  it("redelivers after a tracker vanished before storing, even when a neighbour stored past it (churn)", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1"), 1, from("s1"));
    await rig.tracking.read(read("t2"), 2, from("s2"));
    const [low, high] = rig.partitions[0].append([10, 100]);
    expect(batchOf(rig.answersTo(1)[0]).messages.map((m: any) => BigInt(m.index))).toEqual([low]);
    // t2 stores its half; t1's session dies without storing.
    await rig.tracking.storePosition([64, 128], high);
    await rig.tracking.disconnectSession("s1");
    await rig.tracking.read(read("t2"), 3, from("s2"));
    expect(batchOf(rig.answersTo(3)[0]).messages.map((m: any) => BigInt(m.index))).toEqual([low]);
  });

  it("purges a tracker answered longer ago than its purgeTimeout (14)", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1", { purgeTimeout: 100 }), 1, from("s1"));
    rig.partitions[0].append([1]);
    await rig.tracking.read(read("t2", { purgeTimeout: 100 }), 2, from("s2"));
    expect(rig.alarm).not.toBeNull();
    rig.now += 150;
    await rig.tracking.onAlarm();
    const { trackers } = await rig.tracking.describe();
    expect(trackers.map((t) => [t.trackerId, t.segment])).toEqual([["t2", [0, 128]]]);
  });

  it("accepts StorePosition for any range and keeps the maximum", async () => {
    const rig = new MemoryRig();
    await rig.tracking.storePosition([0, 64], 50n);
    await rig.tracking.storePosition([0, 64], 20n);
    await rig.tracking.storePosition([64, 128], 7n);
    expect((await rig.tracking.getPosition()).toJSON()).toEqual([[0, 64], 50n, [64, 128], 7n]);
  });

  it("over several partitions, offers leases round-robin and waits here for a wake-up", async () => {
    const rig = new MemoryRig(2);
    expect(await rig.tracking.read(read("t1"), 1, from("s1"))).toBeNull();
    expect(rig.answersTo(1)).toEqual([]);
    rig.partitions[1].append([100]);
    await rig.tracking.wake();
    expect(batchOf(rig.answersTo(1)[0])).toMatchObject({ segment: [64, 128] });
  });

  it("an ignoreSegment tracker reads every segment but reports the range it holds (Flux Tracker.canHandle)", async () => {
    const rig = new MemoryRig();
    await rig.tracking.read(read("t1", { ignoreSegment: true }), 1, from("s1"));
    await rig.tracking.read(read("t2", { ignoreSegment: true }), 2, from("s2"));
    rig.partitions[0].append([10]);
    expect(batchOf(rig.answersTo(1)[0]).segment).toEqual([0, 64]);
    expect(batchOf(rig.answersTo(2)[0]).segment).toEqual([64, 128]);
    expect(batchOf(rig.answersTo(2)[0]).messages).toHaveLength(1);
  });
});

describe("ParkedReads", () => {
  const host = (kv = new MemoryKv(), now = () => 0) => ({ store: kv, now, later: () => {} });
  const lease = (extra = {}) => ({
    consumer: "c", trackerId: "t", epoch: 1, recipient: { sessionId: "s", deliverTo: "session" as const }, requestId: 7,
    after: -1n, maxSize: 2, filter: {}, segment: [0, 128] as [number, number], position: [], deadline: 1000, ...extra,
  });
  const empty = (head = -1n) => () => ({ indexes: [], segments: [], messages: [], scannedTo: null, head, bytes: 0 });

  it("cuts a commit's answer at maxSize and reports the cut as not caught up", () => {
    const parked = new ParkedReads(host());
    parked.serve(lease(), true, empty(), 0);
    const stored = [0n, 1n, 2n].map((index) => ({ index, segment: 1, type: null, target: null, line: "{}" }));
    const [answer] = parked.offer(stored, 2n, 0);
    expect(answer.messages).toHaveLength(2);
    expect(answer).toMatchObject({ lastIndex: 1n, caughtUp: false });
  });

  it("moves a lease past a commit that has nothing for it, and answers it empty at its deadline with what it examined", () => {
    const parked = new ParkedReads(host());
    parked.serve(lease({ filter: { typeFilter: "wanted" } }), true, empty(), 0);
    expect(parked.offer([{ index: 0n, segment: 1, type: "other", target: null, line: "{}" }], 0n, 0)).toEqual([]);
    expect(parked.offer([{ index: 1n, segment: 1, type: "wanted", target: null, line: "{}" }], 1n, 0)[0].messages).toHaveLength(1);
    parked.serve(lease({ after: 1n, filter: { typeFilter: "wanted" } }), true, empty(1n), 0);
    parked.offer([{ index: 2n, segment: 1, type: "other", target: null, line: "{}" }], 2n, 0);
    expect(parked.takeExpired(999)).toEqual([]);
    expect(parked.takeExpired(1000)[0]).toMatchObject({ messages: [], lastIndex: 2n, caughtUp: true });
  });

  it("survives a restart through its storage, and tells a revoked lease from an answered one", () => {
    const kv = new MemoryKv();
    let now = 0;
    const first = new ParkedReads(host(kv, () => now));
    first.serve(lease(), true, empty(), 0);
    first.flush();
    expect(kv.map.size).toBe(0);
    now = 100;
    first.flush();
    const reloaded = new ParkedReads(host(kv, () => now));
    expect(reloaded.earliestDeadline()).toBe(1000);
    expect(reloaded.revoke("c", "t").parked).toMatchObject({ requestId: 7 });
    reloaded.serve(lease({ epoch: 2 }), true, empty(), 0);
    reloaded.offer([{ index: 0n, segment: 1, type: null, target: null, line: "{}" }], 0n, 55);
    expect(reloaded.revoke("c", "t")).toEqual({ parked: null, answeredAt: 55, answeredEpoch: 2 });
    reloaded.flush();
    expect(kv.map.size).toBe(0);
  });
});

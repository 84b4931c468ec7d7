/**
 * TrackerCluster: the cases of Flux's TrackerClusterTest (100 segments, as there) plus the golden
 * load-balancing behaviours over 128 segments, singleTracker, purging and persistence.
 */
import { describe, expect, it } from "vitest";
import { TrackerCluster, type ClusterTracker } from "../../../src/tracking/tracker-cluster";

const t = (trackerId: string, extra: Partial<ClusterTracker> = {}): ClusterTracker => ({
  trackerId,
  singleTracker: false,
  purgeTimeout: null,
  sessionId: null,
  ...extra,
});

const NOW = 1_700_000_000_000;

function waiting(cluster: TrackerCluster, ...ids: string[]): TrackerCluster {
  return ids.reduce((c, id) => c.withWaitingTracker(t(id)), cluster);
}

/** TrackerClusterTest.assertAllSegmentsCovered: the ranges tile [0, max) without gaps. */
function expectAllSegmentsCovered(cluster: TrackerCluster, max: number): void {
  const ranges = cluster.getTrackers().map((tr) => cluster.getSegment(tr) as [number, number]);
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  expect(ranges[0][0]).toBe(0);
  for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1]);
  expect(ranges[ranges.length - 1][1]).toBe(max);
}

describe("TrackerCluster (Flux TrackerClusterTest, 100 segments)", () => {
  const max = 100;
  const empty = new TrackerCluster(max);

  it("single client covers all segments", () => {
    let c = waiting(empty, "client");
    expect(c.getSegment("client")).toEqual([0, max]);
    c = c.withActiveTracker(t("client"), NOW);
    expect(c.getSegment("client")).toEqual([0, max]);
  });

  it("equal segments with multiple clients", () => {
    const c = waiting(empty, "client1", "client2", "client3", "client4");
    expect(c.getSegment("client1")).toEqual([0, 25]);
    expect(c.getSegment("client2")).toEqual([25, 50]);
    expect(c.getSegment("client3")).toEqual([50, 75]);
    expect(c.getSegment("client4")).toEqual([75, max]);
    expectAllSegmentsCovered(c, max);
  });

  it("odd number of clients", () => {
    expectAllSegmentsCovered(waiting(empty, "client1", "client2", "client3"), max);
  });

  it("segment of processing client is fixed", () => {
    let c = waiting(empty, "client1", "client2", "client3", "client4", "client5");
    const before = c.getSegment("client5");
    c = c.withActiveTracker(t("client5"), NOW).withoutTracker("client1");
    // Java lets the grid widen an active range, but it always keeps the old start.
    const after = c.getSegment("client5") as [number, number];
    expect(before?.[0]).toBeGreaterThanOrEqual(after[0]);
    expect(before?.[0]).toBeLessThan(after[1]);
    expectAllSegmentsCovered(c, max);
  });

  it("adding clients in reverse alphabetical order", () => {
    let c = waiting(empty, "client2", "client1");
    expect(c.getSegment("client1")).toEqual([0, 50]);
    expect(c.getSegment("client2")).toEqual([50, max]);
    c = c.withActiveTracker(t("client1"), NOW);
    expect(c.getSegment("client1")).toEqual([0, 50]);
    expect(c.getSegment("client2")).toEqual([50, max]);
    c = c.withWaitingTracker(t("client1"));
    expect(c.getSegment("client1")).toEqual([0, 50]);
    expect(c.getSegment("client2")).toEqual([50, max]);
    expectAllSegmentsCovered(c, max);
  });

  it("all is well when processing client listens again", () => {
    let c = waiting(empty, "client1", "client2", "client3", "client4", "client5");
    c = c.withActiveTracker(t("client5"), NOW).withoutTracker("client1").withWaitingTracker(t("client5"))
      .withWaitingTracker(t("client1"));
    expect(c.size).toBe(5);
    expectAllSegmentsCovered(c, max);
  });

  it("all clients processing and a client is added: the newcomer gets [0,0]", () => {
    let c = waiting(empty, "client1", "client2", "client3", "client4");
    c = c.withActiveTracker(t("client1"), NOW);
    c = ["client2", "client3", "client4"].reduce((x, id) => x.withActiveTracker(t(id), NOW), c);
    c = c.withWaitingTracker(t("client5"));
    expect(c.size).toBe(5);
    expectAllSegmentsCovered(c, max);
    expect(c.getSegment("client5")).toEqual([0, 0]);
  });

  it("all clients processing and a client is added, reverse alphabetical order", () => {
    let c = empty.withWaitingTracker(t("client2")).withActiveTracker(t("client2"), NOW);
    c = c.withWaitingTracker(t("client1"));
    expect(c.getSegment("client2")).toEqual([0, max]);
    expect(c.getSegment("client1")).toEqual([0, 0]);
  });

  it("segments are redistributed when an existing processing client comes back", () => {
    let c = empty.withWaitingTracker(t("client1")).withActiveTracker(t("client1"), NOW)
      .withWaitingTracker(t("client2")).withActiveTracker(t("client2"), NOW);
    expect(c.getSegment("client1")).toEqual([0, max]);
    expect(c.getSegment("client2")).toEqual([0, 0]);
    c = c.withWaitingTracker(t("client1"));
    expect(c.getSegment("client1")).toEqual([0, 50]);
    expect(c.getSegment("client2")).toEqual([50, max]);
  });

  it("purging ceased trackers", () => {
    const c = waiting(empty, "client1", "client2").withActiveTracker(t("client2"), NOW);
    expect(c.purgeCeasedTrackers(NOW - 1000)).toBe(c);
    const purged = c.purgeCeasedTrackers(NOW + 1000);
    expect(purged.getTrackers().map((x) => x.trackerId)).toEqual(["client1"]);
    expect(purged.getSegment("client1")).toEqual([0, max]);
  });
});

describe("TrackerCluster golden behaviours (128 segments)", () => {
  const empty = new TrackerCluster();

  it("one tracker owns [0,128)", () => {
    expect(waiting(empty, "a").getSegment("a")).toEqual([0, 128]);
  });

  it("two waiting trackers split in trackerId order, whatever the join order", () => {
    const c = waiting(empty, "b", "a");
    expect(c.getSegment("a")).toEqual([0, 64]);
    expect(c.getSegment("b")).toEqual([64, 128]);
  });

  it("three trackers get [0,42) [42,85) [85,128)", () => {
    const c = waiting(empty, "t3", "t1", "t2");
    expect(["t1", "t2", "t3"].map((id) => c.getSegment(id))).toEqual([[0, 42], [42, 85], [85, 128]]);
  });

  it("orders ids by UTF-16 code units like Java String.compareTo", () => {
    const c = waiting(empty, "a", "B");
    expect(c.getTrackers().map((x) => x.trackerId)).toEqual(["B", "a"]);
    expect(c.getSegment("B")).toEqual([0, 64]);
  });

  it("an active tracker keeps its range; a newcomer waits with [0,0] until it reads again", () => {
    let c = empty.withActiveTracker(t("b"), NOW);
    expect(c.getSegment("b")).toEqual([0, 128]);
    c = c.withWaitingTracker(t("a"));
    expect(c.getSegment("b")).toEqual([0, 128]);
    expect(c.getSegment("a")).toEqual([0, 0]);
    // b's next Read makes it waiting, then active again with its share.
    c = c.withActiveTracker(t("b"), NOW + 10);
    expect(c.getSegment("a")).toEqual([0, 64]);
    expect(c.getSegment("b")).toEqual([64, 128]);
    expect(c.processingDuration("b", NOW + 15)).toBe(5);
  });

  it("an active tracker among waiting ones keeps its range while the rest rebalance around it", () => {
    let c = waiting(empty, "t1", "t2").withActiveTracker(t("t2"), NOW);
    c = c.withWaitingTracker(t("t3"));
    expect(c.getSegment("t2")?.[0]).toBe(64);
    expectAllSegmentsCovered(c, 128);
  });

  it("leaving frees the range for the others", () => {
    const c = waiting(empty, "a", "b", "c").withoutTracker("b");
    expect(c.getSegment("a")).toEqual([0, 64]);
    expect(c.getSegment("c")).toEqual([64, 128]);
    expect(c.getSegment("b")).toBeNull();
    expect(c.withoutTracker("unknown")).toBe(c);
    expect(c.withoutTracker("a").withoutTracker("c").isEmpty()).toBe(true);
  });

  it("more trackers than segments: the surplus gets [0,0]", () => {
    const ids = Array.from({ length: 130 }, (_, i) => `t${String(i).padStart(3, "0")}`);
    const c = waiting(empty, ...ids);
    expect(c.getSegment("t000")).toEqual([0, 1]);
    expect(c.getSegment("t127")).toEqual([127, 128]);
    expect(c.getSegment("t129")).toEqual([0, 0]);
  });

  it("is immutable: changes return a new cluster", () => {
    const one = waiting(empty, "a");
    const two = one.withWaitingTracker(t("b"));
    expect(one.getSegment("a")).toEqual([0, 128]);
    expect(two.getSegment("a")).toEqual([0, 64]);
    expect(empty.isEmpty()).toBe(true);
  });
});

describe("TrackerCluster Java quirk (kept for exactness)", () => {
  it("can widen two active trackers onto the same part, leaving a gap until they read again", () => {
    let c = new TrackerCluster().withActiveTracker(t("t5"), NOW).withActiveTracker(t("t3"), NOW).withWaitingTracker(t("t5"));
    c = ["t0", "t4", "t8"].reduce((x, id) => x.withActiveTracker(t(id), NOW), c).withWaitingTracker(t("t3"));
    expect(Object.fromEntries(c.getTrackers().map((x) => [x.trackerId, c.getSegment(x)]))).toEqual({
      t0: [64, 85], t3: [0, 25], t4: [85, 128], t5: [25, 50], t8: [85, 128],
    });
    // Once an active tracker reads again, the ranges tile the segments again.
    c = c.withActiveTracker(t("t8"), NOW + 1);
    expectAllSegmentsCovered(c, 128);
  });
});

describe("TrackerCluster singleTracker", () => {
  const single = (id: string) => t(id, { singleTracker: true });

  it("the tracker whose range starts at 0 gets everything, the others nothing", () => {
    const c = new TrackerCluster().withWaitingTracker(single("a")).withWaitingTracker(single("b"));
    expect(c.getSegment(single("a"))).toEqual([0, 128]);
    expect(c.getSegment(single("b"))).toEqual([0, 0]);
    expect(c.getSegment("a")).toEqual([0, 128]);
  });

  it("an empty range does not count as containing 0", () => {
    const c = new TrackerCluster().withActiveTracker(single("b"), NOW).withWaitingTracker(single("a"));
    expect(c.getSegment(single("b"))).toEqual([0, 128]);
    expect(c.getSegment(single("a"))).toEqual([0, 0]);
  });

  it("uses the flag of the tracker passed in, as Java does", () => {
    const c = new TrackerCluster().withWaitingTracker(t("a")).withWaitingTracker(t("b"));
    expect(c.getSegment({ trackerId: "a", singleTracker: true })).toEqual([0, 128]);
    expect(c.getSegment({ trackerId: "b", singleTracker: true })).toEqual([0, 0]);
  });
});

describe("TrackerCluster purging", () => {
  it("purges trackers active longer than their purgeTimeout", () => {
    let c = new TrackerCluster()
      .withWaitingTracker(t("a", { purgeTimeout: 5000 }))
      .withWaitingTracker(t("b", { purgeTimeout: 5000 }))
      .withWaitingTracker(t("c"));
    c = c.withActiveTracker(t("a"), NOW).withActiveTracker(t("c"), NOW);
    expect(c.purgeExpiredTrackers(NOW + 5000)).toBe(c);
    const purged = c.purgeExpiredTrackers(NOW + 5001);
    expect(purged.getTrackers().map((x) => x.trackerId)).toEqual(["b", "c"]);
    // c is active, so its range only moves by Java's grid rules: its start stays inside its part.
    expect(purged.getSegment("b")).toEqual([0, 64]);
    expect(purged.getSegment("c")).toEqual([64, 128]);
  });

  it("purges by predicate, e.g. all trackers of a closed session", () => {
    const c = new TrackerCluster()
      .withWaitingTracker(t("a", { sessionId: "s1" }))
      .withWaitingTracker(t("b", { sessionId: "s2" }))
      .withWaitingTracker(t("c", { sessionId: "s1" }));
    const after = c.purgeTrackers((x) => x.sessionId === "s1");
    expect(after.getTrackers().map((x) => x.trackerId)).toEqual(["b"]);
    expect(after.getSegment("b")).toEqual([0, 128]);
    expect(c.purgeTrackers(() => false)).toBe(c);
  });
});

describe("TrackerCluster persistence", () => {
  it("round-trips through JSON without recalculating", () => {
    let c = waiting(new TrackerCluster(), "t1", "t2").withActiveTracker(t("t2", { purgeTimeout: 100, sessionId: "s" }), NOW);
    c = c.withWaitingTracker(t("t3", { singleTracker: true, sessionId: "x" }));
    const restored = TrackerCluster.fromJSON(JSON.parse(JSON.stringify(c)));
    expect(restored.toJSON()).toEqual(c.toJSON());
    expect(restored.isActive("t2")).toBe(true);
    expect(restored.processingDuration("t2", NOW + 7)).toBe(7);
    for (const id of ["t1", "t2", "t3"]) expect(restored.getSegment(id)).toEqual(c.getSegment(id));
    // Behaves identically afterwards.
    expect(restored.withWaitingTracker(t("t2")).toJSON()).toEqual(c.withWaitingTracker(t("t2")).toJSON());
  });

  it("writes plain data", () => {
    const c = new TrackerCluster().withActiveTracker(t("a", { purgeTimeout: 60000, sessionId: "s" }), NOW);
    expect(c.toJSON()).toEqual({
      segments: 128,
      trackers: [{ trackerId: "a", singleTracker: false, purgeTimeout: 60000, sessionId: "s", segment: [0, 128], activeSince: NOW }],
    });
  });
});

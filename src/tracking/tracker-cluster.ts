/**
 * Load balancing of one consumer's trackers over the segments: an exact port of Flux's
 * `TrackerCluster`. Waiting trackers share the segments evenly in trackerId order; an active tracker
 * (holding a batch) keeps its range, so newcomers may get the empty range until it reads again.
 *
 * Immutable like the Java: every change returns a new cluster (or `this` when nothing changed).
 * Time is passed in as epoch milliseconds. `toJSON`/`fromJSON` persist it as plain data.
 */
import { EMPTY_RANGE, MAX_SEGMENT, type SegmentRange } from "../protocol/segment";
import type { Tracker } from "./tracker";

/** What the cluster keeps of a tracker. Trackers are identified by `trackerId` within the consumer. */
export type ClusterTracker = Pick<Tracker, "trackerId" | "singleTracker" | "purgeTimeout" | "sessionId">;

/** The persisted form of a cluster. */
export interface TrackerClusterJson {
  segments: number;
  trackers: Array<ClusterTracker & { segment: SegmentRange; activeSince: number | null }>;
}

interface Assignment {
  readonly tracker: ClusterTracker;
  readonly segment: SegmentRange;
}

/** Java `String.compareTo` (UTF-16 code units), which `Tracker.comparator` sorts by. */
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sameSegment(a: SegmentRange, b: SegmentRange): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

function contains(segment: SegmentRange, point: number): boolean {
  return point >= segment[0] && point < segment[1];
}

function length(segment: SegmentRange): number {
  return segment[1] - segment[0];
}

function keep(tracker: ClusterTracker): ClusterTracker {
  const { trackerId, singleTracker, purgeTimeout, sessionId } = tracker;
  return { trackerId, singleTracker, purgeTimeout, sessionId };
}

/** The trackers of one consumer and the segment range each one owns. */
export class TrackerCluster {
  /** Number of segments divided among the trackers. */
  readonly segments: number;
  /** trackerId → tracker and range, in trackerId order. */
  private readonly assignments: ReadonlyMap<string, Assignment>;
  /** trackerId → epoch ms it became active; presence means it holds an unacknowledged batch. */
  private readonly activeSince: ReadonlyMap<string, number>;

  /** An empty cluster over `segments` segments (128 unless testing). */
  constructor(segments: number = MAX_SEGMENT) {
    this.segments = segments;
    this.assignments = new Map();
    this.activeSince = new Map();
  }

  private static create(
    segments: number,
    assignments: ReadonlyMap<string, Assignment>,
    activeSince: ReadonlyMap<string, number>,
  ): TrackerCluster {
    const cluster = new TrackerCluster(segments);
    return Object.assign(cluster, { assignments, activeSince });
  }

  /**
   * Marks the tracker active from `nowMs` (it is being sent a batch). A tracker that is new, or
   * already active, first rejoins as waiting, so its range is recalculated.
   */
  withActiveTracker(tracker: ClusterTracker, nowMs: number): TrackerCluster {
    if (!this.contains(tracker.trackerId) || this.isActive(tracker.trackerId)) {
      return this.withWaitingTracker(tracker).withActiveTracker(tracker, nowMs);
    }
    const activeSince = new Map(this.activeSince).set(tracker.trackerId, nowMs);
    return TrackerCluster.create(this.segments, this.assignments, activeSince);
  }

  /** Adds or replaces the tracker as waiting (parked on a Read) and recalculates all ranges. */
  withWaitingTracker(tracker: ClusterTracker): TrackerCluster {
    const trackers = [...this.assignments.values()]
      .map((a) => a.tracker)
      .filter((t) => t.trackerId !== tracker.trackerId)
      .concat(keep(tracker));
    const activeSince = new Map(this.activeSince);
    activeSince.delete(tracker.trackerId);
    return this.recalculate(trackers, activeSince);
  }

  /** Removes the tracker and recalculates; returns `this` if it was not a member. */
  withoutTracker(trackerId: string): TrackerCluster {
    if (!this.contains(trackerId)) return this;
    const trackers = [...this.assignments.values()].map((a) => a.tracker).filter((t) => t.trackerId !== trackerId);
    const activeSince = new Map(this.activeSince);
    activeSince.delete(trackerId);
    return this.recalculate(trackers, activeSince);
  }

  /** Removes every tracker matching `predicate`; returns `this` if none matched. */
  purgeTrackers(predicate: (tracker: ClusterTracker) => boolean): TrackerCluster {
    let result: TrackerCluster = this;
    for (const { tracker } of this.assignments.values()) {
      if (predicate(tracker)) result = result.withoutTracker(tracker.trackerId);
    }
    return result;
  }

  /** Removes trackers that became active before `thresholdMs` (`purgeCeasedTrackers(Instant)`). */
  purgeCeasedTrackers(thresholdMs: number): TrackerCluster {
    return this.purgeTrackers((t) => {
      const since = this.activeSince.get(t.trackerId);
      return since !== undefined && since < thresholdMs;
    });
  }

  /**
   * The tracking strategy's periodic sweep (`DefaultTrackingStrategy.purgeCeasedTrackers`): removes
   * trackers with a `purgeTimeout` that have been active for longer than it.
   */
  purgeExpiredTrackers(nowMs: number): TrackerCluster {
    return this.purgeTrackers((t) => {
      const duration = this.processingDuration(t.trackerId, nowMs);
      return t.purgeTimeout !== null && duration !== null && duration > t.purgeTimeout;
    });
  }

  /** How long the tracker has been active at `nowMs`, or null if it is waiting or unknown. */
  processingDuration(trackerId: string, nowMs: number): number | null {
    const since = this.activeSince.get(trackerId);
    return since === undefined ? null : nowMs - since;
  }

  /**
   * The range the tracker owns, or null if it is not a member. A `singleTracker` gets everything if
   * its range starts at 0 and is not empty, else nothing. The flag is taken from the argument, as in
   * Java (the latest Read), falling back to the stored tracker.
   */
  getSegment(tracker: string | Pick<ClusterTracker, "trackerId" | "singleTracker">): SegmentRange | null {
    const id = typeof tracker === "string" ? tracker : tracker.trackerId;
    const assignment = this.assignments.get(id);
    if (!assignment) return null;
    const singleTracker = typeof tracker === "string" ? assignment.tracker.singleTracker : tracker.singleTracker;
    const segment = assignment.segment;
    if (singleTracker) {
      return contains(segment, 0) && length(segment) > 0 ? [0, this.segments] : [...EMPTY_RANGE];
    }
    return [segment[0], segment[1]];
  }

  /** Whether the tracker is a member. */
  contains(trackerId: string): boolean {
    return this.assignments.has(trackerId);
  }

  /** Whether the tracker is active, i.e. processing a batch. */
  isActive(trackerId: string): boolean {
    return this.activeSince.has(trackerId);
  }

  /** The members in trackerId order. */
  getTrackers(): ClusterTracker[] {
    return [...this.assignments.values()].map((a) => a.tracker);
  }

  /** Number of members (the strategy fetches `maxSize × size` messages to filter). */
  get size(): number {
    return this.assignments.size;
  }

  /** Whether there are no members. */
  isEmpty(): boolean {
    return this.assignments.size === 0;
  }

  /** Plain data for storage. */
  toJSON(): TrackerClusterJson {
    return {
      segments: this.segments,
      trackers: [...this.assignments.values()].map(({ tracker, segment }) => ({
        ...tracker,
        segment: [segment[0], segment[1]],
        activeSince: this.activeSince.get(tracker.trackerId) ?? null,
      })),
    };
  }

  /** Rebuilds a cluster exactly as `toJSON` wrote it (no recalculation). */
  static fromJSON(json: TrackerClusterJson): TrackerCluster {
    const entries = [...json.trackers].sort((a, b) => compareIds(a.trackerId, b.trackerId));
    const assignments = new Map<string, Assignment>();
    const activeSince = new Map<string, number>();
    for (const entry of entries) {
      assignments.set(entry.trackerId, { tracker: keep(entry), segment: [entry.segment[0], entry.segment[1]] });
      if (entry.activeSince !== null) activeSince.set(entry.trackerId, entry.activeSince);
    }
    return TrackerCluster.create(json.segments, assignments, activeSince);
  }

  private recalculate(unsorted: ClusterTracker[], activeSince: ReadonlyMap<string, number>): TrackerCluster {
    if (unsorted.length === 0) return new TrackerCluster(this.segments);
    const trackers = [...unsorted].sort((a, b) => compareIds(a.trackerId, b.trackerId));

    // Active trackers keep their current (non-empty) range: those ranges constrain the new grid.
    const constraints = new Map<string, SegmentRange>();
    for (const id of activeSince.keys()) {
      const segment = this.assignments.get(id)?.segment;
      if (segment && !sameSegment(segment, EMPTY_RANGE)) constraints.set(id, segment);
    }
    const fixed = [...constraints.values()];

    const grid = createGrid(this.segments, trackers.length, fixed);
    removeGridPoints(grid, trackers.length, new Set([0, this.segments, ...getIntersections(fixed)]));
    const trackerSegments = toSegments(grid);

    const adjusted = adjustConstraints(trackerSegments, constraints);
    const remaining = trackerSegments.filter((s) => ![...adjusted.values()].some((a) => sameSegment(a, s)));
    const assignments = new Map<string, Assignment>();
    for (const tracker of trackers) {
      const segment = adjusted.get(tracker.trackerId) ?? remaining.shift() ?? [...EMPTY_RANGE];
      assignments.set(tracker.trackerId, { tracker, segment });
    }
    return TrackerCluster.create(this.segments, assignments, activeSince);
  }
}

/**
 * An evenly spaced grid (the last `segments % trackers` parts one longer), plus the bounds of the
 * constraints, minus points strictly inside a constraint. Returned sorted ascending.
 */
function createGrid(segments: number, trackers: number, constraints: SegmentRange[]): number[] {
  const quotient = Math.floor(segments / trackers);
  const remainder = segments % trackers;
  const points = new Set<number>([0]);
  let last = 0;
  for (let i = 1; i <= trackers; i++) {
    last += trackers - i < remainder ? quotient + 1 : quotient;
    points.add(last);
  }
  for (const [start, end] of constraints) points.add(start).add(end);
  return [...points]
    .filter((p) => !constraints.some(([start, end]) => p > start && p < end))
    .sort((a, b) => a - b);
}

/**
 * Drops grid points until there is one part per tracker: each round removes the end of the
 * shortest part (first in grid order on ties) unless that end is protected.
 */
function removeGridPoints(grid: number[], trackers: number, protectedPoints: ReadonlySet<number>): void {
  while (grid.length > trackers + 1) {
    // Array sort is stable, like Java's sorted stream, so ties keep grid order.
    const end = toSegments(grid)
      .sort((a, b) => length(a) - length(b))
      .map((s) => s[1])
      .find((p) => !protectedPoints.has(p));
    // Protected points never exceed trackers + 1, so an unprotected end always exists.
    grid.splice(grid.indexOf(end as number), 1);
  }
}

function toSegments(grid: number[]): SegmentRange[] {
  return grid.slice(1).map((end, i) => [grid[i], end]);
}

/** Points where one constraint ends and the next begins; they must stay grid points. */
function getIntersections(constraints: SegmentRange[]): number[] {
  const sorted = [...constraints].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return sorted.slice(1).filter((b, i) => sorted[i][1] === b[0]).map((b) => b[0]);
}

/** Each constrained tracker gets the new part that contains its old start. */
function adjustConstraints(
  segments: SegmentRange[],
  constraints: ReadonlyMap<string, SegmentRange>,
): Map<string, SegmentRange> {
  const result = new Map<string, SegmentRange>();
  for (const [id, constraint] of constraints) {
    const segment = segments.find((s) => contains(s, constraint[0]));
    if (segment) result.set(id, segment);
  }
  return result;
}

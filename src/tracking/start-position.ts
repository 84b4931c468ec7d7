/**
 * Where a Read starts (`DefaultTrackingStrategy.position`): the stored position, or for new
 * consumers and client-controlled trackers the Read's own lastIndex.
 */
import { minIndexFromMillis } from "../log/index-clock";
import type { SegmentRange } from "../protocol/segment";
import { Position } from "./position";
import type { Tracker } from "./tracker";

/**
 * The position a fetch for `range` is filtered against (`DefaultTrackingStrategy.position`):
 * with `clientControlledIndex`, or when no segment of `range` has a stored index, every segment
 * of the range starts after `Read.lastIndex`, or after now − 1 s when that is null. A singleTracker
 * also honours a higher `Read.lastIndex` than the stored one.
 */
export function startPosition(tracker: Tracker, stored: Position, range: SegmentRange, nowMs: number): Position {
  if (tracker.clientControlledIndex || stored.isNew(range)) {
    return Position.of(range, tracker.lastIndex ?? minIndexFromMillis(nowMs - 1000));
  }
  if (tracker.singleTracker && tracker.lastIndex !== null) {
    return Position.of(range, tracker.lastIndex).merge(stored);
  }
  return stored;
}

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
 * with `clientControlledIndex` every segment of the range starts after `Read.lastIndex`, or after
 * now − 1 s when that is null. Otherwise each segment starts at its stored index; a segment the
 * consumer never stored starts where the consumer started (`origin`, its first Read's start), so
 * that messages a tracker received but never acknowledged before it vanished are redelivered even
 * when a neighbour's segments moved on (Flux starts such segments at the lowest stored index and
 * can skip them). A singleTracker also honours a higher `Read.lastIndex` than the stored one.
 */
export function startPosition(tracker: Tracker, stored: Position, range: SegmentRange, nowMs: number, origin: bigint | null = null): Position {
  const fresh = tracker.lastIndex ?? minIndexFromMillis(nowMs - 1000);
  if (tracker.clientControlledIndex) return Position.of(range, fresh);
  const position = stored.withDefault(range, origin ?? fresh);
  if (tracker.singleTracker && tracker.lastIndex !== null) return Position.of(range, tracker.lastIndex).merge(position);
  return position;
}

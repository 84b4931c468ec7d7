/**
 * A tracker as the hub sees it: the settings of one Read (Flux `WebSocketTracker`) and the message
 * checks that depend only on them (`Tracker.canHandle`). Plain data, so it can be persisted.
 */
import { BadRequest } from "../errors";
import { inRange, type SegmentRange } from "../log/segment";
import { toIndex } from "./position";

/** The Read fields that shape tracking, as sent by the client (`Read` / `ClaimSegment`). */
export interface ReadSettings {
  consumer: string;
  trackerId: string;
  maxSize?: number;
  maxTimeout?: number;
  typeFilter?: string | null;
  filterMessageTarget?: boolean;
  ignoreSegment?: boolean;
  singleTracker?: boolean;
  clientControlledIndex?: boolean;
  lastIndex?: bigint | number | null;
  purgeTimeout?: number | null;
}

/** One tracker of a consumer, built from its latest Read. */
export interface Tracker {
  readonly consumer: string;
  readonly trackerId: string;
  readonly clientId: string;
  readonly sessionId: string | null;
  /** The index the client last processed (`Read.lastIndex`), used when no position applies. */
  readonly lastIndex: bigint | null;
  readonly maxSize: number;
  readonly maxTimeout: number;
  /** Epoch ms by which the Read must be answered, empty if need be. */
  readonly deadline: number;
  readonly purgeTimeout: number | null;
  readonly typeFilter: string | null;
  readonly filterMessageTarget: boolean;
  readonly ignoreSegment: boolean;
  readonly clientControlledIndex: boolean;
  readonly singleTracker: boolean;
}

/**
 * Builds the tracker for a Read received at `nowMs`, as `WebSocketTracker`'s constructor does:
 * NOTIFICATION readers are forced to `ignoreSegment` and `clientControlledIndex` (broadcast).
 * Missing primitives default to 0/false, as Jackson leaves them; a bad `typeFilter` is rejected.
 */
export function trackerFromRead(
  read: ReadSettings,
  messageType: string,
  clientId: string,
  sessionId: string | null,
  nowMs: number,
): Tracker {
  const notification = messageType === "NOTIFICATION";
  const maxTimeout = read.maxTimeout ?? 0;
  const typeFilter = read.typeFilter ?? null;
  if (typeFilter !== null) typeMatcher(typeFilter);
  return {
    consumer: read.consumer,
    trackerId: read.trackerId,
    clientId,
    sessionId,
    lastIndex: read.lastIndex == null ? null : toIndex(read.lastIndex),
    maxSize: read.maxSize ?? 0,
    maxTimeout,
    deadline: nowMs + maxTimeout,
    purgeTimeout: read.purgeTimeout ?? null,
    typeFilter,
    filterMessageTarget: read.filterMessageTarget ?? false,
    ignoreSegment: (read.ignoreSegment ?? false) || notification,
    clientControlledIndex: (read.clientControlledIndex ?? false) || notification,
    singleTracker: read.singleTracker ?? false,
  };
}

/** Whether the tracker's Read is due (`hasMissedDeadline`: now >= deadline). */
export function hasMissedDeadline(tracker: Pick<Tracker, "deadline">, nowMs: number): boolean {
  return nowMs >= tracker.deadline;
}

const matchers = new Map<string, RegExp>();

/** Java's `Pattern.compile(filter).asMatchPredicate()`: a full match, compiled once per filter. */
function typeMatcher(filter: string): RegExp {
  let matcher = matchers.get(filter);
  if (!matcher) {
    try {
      matcher = new RegExp(`^(?:${filter})$`);
    } catch {
      throw new BadRequest(`Invalid typeFilter: ${filter}`);
    }
    matchers.set(filter, matcher);
  }
  return matcher;
}

/** The message fields tracking looks at; the segment must already be resolved. */
export interface TrackedMessage {
  segment: number;
  target?: string | null;
  data: { type?: string | null };
}

/**
 * Whether the tracker may receive `message` with `range` claimed (`Tracker.canHandle`): target
 * rules first, then segment ownership, then the type filter (a null type always passes).
 */
export function canHandle(tracker: Tracker, message: TrackedMessage, range: SegmentRange): boolean {
  return isValidTarget(tracker, message, range) && isValidType(tracker, message.data.type);
}

function isValidTarget(tracker: Tracker, message: TrackedMessage, range: SegmentRange): boolean {
  const target = message.target;
  if (tracker.filterMessageTarget && target != null) {
    if (target === tracker.trackerId) return true;
    if (target !== tracker.clientId) return false;
  }
  if (tracker.singleTracker) return range[0] === 0 && range[0] !== range[1];
  return tracker.ignoreSegment || inRange(range, message.segment);
}

function isValidType(tracker: Tracker, type: string | null | undefined): boolean {
  return type == null || tracker.typeFilter === null || typeMatcher(tracker.typeFilter).test(type);
}

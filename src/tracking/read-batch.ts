/**
 * The pure steps of answering a Read (`DefaultTrackingStrategy.getBatch`): where to start reading,
 * which fetched messages the tracker gets, and what to do with the outcome of one fetch. Fetching,
 * storing and parking stay with the caller.
 */
import { normaliseSegment, segmentOf, type SegmentRange } from "../log/segment";
import { Position, toIndex, type IndexInput } from "./position";
import { canHandle, hasMissedDeadline, type Tracker } from "./tracker";

/** `MessageBatch` as sent in `ReadResult.messageBatch`; `position` serialises to Java's array form. */
export interface MessageBatch<M> {
  segment: SegmentRange;
  messages: M[];
  lastIndex: bigint | null;
  position: Position;
  caughtUp: boolean;
}

/** A fetched message as tracking sees it (a Flux `SerializedMessage` fits). */
export interface FetchedMessage {
  index?: IndexInput | null;
  segment?: number | null;
  messageId?: string | null;
  target?: string | null;
  data: { type?: string | null };
}

/** A fetched message with its segment resolved. */
export type Resolved<M extends FetchedMessage> = Omit<M, "segment"> & { segment: number };

/** Flux index of an epoch millisecond (`millis << 16`). */
export function indexFromMillis(millis: number): bigint {
  return BigInt(millis) << 16n;
}

/** The empty batch for `segment`: what parked, timed-out and disconnected trackers receive. */
export function emptyBatch<M>(segment: SegmentRange, caughtUp: boolean): MessageBatch<M> {
  return { segment: [segment[0], segment[1]], messages: [], lastIndex: null, position: Position.empty(), caughtUp };
}

/**
 * The position a fetch for `range` is filtered against (`DefaultTrackingStrategy.position`):
 * with `clientControlledIndex`, or when no segment of `range` has a stored index, every segment
 * of the range starts after `Read.lastIndex`, or after now − 1 s when that is null. A singleTracker
 * also honours a higher `Read.lastIndex` than the stored one.
 */
export function startPosition(tracker: Tracker, stored: Position, range: SegmentRange, nowMs: number): Position {
  if (tracker.clientControlledIndex || stored.isNew(range)) {
    return Position.of(range, tracker.lastIndex ?? indexFromMillis(nowMs - 1000));
  }
  if (tracker.singleTracker && tracker.lastIndex !== null) {
    return Position.of(range, tracker.lastIndex).merge(stored);
  }
  return stored;
}

/**
 * Where the log is read from: messages with index greater than this (null: from the start).
 * It is the lowest index of the range, so other segments' messages must be filtered out.
 */
export function fetchAfter(position: Position, range: SegmentRange): bigint | null {
  return position.lowestIndexForSegment(range) ?? null;
}

/**
 * The messages of a fetch the tracker receives (`DefaultTrackingStrategy.filter`): a null segment
 * is computed from `messageId` and the result carries it, then target/segment/type rules apply and,
 * unless `ignoreSegment`, only messages past the position pass.
 */
export function filterMessages<M extends FetchedMessage>(
  messages: M[],
  range: SegmentRange,
  position: Position,
  tracker: Tracker,
): Array<Resolved<M>> {
  return messages
    .map((m) => ensureSegment(m))
    .filter((m) => canHandle(tracker, m, range) && (tracker.ignoreSegment || position.isNewMessage(m)));
}

function ensureSegment<M extends FetchedMessage>(message: M): Resolved<M> {
  // The hub has no message without messageId; "" keeps a malformed one deterministic instead of throwing.
  const segment = message.segment == null ? segmentOf(message.messageId ?? "") : normaliseSegment(message.segment);
  return message.segment === segment ? (message as Resolved<M>) : { ...message, segment };
}

/** What to do after one fetch-and-filter round of a Read. */
export type FetchOutcome<M> =
  /** Send this batch: it has messages, or it is an old all-filtered run the client must store. */
  | { kind: "send"; batch: MessageBatch<M> }
  /**
   * Everything fetched was filtered out and is recent: store `lastIndex` for the range and continue
   * with `tracker.lastIndex = lastIndex`; then fetch again if `retry`, else (deadline passed) treat
   * `batch` as `wait` would, which answers at once.
   */
  | { kind: "skip"; lastIndex: bigint; retry: boolean; batch: MessageBatch<M> }
  /** Nothing for the tracker: park it with this batch until an append, a rebalance or the deadline. */
  | { kind: "wait"; batch: MessageBatch<M> };

/**
 * Classifies one round of `getBatch` given the unfiltered fetch (in index order, at most
 * `batchSize`) and its filtered subset, with `nowMs` for the maxTimeout rule.
 */
export function classifyFetch<M extends FetchedMessage>(
  tracker: Tracker,
  range: SegmentRange,
  position: Position,
  unfiltered: FetchedMessage[],
  filtered: M[],
  batchSize: number,
  nowMs: number,
): FetchOutcome<M> {
  const last = unfiltered[unfiltered.length - 1];
  const lastIndex = last?.index == null ? null : toIndex(last.index);
  const segment: SegmentRange = [range[0], range[1]];
  if (filtered.length > 0) {
    return { kind: "send", batch: { segment, messages: filtered, lastIndex, position, caughtUp: unfiltered.length < batchSize } };
  }
  // An old run of foreign messages is handed back empty so the client stores it and reads on,
  // rather than the server looping through a possibly huge backlog in one Read.
  if (lastIndex !== null && lastIndex < indexFromMillis(nowMs - tracker.maxTimeout)) {
    return { kind: "send", batch: { segment, messages: [], lastIndex, position, caughtUp: false } };
  }
  const batch: MessageBatch<M> = { segment, messages: [], lastIndex, position, caughtUp: true };
  return lastIndex === null ? { kind: "wait", batch } : { kind: "skip", lastIndex, retry: !hasMissedDeadline(tracker, nowMs), batch };
}

/** The batch size of a Read: `maxSize` times the number of trackers (`adjustMaxSize`). */
export function batchSizeFor(tracker: Pick<Tracker, "maxSize">, clusterSize: number): number {
  return tracker.maxSize * Math.max(1, clusterSize);
}

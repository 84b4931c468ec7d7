/**
 * A tracker as the hub sees it: the settings of one Read (Flux `WebSocketTracker`). Plain data, so
 * it can be persisted. The message checks of `Tracker.canHandle` run in the partition (ReadFilter),
 * so filtered messages never leave it.
 */
import { BadRequest } from "../errors";
import { compileTypeFilter } from "../log/type-filter";
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
  if (typeof read.consumer !== "string" || typeof read.trackerId !== "string") {
    throw new BadRequest("Read needs a consumer and a trackerId");
  }
  const notification = messageType === "NOTIFICATION";
  const maxTimeout = read.maxTimeout ?? 0;
  const typeFilter = read.typeFilter ?? null;
  // The same RE2 compile the partitions use: a pattern they could not run fails here, at the Read.
  if (typeFilter !== null) compileTypeFilter(typeFilter);
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


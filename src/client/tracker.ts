/**
 * One tracker of a consumer: long-polls Read on the consumer's endpoint, hands out message
 * batches, and commits them (StorePosition with the batch's segment range and lastIndex,
 * guarantee STORED) once they are handled. Read failures are retried with backoff.
 */
import type { MessageType, SerializedMessage } from "../protocol/messages";
import { backoffDelay, sleep } from "./backoff";
import type { WireResult } from "./codec";
import type { Connection } from "./connection";
import type { Logger } from "./logger";
import { FluxMessage } from "./messages";

/** Read settings of a tracker (Flux `Read` fields). */
export interface TrackerSettings {
  messageType: MessageType;
  consumer: string;
  trackerId: string;
  maxSize: number;
  /** How long the hub may park a Read with nothing new (ms). */
  maxTimeoutMs: number;
  typeFilter: string | null;
  filterMessageTarget: boolean;
  ignoreSegment: boolean;
  singleTracker: boolean;
  clientControlledIndex: boolean;
  /** Where to start without a stored position: after this index (`-1n` = the log's beginning), or null for "now". */
  lastIndex: bigint | null;
  /** Store the position after each batch (false for client-controlled trackers). */
  storePositions: boolean;
}

/** A batch of messages one Read returned. */
export interface MessageBatch {
  segment: [number, number];
  messages: FluxMessage[];
  lastIndex: bigint | null;
  caughtUp: boolean;
}

interface ReadResult extends WireResult {
  messageBatch: { segment: [number, number]; messages: SerializedMessage[]; lastIndex: bigint | number | null; caughtUp: boolean };
}

/** Extra time a Read may take beyond its `maxTimeout` before the client gives up on it. */
const READ_GRACE_MS = 30_000;

/** A tracker running on `connection` until `signal` aborts. */
export class Tracker {
  private lastIndex: bigint | null;
  private storedIndex: bigint | null = null;
  private failures = 0;

  constructor(
    private readonly connection: Connection,
    readonly settings: TrackerSettings,
    private readonly signal: AbortSignal,
    private readonly logger: Logger,
  ) {
    this.lastIndex = settings.lastIndex;
  }

  /** The next batch, possibly empty; null when the Read failed (after a backoff) or the tracker stopped. */
  async read(): Promise<MessageBatch | null> {
    const s = this.settings;
    try {
      const result = await this.connection.request<ReadResult>(
        {
          "@type": "read",
          messageType: s.messageType,
          consumer: s.consumer,
          trackerId: s.trackerId,
          maxSize: s.maxSize,
          maxTimeout: s.maxTimeoutMs,
          typeFilter: s.typeFilter,
          filterMessageTarget: s.filterMessageTarget,
          ignoreMessageTarget: !s.filterMessageTarget,
          ignoreSegment: s.ignoreSegment,
          singleTracker: s.singleTracker,
          clientControlledIndex: s.clientControlledIndex,
          lastIndex: this.lastIndex,
          purgeTimeout: null,
        },
        { signal: this.signal, timeoutMs: s.maxTimeoutMs + READ_GRACE_MS },
      );
      this.failures = 0;
      const b = result.messageBatch;
      return {
        segment: b.segment,
        messages: b.messages.map((m) => new FluxMessage(m, s.messageType)),
        lastIndex: b.lastIndex === null || b.lastIndex === undefined ? null : BigInt(b.lastIndex),
        caughtUp: b.caughtUp,
      };
    } catch (e) {
      if (this.signal.aborted) return null;
      this.logger.warn(`flux: tracker ${s.trackerId} of ${s.consumer} failed to read; retrying`, e);
      await sleep(backoffDelay(this.failures++, 1000, 30_000), this.signal);
      return null;
    }
  }

  /**
   * Marks `batch` handled: the next Read starts after it and, unless the client controls the index,
   * the consumer's position for the batch's segments moves to its lastIndex. A failed store is
   * logged, not thrown: the messages are then delivered again (at-least-once).
   */
  async commit(batch: MessageBatch): Promise<void> {
    if (batch.lastIndex === null) return;
    this.lastIndex = batch.lastIndex;
    const [from, to] = batch.segment;
    if (!this.settings.storePositions || from >= to || batch.lastIndex === this.storedIndex) return;
    try {
      await this.connection.request({
        "@type": "storePosition",
        consumer: this.settings.consumer,
        segment: batch.segment,
        lastIndex: batch.lastIndex,
        guarantee: "STORED",
      }, { timeoutMs: 30_000 });
      this.storedIndex = batch.lastIndex;
    } catch (e) {
      this.logger.warn(`flux: tracker ${this.settings.trackerId} of ${this.settings.consumer} could not store its position`, e);
    }
  }

  /** Leaves the consumer (DisconnectTracker), so its segments go to the other trackers at once. */
  async disconnect(): Promise<void> {
    await this.connection
      .request({
        "@type": "disconnectTracker",
        consumer: this.settings.consumer,
        trackerId: this.settings.trackerId,
        sendFinalEmptyBatch: false,
        guarantee: "STORED",
      }, { timeoutMs: 5_000 })
      .catch(() => {
        // Closed or gone: the hub drops the session's trackers when its socket closes.
      });
  }
}

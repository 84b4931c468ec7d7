/**
 * One tracker of a consumer: claims its segments (ClaimSegment, answered once the hub gave it a
 * range), long-polls Read on the consumer's endpoint, hands out message batches, and commits them
 * (StorePosition with the batch's segment range and lastIndex, guarantee STORED) once they are
 * handled. Read failures are retried with backoff.
 */
import type { MessageType, SerializedMessage } from "../protocol/messages";
import { backoffDelay, sleep } from "./backoff";
import type { WireResult } from "./codec";
import type { Connection } from "./connection";
import { FluxError } from "./errors";
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

interface ClaimSegmentResult extends WireResult {
  segment: [number, number];
  /** Flux's position form: `[start, end]` ranges, each followed by its index. */
  position: unknown[];
}

interface ReadResult extends WireResult {
  messageBatch: { segment: [number, number]; messages: SerializedMessage[]; lastIndex: bigint | number | null; caughtUp: boolean };
}

/** Extra time a Read may take beyond its `maxTimeout` before the client gives up on it. */
const READ_GRACE_MS = 30_000;
/** The hub drops a parked claim at its deadline without answering; wait a little beyond it. */
const CLAIM_GRACE_MS = 5_000;

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

  /**
   * Joins the consumer with a ClaimSegment, which the hub answers once this tracker holds a
   * segment range: true then. A consumer new to the log starts where the claim says (now - 1 s on
   * the hub's clock), so whatever is published once the claim is answered reaches it. False when
   * no range came within the Read timeout (others hold them all); null when the claim failed
   * (after a backoff) or the tracker stopped.
   */
  async claim(): Promise<boolean | null> {
    try {
      const result = await this.connection.request<ClaimSegmentResult>(this.readRequest("claimSegment"), {
        signal: this.signal,
        timeoutMs: this.settings.maxTimeoutMs + CLAIM_GRACE_MS,
      });
      const indexes = result.position.filter((v): v is bigint | number => typeof v === "bigint" || typeof v === "number").map((v) => BigInt(v));
      if (this.lastIndex === null && indexes.length > 0) this.lastIndex = indexes.reduce((a, b) => (b < a ? b : a));
      this.failures = 0;
      return result.segment[0] < result.segment[1];
    } catch (e) {
      if (e instanceof FluxError && e.code === "timeout") return false;
      return this.failed("claim its segments", e);
    }
  }

  /** The next batch, possibly empty; null when the Read failed (after a backoff) or the tracker stopped. */
  async read(): Promise<MessageBatch | null> {
    const s = this.settings;
    try {
      const result = await this.connection.request<ReadResult>(this.readRequest("read"), { signal: this.signal, timeoutMs: s.maxTimeoutMs + READ_GRACE_MS });
      this.failures = 0;
      const b = result.messageBatch;
      return {
        segment: b.segment,
        messages: b.messages.map((m) => new FluxMessage(m, s.messageType)),
        lastIndex: b.lastIndex === null || b.lastIndex === undefined ? null : BigInt(b.lastIndex),
        caughtUp: b.caughtUp,
      };
    } catch (e) {
      return this.failed("read", e);
    }
  }

  /** Logs a failed request and backs off before the next try; null for the caller to return. */
  private async failed(what: string, error: unknown): Promise<null> {
    if (this.signal.aborted) return null;
    this.logger.warn(`flux: tracker ${this.settings.trackerId} of ${this.settings.consumer} failed to ${what}; retrying`, error);
    await sleep(backoffDelay(this.failures++, 1000, 30_000), this.signal);
    return null;
  }

  /** The fields of a Read (and of a ClaimSegment, which extends it). */
  private readRequest(type: "read" | "claimSegment") {
    const s = this.settings;
    return {
      "@type": type,
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
    };
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

/**
 * Reads the pushes for a shard's browser sockets: one parked Read at a time on the shard's
 * websocket consumer, for as long as a socket is open. The object hibernates between events, so
 * the loop's state (the Read in flight and the last index seen) is kept in its storage: the
 * Consumer's answer wakes the object and is recognised by its read id, whichever instance
 * receives it. A Read the Consumer failed to answer in time is sent again on the next socket
 * event.
 */
import { minIndexFromMillis } from "../log/index-clock";
import { parseJson } from "../protocol/json";
import { toIndex } from "../tracking/position";
import type { ReadSettings } from "../tracking/tracker";
import type { PushMessage } from "./socket-push";
import { CLOCK_SKEW_MS, type GatewayIdentity, READ_TIMEOUT_MS, RETRY_DELAY_MS, type ReadResultBody, requesterRead } from "./web-requester";

/** What the reader needs of its host object. */
export interface PushReaderHost {
  /** Sends a Read to the websocket consumer: the encoded ReadResult now, or null when parked. */
  read(settings: ReadSettings, readId: number): Promise<string | null>;
  /** Durable state of the loop. */
  state: SyncKvStorage;
  /** When the oldest open socket opened (epoch ms), or null when none is open. */
  oldestOpenAt(): number | null;
  /** Carries out the pushes of one batch. */
  push(messages: PushMessage[]): void;
  now(): number;
}

interface ReadInFlight {
  id: number;
  sentAt: number;
}

const READING = "pushes.reading";
const LAST_INDEX = "pushes.lastIndex";
/** A parked Read the Consumer has not answered this long after its timeout is taken as lost. */
const LOST_AFTER_MS = READ_TIMEOUT_MS + 10_000;

/** The read loop of one shard's pushes. */
export class PushReader {
  constructor(
    private readonly host: PushReaderHost,
    private readonly identity: GatewayIdentity,
  ) {}

  /** Starts a Read unless one is in flight or no socket is open. */
  ensureReading(): void {
    const oldest = this.host.oldestOpenAt();
    if (oldest === null) return;
    const reading = this.host.state.get<ReadInFlight>(READING);
    if (reading && this.host.now() - reading.sentAt < LOST_AFTER_MS) return;
    const id = Math.floor(Math.random() * 2 ** 31);
    this.host.state.put<ReadInFlight>(READING, { id, sentAt: this.host.now() });
    this.host.read(this.settings(oldest), id).then(
      (text) => {
        if (text !== null) this.deliver(text);
      },
      (e: unknown) => {
        console.warn("reading socket pushes failed; retrying", e);
        if (this.host.state.get<ReadInFlight>(READING)?.id === id) this.retryLater();
      },
    );
  }

  /** A ReadResult (delivered by the Consumer, or returned at once); false once no socket is open. */
  deliver(text: string): boolean {
    const result = parseJson(text) as ReadResultBody;
    // A result of a superseded Read carries nothing new.
    if (this.host.state.get<ReadInFlight>(READING)?.id !== result.requestId) return this.host.oldestOpenAt() !== null;
    if (result["@type"] !== "readResult") {
      console.warn("reading socket pushes failed; retrying", result);
      this.retryLater();
      return true;
    }
    this.host.state.delete(READING);
    const batch = result.messageBatch ?? {};
    this.host.push(batch.messages ?? []);
    if (batch.lastIndex !== undefined && batch.lastIndex !== null) {
      const last = toIndex(batch.lastIndex);
      if (last > this.lastIndex()) this.host.state.put(LAST_INDEX, last.toString());
    }
    this.ensureReading();
    return this.host.oldestOpenAt() !== null;
  }

  private retryLater(): void {
    this.host.state.delete(READING);
    setTimeout(() => this.ensureReading(), RETRY_DELAY_MS);
  }

  private lastIndex(): bigint {
    const stored = this.host.state.get<string>(LAST_INDEX);
    return stored === undefined ? -1n : BigInt(stored);
  }

  /** Reads after the last push seen, but never from before the oldest open socket opened. */
  private settings(oldestOpenAt: number): ReadSettings {
    const floor = minIndexFromMillis(oldestOpenAt - CLOCK_SKEW_MS);
    const last = this.lastIndex();
    return requesterRead(this.identity, floor > last ? floor : last);
  }
}

/**
 * Thin wrappers over the `/eventSourcing` endpoint: append events to an aggregate's stream (and,
 * unless `storeOnly`, to the EVENT log) and read them back. Sequence numbers are 0-based.
 */
import type { Guarantee, SerializedMessage } from "../protocol/messages";
import type { WireResult } from "./codec";
import type { Endpoints } from "./endpoints";
import { FluxError } from "./errors";
import { FluxMessage, type MessageOptions, serialize } from "./messages";

/** Options of {@link EventStore.appendEvents}. */
export interface AppendEventsOptions extends MessageOptions {
  /** Keep the events in the aggregate's stream only, not on the EVENT log (default false). */
  storeOnly?: boolean;
  /** Resolve once stored (default), with the new sequence number, or once sent, with nothing. */
  guarantee?: Guarantee;
  /** Fail with a `conflict` FluxError unless the aggregate is at this sequence number (-1: new aggregate). */
  expectedSequenceNumber?: number;
}

interface AppendEventsResult extends WireResult {
  lastSequenceNumbers?: Record<string, number>;
}

interface GetEventsResult extends WireResult {
  eventBatch: { events: SerializedMessage[] };
  lastSequenceNumber: number | null;
}

/** Most events the hub returns per GetEvents. */
const PAGE = 8192;

/** Aggregate event streams, from {@link FluxClient.eventStore}. */
export class EventStore {
  /** Use {@link FluxClient.eventStore}. */
  constructor(private readonly endpoints: Endpoints) {}

  /**
   * Appends `events` (payloads or `message(...)`s) to the stream of `aggregateId` and resolves
   * with the aggregate's new last sequence number (with guarantee STORED, the default). A stale
   * `expectedSequenceNumber` rejects with a `conflict` FluxError carrying `expected` and `actual`.
   */
  appendEvents(aggregateId: string, events: readonly unknown[], options?: AppendEventsOptions & { guarantee?: "STORED" }): Promise<number>;
  /** Appends without waiting for the hub to store the events: resolves once they are sent. */
  appendEvents(aggregateId: string, events: readonly unknown[], options: AppendEventsOptions & { guarantee: "SENT" | "NONE" }): Promise<void>;
  async appendEvents(aggregateId: string, events: readonly unknown[], options: AppendEventsOptions = {}): Promise<number | void> {
    const { storeOnly = false, guarantee = "STORED", expectedSequenceNumber, ...defaults } = options;
    const metadata = { $aggregateId: aggregateId, ...defaults.metadata };
    const batch = {
      aggregateId,
      events: events.map((e) => serialize(e, { ...defaults, metadata })),
      storeOnly,
      ...(expectedSequenceNumber === undefined ? {} : { expectedSequenceNumber }),
    };
    const body = { "@type": "appendEvents", eventBatches: [batch], guarantee };
    if (guarantee !== "STORED") return this.connection().post(body);
    const result = await this.connection().request<AppendEventsResult>(body);
    const last = result.lastSequenceNumbers?.[aggregateId];
    if (typeof last !== "number") throw new FluxError("hub_error", "the hub did not report the new sequence number (an older hub?)");
    return last;
  }

  /** Every event of `aggregateId` after sequence number `after` (default: all), oldest first. */
  async getEvents<T = unknown>(aggregateId: string, after = -1): Promise<FluxMessage<T>[]> {
    const events: FluxMessage<T>[] = [];
    for (let last: number | null = after; ; ) {
      const result: GetEventsResult = await this.connection().request<GetEventsResult>({ "@type": "getEvents", aggregateId, lastSequenceNumber: last, batchSize: PAGE });
      const page = result.eventBatch.events;
      events.push(...page.map((e) => new FluxMessage<T>(e, "EVENT")));
      if (page.length < PAGE || result.lastSequenceNumber === null) return events;
      last = result.lastSequenceNumber;
    }
  }

  private connection() {
    return this.endpoints.connection("eventSourcing");
  }
}

/**
 * One aggregate's event stream, named `<projectId>/<aggregateId>`. A thin host: requests to one
 * aggregate are serialised here, storage and the outbox live in AggregateStream, forwarding to the
 * EVENT log in OutboxForwarder, driven right after each append and by the alarm as a backstop.
 */
import { DurableObject } from "cloudflare:workers";
import { AggregateStream, type StreamAppendOutcome, type EventPage, type StreamBatch } from "../src/eventsourcing/aggregate-stream";
import { OutboxForwarder } from "../src/eventsourcing/outbox-forwarder";
import { appendChecked } from "../src/log/log-client";

/** Durable Object hosting one aggregate's events. */
export class Aggregate extends DurableObject<Cloudflare.Env> {
  private stream!: AggregateStream;
  private forwarder!: OutboxForwarder;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.stream = new AggregateStream(ctx.storage);
      // Events passed the log's own message check on their way in (parseEvent).
      this.forwarder = new OutboxForwarder(this.stream, ctx.storage, (projectId, messages) =>
        appendChecked(env, { projectId, type: "EVENT", topic: null }, messages),
      );
    });
  }

  /**
   * Appends event batches atomically. Published events are on the EVENT log when this returns, or,
   * if the log failed, stay in the outbox for the alarm to forward.
   */
  async append(projectId: string, aggregateId: string, batches: StreamBatch[]): Promise<StreamAppendOutcome> {
    const outcome = this.store(projectId, aggregateId, batches);
    if (outcome.ok && batches.some((b) => !b.storeOnly)) {
      await this.forwarder.flush().catch((e) => console.error("outbox: forwarding failed, the alarm will retry", e));
    }
    return outcome;
  }

  /** The durable half of {@link append}: stores the events and arms the alarm, forwards nothing yet. */
  store(projectId: string, aggregateId: string, batches: StreamBatch[]): StreamAppendOutcome {
    const outcome = this.stream.append(projectId, aggregateId, batches);
    if (outcome.ok && batches.some((b) => !b.storeOnly && b.events.length > 0)) this.forwarder.arm();
    return outcome;
  }

  /** Up to `limit` events after sequence number `after`. */
  getEvents(after: number, limit: number): EventPage {
    return this.stream.read(after, limit);
  }

  /** Deletes the stream; the next event gets sequence number 0. */
  deleteEvents(): void {
    this.stream.delete();
  }

  /** Number of events still waiting to be forwarded to the EVENT log. */
  pendingCount(): number {
    return this.stream.pendingCount();
  }

  /** Forwards whatever the outbox still holds. */
  override async alarm(): Promise<void> {
    await this.forwarder.retry();
  }
}

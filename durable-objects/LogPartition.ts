/**
 * LogPartition: one partition of one log (project, message type[, topic]). Stores messages in its
 * SQLite database and wakes the consumers parked on it. RPC methods only delegate.
 */
import { DurableObject } from "cloudflare:workers";
import { type AppendOutcome, type EncodedBatch, LogStore, type ReadFilter, type ReadOutcome } from "../src/log/log-store";
import { Watchers } from "../src/log/watchers";

export class LogPartition extends DurableObject<Cloudflare.Env> {
  private log!: LogStore;
  private watchers!: Watchers;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.log = new LogStore(ctx.storage, { dedupeWindowMillis: Number(env.DEDUPE_WINDOW_SECONDS ?? "120") * 1000 });
      this.watchers = new Watchers(ctx.storage.sql);
    });
  }

  /** Stores a batch; resolves once it is durable. */
  async append(batch: EncodedBatch): Promise<AppendOutcome> {
    const outcome = this.log.append(batch);
    if (outcome.stored > 0) this.wakeWatchers();
    return outcome;
  }

  /** Reads messages after `after` that pass `filter`. */
  async read(after: bigint, maxSize: number, filter?: ReadFilter, maxScan?: number): Promise<ReadOutcome> {
    return this.log.read(after, maxSize, filter, maxScan);
  }

  /** The last index stored, or -1. */
  async head(): Promise<bigint> {
    return this.log.head;
  }

  /** Sets this partition's retention (null keeps messages forever). */
  async setRetention(seconds: number | null): Promise<void> {
    this.log.setRetention(seconds);
  }

  /**
   * Asks to be woken when a message past `after` arrives. Returns the current head so the caller
   * can tell whether it raced an append and should read again right away.
   */
  async watch(consumer: string, after: bigint): Promise<bigint> {
    this.watchers.watch(consumer, after);
    return this.log.head;
  }

  private wakeWatchers(): void {
    for (const name of this.watchers.takeDue(this.log.head)) {
      // Not awaited: the append is acknowledged without waiting for consumers.
      this.env.CONSUMER.get(this.env.CONSUMER.idFromName(name))
        .wake()
        .catch((e: unknown) => console.warn(`waking consumer ${name} failed`, e));
    }
  }
}

/**
 * LogPartition: one partition of one log (project, message type[, topic]). Stores messages in its
 * SQLite database, wakes the consumers parked on it, and feeds the audit trail from its alarm.
 * RPC methods only delegate.
 */
import { DurableObject } from "cloudflare:workers";
import type { PartitionIdentity } from "../src/audit/audit-row";
import { AuditFeed, type FeedLag } from "../src/audit/feed";
import { type AppendOutcome, type EncodedBatch, LogStore, type PartitionLag, type ReadFilter, type ReadOutcome } from "../src/log/log-store";
import type { SegmentRange } from "../src/protocol/segment";
import { AppendQueue } from "../src/log/append-queue";
import { Watchers } from "../src/log/watchers";
import { AppendCounts, type AppendStats } from "../src/metrics/append-counts";

export class LogPartition extends DurableObject<Cloudflare.Env> {
  private log!: LogStore;
  private watchers!: Watchers;
  private feed!: AuditFeed;
  private appends!: AppendCounts;
  private queue!: AppendQueue;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.log = new LogStore(ctx.storage, { dedupeWindowMillis: Number(env.DEDUPE_WINDOW_SECONDS ?? "120") * 1000 });
      this.watchers = new Watchers(ctx.storage.sql);
      this.appends = new AppendCounts(ctx.storage.sql);
      this.queue = new AppendQueue(
        (batches) => this.log.appendMany(batches),
        (outcomes) => {
          const stored = outcomes.filter((o) => o.stored > 0);
          this.appends.count(stored.reduce((n, o) => n + o.stored, 0), stored.length);
          this.wakeWatchers();
        },
      );
      this.feed = await AuditFeed.open({ storage: ctx.storage, log: this.log, db: env.DB });
    });
  }

  /**
   * Stores a batch (grouped with appends that arrive together); resolves once it is durable. `identity` names this partition's log for its
   * audit rows (remembered the first time); the audit feed itself runs later, in the alarm.
   */
  async append(batch: EncodedBatch, identity?: PartitionIdentity): Promise<AppendOutcome> {
    const outcome = await this.queue.submit(batch);
    if (outcome.stored > 0) await this.feed.appended(identity);
    return outcome;
  }

  /** Reads messages after `after` that pass `filter`. */
  async read(after: bigint, maxSize: number, filter?: ReadFilter, maxScan?: number): Promise<ReadOutcome> {
    return this.log.read(after, maxSize, filter, maxScan);
  }

  /** How far `positions` are behind this partition within `range`. */
  async lag(positions: (bigint | null)[], range: SegmentRange): Promise<PartitionLag> {
    return this.log.lag(positions, range);
  }

  /** The last index stored, or -1. */
  async head(): Promise<bigint> {
    return this.log.head;
  }

  /** Sets this partition's retention (null keeps messages forever). */
  async setRetention(seconds: number | null): Promise<void> {
    this.log.setRetention(seconds);
  }

  /** Messages and appends counted, in total and per minute (metrics). */
  async appendStats(): Promise<AppendStats> {
    return this.appends.stats();
  }

  /** How far the audit trail is behind this partition. */
  async auditLag(): Promise<FeedLag> {
    return this.feed.lag();
  }

  /** Feeds one bounded batch to the audit trail and re-arms while more is pending. */
  override async alarm(): Promise<void> {
    await this.feed.run();
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

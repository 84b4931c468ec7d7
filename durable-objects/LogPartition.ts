/**
 * LogPartition: one partition of one log (project, message type[, topic]). Stores messages in its
 * SQLite database, answers the reads parked on it from its commits, wakes the consumers watching
 * it, and feeds the audit trail from its alarm. RPC methods only delegate.
 */
import { DurableObject } from "cloudflare:workers";
import type { PartitionIdentity } from "../src/audit/audit-row";
import { AuditFeed, type FeedLag } from "../src/audit/feed";
import { AppendQueue } from "../src/log/append-queue";
import { type AppendGroup, type AppendOutcome, type EncodedBatch, LogStore, type PartitionLag, type PreparedGroup, type ReadFilter, type ReadOutcome } from "../src/log/log-store";
import { type Lease, type LeaseAnswer, ParkedReads, type Revocation, type Service, keyOf } from "../src/log/parked-reads";
import { type ReadInputs, nextRead } from "../src/log/read-ahead";
import { Watchers } from "../src/log/watchers";
import { AppendCounts, type AppendStats } from "../src/metrics/append-counts";
import type { SegmentRange } from "../src/protocol/segment";
import { resultText } from "../src/session/result-text";
import { stringifyJson } from "../src/protocol/json";
import { Wakeups } from "../src/storage/wakeups";
import { leaseResult, packMessages, packedFrame } from "../src/tracking/read-result";
import { recipientStub } from "../src/tracking/recipient";
import { sessionStub } from "../src/session/session-address";
import { consumerStub } from "../src/tracking/consumer-name";

export class LogPartition extends DurableObject<Cloudflare.Env> {
  private log!: LogStore;
  private watchers!: Watchers;
  private parked!: ParkedReads;
  private feed!: AuditFeed;
  private appends!: AppendCounts;
  private queue!: AppendQueue<PreparedGroup>;
  private wakeups!: Wakeups;
  /** Reads ahead not yet run, per tracker (consumer and trackerId). */
  private readonly readsAhead = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.log = new LogStore(ctx.storage, { dedupeWindowMillis: Number(env.DEDUPE_WINDOW_SECONDS ?? "120") * 1000 });
      this.watchers = new Watchers(ctx.storage.sql);
      this.parked = new ParkedReads({
        store: {
          list: (prefix) => ctx.storage.kv.list<Lease>({ prefix }),
          put: (key, lease) => ctx.storage.kv.put(key, lease),
          delete: (key) => void ctx.storage.kv.delete(key),
        },
        now: () => Date.now(),
        later: (ms, fn) => void setTimeout(fn, ms),
      });
      this.appends = new AppendCounts(ctx.storage.sql);
      this.queue = new AppendQueue({
        prepare: (batches) => this.log.prepare(batches),
        answer: (prepared) => this.answerFrom(prepared.group, prepared.head),
        write: (prepared) => this.log.write(prepared),
        committed: (group) => this.committed(group),
      });
      this.wakeups = new Wakeups(ctx.storage, await ctx.storage.getAlarm());
      const wakeups = this.wakeups;
      this.feed = await AuditFeed.open({
        // The alarm may be a lease's: the feed asks the wake-up table for its own, which skips needless writes.
        storage: { sql: ctx.storage.sql, getAlarm: async () => null, setAlarm: (at) => wakeups.set("feed", Number(at)) },
        log: this.log,
        db: env.DB,
      });
      await this.wakeups.set("leases", this.parked.earliestDeadline());
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
    await this.queue.settled();
    return this.log.read(after, maxSize, filter, maxScan);
  }

  /**
   * A tracker's read, granted by its Consumer: answered now (sent straight to the recipient) when
   * messages are there, else parked here when `park` is set and answered by a later commit or at
   * its deadline.
   */
  async serve(lease: Lease, park: boolean): Promise<Service> {
    // A group that answered the leases parked on it before its write must be written before this
    // lease reads, or the lease would park past messages it never saw.
    await this.queue.settled();
    const reader = keyOf(lease.consumer, lease.trackerId);
    // A read ahead for this tracker that has not run yet is too late: it reads now.
    clearTimeout(this.readsAhead.get(reader));
    this.readsAhead.delete(reader);
    const asked: { read?: ReadInputs; outcome?: ReadOutcome } = {};
    const read = (after: bigint, maxSize: number, filter: ReadFilter) => {
      asked.read = { after, maxSize, filter };
      return (asked.outcome = this.log.readFor(reader, after, maxSize, filter));
    };
    const { service, answer } = this.parked.serve(lease, park, read, Date.now());
    if (answer) this.send(answer);
    this.parked.flush();
    // A tracker that is behind reads again at once: its next batch is read while it handles this
    // one. Not for a tracker over several partitions (served without parking): it reads the next
    // partition first.
    const next = park && answer && asked.read && asked.outcome ? nextRead(asked.read, asked.outcome, answer.caughtUp) : null;
    if (next) {
      this.readsAhead.set(reader, setTimeout(() => {
        this.readsAhead.delete(reader);
        try {
          // For a socket that reads LZ4 frames, the batch is compressed ahead too.
          this.log.readAhead(reader, next, takesLz4(lease.recipient) ? packMessages : undefined);
        } catch (e) {
          console.warn(`reading ahead for tracker ${lease.trackerId} failed; it reads when it asks`, e);
        }
      }, 0));
    }
    if (service.parked) await this.wakeups.set("leases", this.parked.earliestDeadline());
    return service;
  }

  /** Takes back a tracker's parked read (its Consumer is moving its segments). */
  async revoke(consumer: string, trackerId: string): Promise<Revocation> {
    const revocation = this.parked.revoke(consumer, trackerId);
    this.parked.flush();
    return revocation;
  }

  /** How far `positions` are behind this partition within `range`. */
  async lag(positions: (bigint | null)[], range: SegmentRange): Promise<PartitionLag> {
    await this.queue.settled();
    return this.log.lag(positions, range);
  }

  /** The last index stored, or -1. */
  async head(): Promise<bigint> {
    await this.queue.settled();
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

  /** Runs what is due: a bounded audit feed batch, and empty answers to reads past their deadline. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.wakeups.takeDue(now);
    // The feed runs now whatever its time; it asks again when more is waiting.
    await this.wakeups.set("feed", null);
    for (const answer of this.parked.takeExpired(now)) this.send(answer);
    this.parked.flush();
    await this.feed.run();
    await this.wakeups.set("leases", this.parked.earliestDeadline());
  }

  /**
   * Asks to be woken when a message past `after` arrives. Returns the current head so the caller
   * can tell whether it raced an append and should read again right away.
   */
  async watch(consumer: string, after: bigint): Promise<bigint> {
    await this.queue.settled();
    this.watchers.watch(consumer, after);
    return this.log.head;
  }

  /** Answers the parked leases a group satisfies, from its messages; true when any was answered. */
  private answerFrom(group: AppendGroup, head: bigint): boolean {
    if (this.parked.size === 0) return false;
    const answers = this.parked.offer(group.stored, head, Date.now());
    for (const answer of answers) this.send(answer);
    return answers.length > 0;
  }

  /** After a commit: answers the parked reads it satisfies, then wakes the watching consumers. */
  private committed(group: AppendGroup): void {
    // Answered leases leave storage in the write's turn, after their answers have left.
    this.parked.flush();
    this.appends.count(group.stored.length, group.outcomes.filter((o) => o.stored > 0).length);
    for (const name of this.watchers.takeDue(this.log.head)) {
      // Not awaited: the append is acknowledged without waiting for consumers.
      consumerStub(this.env, name)
        .wake()
        .catch((e: unknown) => console.warn(`waking consumer ${name} failed`, e));
    }
  }

  /**
   * Sends a lease's answer to its recipient: as an LZ4 frame around its messages when they were
   * packed ahead, else (or should that fail, e.g. a session object from before frames were sent) as text.
   */
  private send(answer: LeaseAnswer): void {
    const { lease, packed } = answer;
    const text = (a: LeaseAnswer) => resultText(stringifyJson(leaseResult(a)), lease.requestId as number);
    const asText = () => recipientStub(this.env, lease.recipient).deliver(text(answer));
    let delivery: Promise<boolean>;
    try {
      delivery = packed && takesLz4(lease.recipient)
        ? sessionStub(this.env, lease.recipient.sessionId).deliverFrame(packedFrame(text({ ...answer, messages: [] }), packed)).catch(asText)
        : asText();
    } catch {
      delivery = asText();
    }
    delivery
      .then((delivered) => {
        if (!delivered) return consumerStub(this.env, lease.consumer).recipientGone(lease.trackerId, lease.recipient.sessionId);
      })
      .catch((e: unknown) => console.warn(`answering tracker ${lease.trackerId} failed`, e));
  }
}

/** Whether answers to `to` may go as LZ4 frames made here: a client session that reads LZ4. */
function takesLz4(to: Lease["recipient"]): boolean {
  return to.deliverTo === "session" && to.compression === "LZ4";
}

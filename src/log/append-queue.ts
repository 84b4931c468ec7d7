/**
 * Group commit for a partition: appends that arrive while one is being scheduled are stored in the
 * same transaction. A commit costs about as much for one message as for a thousand, so clients
 * that send messages one by one (Flux sends a command as soon as it is issued) share commits
 * instead of queueing behind each other's.
 *
 * A group is prepared (given its indexes), then answers the reads parked on it, then is written.
 * When answers were sent the write waits one turn of the event loop: the runtime's output gate holds
 * every message that has not left when a write happens until that write is durable, so answers sent
 * in the write's own turn would wait for it. A group that may not be seen before it is durable
 * ({@link Prepared.early} false) is written first and answered after, in the write's turn, so the
 * gate holds its answers. Groups run one at a time, and {@link settled} lets reads wait until no
 * group stands between its answers and its write.
 */
import type { AppendGroup, AppendOutcome, EncodedBatch } from "./log-store";

interface Waiting {
  batch: EncodedBatch;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
}

/** A group with its indexes, as the store prepared it. */
export interface Prepared {
  group: AppendGroup;
  /** Whether readers may be answered before the group is durable. */
  early: boolean;
}

/** What the queue needs of its partition. */
export interface GroupCommit<P extends Prepared> {
  /** Assigns a group its indexes, writing nothing. */
  prepare(batches: EncodedBatch[]): P;
  /** Answers what the group satisfies; true when an answer was sent. */
  answer(prepared: P): boolean;
  /** Writes the group in one transaction (throws if it fails). */
  write(prepared: P): void;
  /** Runs once per group that stored something (waking readers, say). */
  committed(group: AppendGroup): void;
}

const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Queues appends and commits each group through `commit`, one group at a time. */
export class AppendQueue<P extends Prepared> {
  private waiting: Waiting[] = [];
  /** Set while a group is being committed. */
  private busy: Promise<void> | null = null;

  constructor(private readonly commit: GroupCommit<P>) {}

  /** Resolves with the batch's outcome once its group is stored. */
  submit(batch: EncodedBatch): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      // The first append of a group waits one turn of the event loop for the appends queued behind it.
      if (this.waiting.push({ batch, resolve, reject }) === 1 && !this.busy) setTimeout(() => void this.flush(), 0);
    });
  }

  /** Resolves once no group has answered reads without being written (a read then sees every index handed out). */
  async settled(): Promise<void> {
    while (this.busy) await this.busy;
  }

  private async flush(): Promise<void> {
    const group = this.waiting;
    this.waiting = [];
    let release!: () => void;
    this.busy = new Promise((resolve) => (release = resolve));
    let stored: AppendGroup | null = null;
    try {
      const prepared = this.commit.prepare(group.map((w) => w.batch));
      if (!prepared.early) {
        this.commit.write(prepared);
        // Stored is stored: a failure answering readers must not fail the appends.
        try {
          this.commit.answer(prepared);
        } catch (e) {
          console.warn("answering reads after a commit", e);
        }
      } else {
        if (this.commit.answer(prepared)) await nextTurn();
        this.commit.write(prepared);
      }
      stored = prepared.group;
    } catch (e) {
      for (const w of group) w.reject(e);
    }
    try {
      if (stored) {
        const outcomes = stored.outcomes;
        group.forEach((w, i) => w.resolve(outcomes[i]));
        if (stored.stored.length > 0) this.commit.committed(stored);
      }
    } catch (e) {
      console.warn("after a commit", e);
    } finally {
      this.busy = null;
      release();
      if (this.waiting.length > 0) setTimeout(() => void this.flush(), 0);
    }
  }
}

/**
 * Group commit for a partition: appends that arrive while one is being scheduled are stored in the
 * same transaction. A commit costs about as much for one message as for a thousand, so clients
 * that send messages one by one (Flux sends a command as soon as it is issued) share commits
 * instead of queueing behind each other's.
 */
import type { AppendGroup, AppendOutcome, EncodedBatch } from "./log-store";

interface Waiting {
  batch: EncodedBatch;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
}

/** Queues appends and stores each group with one call to `commit`. */
export class AppendQueue {
  private waiting: Waiting[] = [];

  /**
   * @param commit stores a group in one transaction, returning an outcome per batch
   * @param afterCommit runs once per group that stored something (waking readers, say)
   */
  constructor(
    private readonly commit: (batches: EncodedBatch[]) => AppendGroup,
    private readonly afterCommit: (group: AppendGroup) => void,
  ) {}

  /** Resolves with the batch's outcome once its group is stored. */
  submit(batch: EncodedBatch): Promise<AppendOutcome> {
    return new Promise((resolve, reject) => {
      // The first append of a group waits one turn of the event loop for the appends queued behind it.
      if (this.waiting.push({ batch, resolve, reject }) === 1) setTimeout(() => this.flush(), 0);
    });
  }

  private flush(): void {
    const group = this.waiting;
    this.waiting = [];
    let stored: AppendGroup;
    try {
      stored = this.commit(group.map((w) => w.batch));
    } catch (e) {
      for (const w of group) w.reject(e);
      return;
    }
    group.forEach((w, i) => w.resolve(stored.outcomes[i]));
    if (stored.stored.length > 0) this.afterCommit(stored);
  }
}

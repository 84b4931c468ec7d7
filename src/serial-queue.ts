/**
 * Operations one at a time, in the order they were asked for: each starts once the one before it
 * has settled, and a failure does not stop the ones queued after it. Frames of one socket, the
 * operations of one consumer and the flushes of one outbox run this way.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `op` after everything queued before it; settles as `op` does. */
  run<T>(op: () => Promise<T>): Promise<T> {
    const result = this.tail.then(op);
    this.tail = result.catch(() => {});
    return result;
  }
}

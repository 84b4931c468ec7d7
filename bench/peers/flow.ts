/**
 * Flow helpers every adapter uses, so the three systems are driven the same way: a window of
 * batches in flight, a shared count that ends a consume run, a steady-rate sender and a
 * latency recorder, each bounded in count and time.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `total` messages in batches of `batch`, at most `inFlight` batches unacknowledged. */
export async function windowed(total: number, batch: number, inFlight: number, send: (from: number, count: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const from = next;
      const count = Math.min(batch, total - from);
      next += count;
      await send(from, count);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Counts handled messages of a consume run; `finished` resolves (with the time) once all are in. */
export class Countdown {
  private handled = 0;
  private resolve!: (at: number) => void;
  readonly finished = new Promise<number>((r) => (this.resolve = r));

  constructor(readonly total: number) {}

  get done(): boolean {
    return this.handled >= this.total;
  }

  add(n: number): void {
    const was = this.done;
    this.handled += n;
    if (!was && this.done) this.resolve(performance.now());
  }

  /** When all are in; rejects if the consumer loops fail or all end short of the total. */
  async of(loops: Promise<unknown>[]): Promise<number> {
    const ended = Promise.all(loops).then(() => {
      if (!this.done) throw new Error(`consumers stopped after ${this.handled} of ${this.total} messages`);
      return this.finished;
    });
    return Promise.race([this.finished, ended]);
  }
}

/** Races `work` against a deadline; the error names what was too slow. */
export async function within<T>(ms: number, what: string, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long a latency run waits for stragglers after the load ends (ms). */
export const DRAIN_MS = 10_000;

/** Latencies of received messages (ms), and how many were expected. */
export class Arrivals {
  readonly latencies: number[] = [];
  sent = 0;

  /** Records a message stamped at `t` (performance.now() of the sender). */
  add(t: number): void {
    this.latencies.push(performance.now() - t);
  }

  /** Waits until everything sent has arrived, at most `ms`. */
  async drained(ms = DRAIN_MS): Promise<void> {
    const until = performance.now() + ms;
    while (this.latencies.length < this.sent && performance.now() < until) await sleep(20);
  }
}

/**
 * Sends `rate` messages per second for `seconds`: every `tickMs` whatever is due goes out as one
 * batch (so a late timer catches up instead of lowering the rate). `send` gets the batch's first
 * message number and count; its promise is not awaited (the load stays steady while acks lag),
 * but every one is settled before this resolves, and the first failure is thrown.
 */
export async function steady(rate: number, seconds: number, tickMs: number, send: (from: number, count: number) => Promise<void>): Promise<number> {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let failure: unknown;
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    if (due > sent) {
      pending.push(send(sent, due - sent).catch((e) => void (failure ??= e)));
      sent = due;
    }
    await sleep(tickMs);
  }
  await Promise.all(pending);
  if (failure) throw failure;
  return total;
}

/** Makes 10 untimed round trips, then `count` timed ones one after another; each one's ms. */
export async function timedRoundTrips(count: number, once: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await once();
    times.push(performance.now() - t0);
  }
  return times;
}

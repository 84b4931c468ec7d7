/**
 * Retry pacing shared by reconnects, tracker retries and handler retries: exponential backoff with
 * a ceiling, and a sleep that an AbortSignal cuts short.
 */

/** The delay before retry number `attempt` (0-based): `base · 2^attempt`, at most `max` ms. */
export function backoffDelay(attempt: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.min(attempt, 20));
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Where the SDK reports what it cannot throw to a caller: reconnects, failed handlers, retries.
 */

/** A sink for SDK diagnostics; `console` fits. */
export interface Logger {
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

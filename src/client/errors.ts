/**
 * The one error type the SDK throws: a `FluxError` with a stable `code`, so callers branch on
 * `error.code` rather than on message text.
 */

/**
 * Why an SDK call failed.
 *
 * - `timeout`: no answer within the request's timeout.
 * - `closed`: the client (or the consumer) was closed while the call was outstanding.
 * - `hub_error`: the hub answered with an ErrorResult (a malformed or refused request).
 * - `handler_error`: the handler of a command or query failed; its message is the handler's.
 * - `connection_refused`: the hub refused the WebSocket upgrade (bad credentials, unknown path).
 * - `invalid_argument`: the call itself was malformed; nothing was sent.
 */
export type FluxErrorCode = "timeout" | "closed" | "hub_error" | "handler_error" | "connection_refused" | "invalid_argument";

/** An SDK failure with a typed {@link FluxErrorCode}. */
export class FluxError extends Error {
  /** Why the call failed. */
  readonly code: FluxErrorCode;

  /** Creates an error with `code` and a human-readable `message`. */
  constructor(code: FluxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "FluxError";
    this.code = code;
  }
}

/**
 * The one error type the SDK throws: a `FluxError` with a stable `code`, so callers branch on
 * `error.code` rather than on message text. docs/client.md has the table of codes.
 */

/**
 * Why an SDK call failed.
 *
 * - `timeout`: no answer within the call's timeout.
 * - `unreachable`: the client has not reached the hub yet and cannot (down, wrong URL or port).
 * - `connection_refused`: the hub refused the WebSocket upgrade (bad key, unknown project); `status` is its HTTP status when known.
 * - `no_handler`: a query went out while no tracker at all reads the QUERY log.
 * - `conflict`: an `expectedSequenceNumber` did not match; `expected` and `actual` say how.
 * - `handler_error`: the handler of a command or query failed; its message is the handler's.
 * - `hub_error`: the hub answered with an ErrorResult (a malformed or refused request).
 * - `closed`: the client (or the consumer) was closed, or the call aborted, while it was outstanding.
 * - `invalid_argument`: the call itself was malformed; nothing was sent.
 * - `unsupported_runtime`: the JavaScript runtime lacks what the SDK needs (Node 20, say).
 */
export type FluxErrorCode =
  | "timeout"
  | "unreachable"
  | "connection_refused"
  | "no_handler"
  | "conflict"
  | "handler_error"
  | "hub_error"
  | "closed"
  | "invalid_argument"
  | "unsupported_runtime";

/** Fields some codes carry. */
export interface FluxErrorDetails {
  cause?: unknown;
  /** `connection_refused`: the HTTP status of the refused upgrade, when the WebSocket implementation reports it. */
  status?: number;
  /** `conflict`: the sequence number the call expected. */
  expected?: number;
  /** `conflict`: the aggregate's actual last sequence number. */
  actual?: number;
}

/** An SDK failure with a typed {@link FluxErrorCode}. */
export class FluxError extends Error {
  /** Why the call failed. */
  readonly code: FluxErrorCode;
  /** `connection_refused`: the HTTP status of the refused upgrade, when known. */
  readonly status?: number;
  /** `conflict`: the sequence number the call expected. */
  readonly expected?: number;
  /** `conflict`: the aggregate's actual last sequence number. */
  readonly actual?: number;

  /** Creates an error with `code`, a human-readable `message` and the fields of its code. */
  constructor(code: FluxErrorCode, message: string, details: FluxErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "FluxError";
    this.code = code;
    if (details.status !== undefined) this.status = details.status;
    if (details.expected !== undefined) this.expected = details.expected;
    if (details.actual !== undefined) this.actual = details.actual;
  }
}

/**
 * The FluxError for an ErrorResult: `conflict` when the hub names one (`error: "conflict"` with
 * the expected and actual sequence numbers), `hub_error` otherwise.
 */
export function errorFromResult(result: Record<string, unknown>): FluxError {
  const message = String(result.message ?? "request failed");
  const { expectedSequenceNumber: expected, actualSequenceNumber: actual } = result;
  if (result.error === "conflict" && typeof expected === "number" && typeof actual === "number") {
    return new FluxError("conflict", message, { expected, actual });
  }
  return new FluxError("hub_error", message);
}

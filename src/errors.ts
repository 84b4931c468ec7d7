/**
 * Errors the hub reports to its users. Each has a stable code and an HTTP status; the HTTP API maps
 * them to JSON bodies in one `onError`, the protocol turns them into `ErrorResult`s.
 */

/** Stable, typed error codes (the `code` field of JSON error bodies). */
export type ErrorCode =
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "rate_limited"
  | "internal";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
};

/** An error whose message is safe to show the client. */
export class HubError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "HubError";
    this.code = code;
    this.details = details;
  }

  /** The HTTP status for this error. */
  get status(): number {
    return STATUS[this.code];
  }

  /** The JSON body the HTTP API answers with. */
  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...(this.details ?? {}) };
  }
}

/** Input that does not fit the protocol or API: a 400 naming the problem. */
export class BadRequest extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("bad_request", message, details);
  }
}

/** A request or frame over a size limit. */
export class PayloadTooLarge extends HubError {
  constructor(message: string) {
    super("payload_too_large", message);
  }
}

/** A write rejected because the state moved on (for example an expected sequence number). */
export class Conflict extends HubError {
  constructor(message: string, details?: Record<string, unknown>) {
    super("conflict", message, details);
  }
}

/** Something asked for that does not exist. */
export class NotFound extends HubError {
  constructor(message: string) {
    super("not_found", message);
  }
}

/**
 * Durable Object RPC turns thrown errors into plain Errors but keeps their own properties, so a
 * HubError thrown inside an object arrives with its `code` and is made a HubError again here.
 */
export function restoreError(e: unknown): unknown {
  if (e instanceof HubError || !(e instanceof Error)) return e;
  const { code, details } = e as Error & { code?: unknown; details?: Record<string, unknown> };
  return typeof code === "string" && Object.hasOwn(STATUS, code) ? new HubError(code as ErrorCode, e.message, details) : e;
}

/**
 * The one mapping of a failure to an HTTP answer (routes, web gateway calls, refused upgrades): a
 * HubError's status and JSON body naming the problem; anything else a logged 500 that reveals
 * nothing of the hub's insides.
 */
export function errorResponse(error: unknown, what = "request failed"): Response {
  const e = restoreError(error);
  if (e instanceof HubError) return Response.json(e.toJSON(), { status: e.status });
  console.error(what, e);
  return Response.json({ error: "internal", message: "internal error" }, { status: 500 });
}

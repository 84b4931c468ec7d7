/**
 * The refusals of project authentication, as HubErrors so the HTTP `onError` and the WebSocket
 * upgrade answer them with the same JSON bodies as every other failure.
 */
import { HubError } from "../errors";

/** No usable credential: missing, malformed, unknown or revoked. A 401. */
export class Unauthorized extends HubError {
  constructor(message: string) {
    super("unauthorized", message);
  }
}

/** A valid credential that does not grant this request (a key of another project). A 403. */
export class Forbidden extends HubError {
  constructor(message: string) {
    super("forbidden", message);
  }
}

/** Too many requests for one key; `retryAfterSeconds` says when a request fits again. A 429. */
export class RateLimited extends HubError {
  constructor(message: string, retryAfterSeconds: number) {
    super("rate_limited", message, { retryAfterSeconds });
  }
}

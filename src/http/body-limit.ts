/**
 * The request body limit of the HTTP API. Hono's bodyLimit does the counting; a body whose
 * Content-Length is already over the limit is refused without being stored, but read to its end
 * first (up to a bound): closing a connection with unread request bytes resets it, and the client
 * then often never sees the 413 that names the limit.
 */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { PayloadTooLarge } from "../errors";

/** The largest request body the HTTP API reads (the same as a WebSocket frame). */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

// Past this much a refused body is not read on: the connection may reset, and that is the price.
const MAX_DRAINED_BYTES = 128 * 1024 * 1024;

const tooLarge = () => new PayloadTooLarge(`request body exceeds ${MAX_BODY_BYTES} bytes`);

const counted = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: () => { throw tooLarge(); } });

/** Refuses bodies over MAX_BODY_BYTES with PayloadTooLarge. */
export const limitBody = createMiddleware(async (c, next) => {
  const length = Number(c.req.header("content-length") ?? 0);
  const body = c.req.raw.body;
  if (body && length > MAX_BODY_BYTES && !c.req.header("transfer-encoding")) {
    if (length <= MAX_DRAINED_BYTES) for await (const _ of body);
    throw tooLarge();
  }
  return counted(c, next);
});

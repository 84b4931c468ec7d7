/**
 * Where a request carries its API key. In order of preference:
 *
 * - `Authorization: Bearer <key>`: HTTP clients, and WebSocket clients that can set headers.
 * - `?apiKey=<key>`: clients that can set no headers (browsers' WebSocket).
 * - a `/key/<key>` path prefix: the Flux Java client, which can set neither headers nor extra query
 *   parameters but builds every URL as `<FLUX_BASE_URL>/<endpoint>?…`, so a base URL ending in
 *   `/key/<key>` carries it. The hub strips the prefix before routing (`withoutKeyPath`).
 */
import { Unauthorized } from "./errors";

const KEY_PATH = /^\/key\/([^/]+)(\/.*)?$/;

/**
 * The token of an `Authorization: Bearer` header; null without the header. Any other
 * Authorization scheme is refused rather than ignored, so a client never silently goes keyless.
 */
export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const m = /^Bearer +(\S+) *$/i.exec(header);
  if (!m) throw new Unauthorized("the Authorization header must be `Bearer <key>`");
  return m[1];
}

/** The API key a request presents, wherever it carries it; null when it presents none. */
export function presentedKey(request: Request): string | null {
  const bearer = bearerToken(request);
  if (bearer !== null) return bearer;
  const url = new URL(request.url);
  const query = url.searchParams.get("apiKey");
  if (query !== null) return query;
  const path = KEY_PATH.exec(url.pathname);
  return path ? path[1] : null;
}

/** `url` without a leading `/key/<key>` path prefix (unchanged when it has none). */
export function withoutKeyPath(url: URL): URL {
  const m = KEY_PATH.exec(url.pathname);
  if (!m) return url;
  const stripped = new URL(url);
  stripped.pathname = m[2] ?? "/";
  return stripped;
}

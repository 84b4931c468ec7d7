/**
 * An HTTP request as Flux's proxy publishes it (P/ProxyRequestHandler.java `createWebRequest`):
 * a WEBREQUEST whose data is the body bytes, typed null, with the Content-Type as its format, and
 * whose metadata holds `url` (path and query), `method` and `headers`. Flux metadata values are
 * strings, so `headers` is the JSON of a name → values map, as Jackson writes `Map<String, List>`.
 */
import { toBase64 } from "../protocol/base64";
import type { SerializedMessage } from "../protocol/messages";

/** An HTTP request reduced to what a WEBREQUEST carries (plain data, so it crosses RPC). */
export interface WebRequestInit {
  /** The path after the web prefix, with its query, e.g. `/orders?limit=5`. */
  url: string;
  method: string;
  /** Header name and value pairs; a repeated header appears once per value. */
  headers: [string, string][];
  body: Uint8Array | null;
}

/** The Flux metadata keys of a WebRequest (Java `WebRequest.urlKey` etc.). */
export const URL_KEY = "url";
export const METHOD_KEY = "method";
export const HEADERS_KEY = "headers";

/** Groups header pairs into Flux's `{name: [values]}` map. */
export function headerMap(headers: readonly [string, string][]): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const [name, value] of headers) (map[name] ??= []).push(value);
  return map;
}

/**
 * The WEBREQUEST for `request`, sent by `source` as its request `requestId`: the handler answers
 * with a WEBRESPONSE targeted at `source` carrying the same `requestId`.
 */
export function webRequestMessage(request: WebRequestInit, source: string, requestId: number, now = Date.now()): SerializedMessage {
  const contentType = request.headers.find(([name]) => name.toLowerCase() === "content-type")?.[1] ?? null;
  return {
    data: { value: toBase64(request.body ?? new Uint8Array()), type: null, revision: 0, format: contentType },
    metadata: {
      [URL_KEY]: request.url,
      [METHOD_KEY]: request.method,
      [HEADERS_KEY]: JSON.stringify(headerMap(request.headers)),
    },
    messageId: crypto.randomUUID(),
    timestamp: now,
    source,
    requestId,
  };
}

/**
 * The WEBREQUESTs of a browser socket (P/WebsocketEndpoint.java `sendRequest`): after the
 * handshake, each event of the socket is published with the metadata of the upgrade request
 * (`url`, `headers`) plus `sessionId` naming the socket, and `method` naming the event. The data
 * is the raw payload (the frame, or the close code as text), typed null with format "unknown";
 * `target` is the tracker that accepted the handshake, so that it also gets the socket's events.
 */
import { toBase64 } from "../protocol/base64";
import type { SerializedMessage } from "../protocol/messages";
import { segmentOf } from "../protocol/segment";
import { HEADERS_KEY, METHOD_KEY, URL_KEY, headerMap } from "./web-request";

/** Flux's WebSocket pseudo-methods (Java `HttpRequestMethod`). */
export const WS_HANDSHAKE = "WS_HANDSHAKE";
export const WS_OPEN = "WS_OPEN";
export const WS_MESSAGE = "WS_MESSAGE";
export const WS_CLOSE = "WS_CLOSE";
export type SocketMethod = typeof WS_OPEN | typeof WS_MESSAGE | typeof WS_CLOSE;

/** Metadata key naming the socket (Java `WebRequest.sessionIdKey`). */
export const SESSION_ID_KEY = "sessionId";

/** What a socket's requests carry besides their payload. */
export interface SocketIdentity {
  sessionId: string;
  /** The upgrade request's path after the web prefix, with its query. */
  url: string;
  headers: [string, string][];
  /** The tracker that accepted the handshake (its response's `trackerId`), if it said. */
  target: string | null;
}

/**
 * The WEBREQUEST for one event of a socket, published by `source`. Unlike Flux's proxy, the
 * segment is the hash of the session id, so a socket's events stay in one partition and are
 * read in the order they happened.
 */
export function socketRequestMessage(
  socket: SocketIdentity,
  method: SocketMethod,
  payload: Uint8Array | null,
  source: string,
  now = Date.now(),
): SerializedMessage {
  return {
    data: { value: payload === null ? null : toBase64(payload), type: null, revision: 0, format: "unknown" },
    metadata: {
      [URL_KEY]: socket.url,
      [METHOD_KEY]: method,
      [HEADERS_KEY]: JSON.stringify(headerMap(socket.headers)),
      [SESSION_ID_KEY]: socket.sessionId,
    },
    segment: segmentOf(socket.sessionId),
    messageId: crypto.randomUUID(),
    timestamp: now,
    source,
    target: socket.target,
  };
}

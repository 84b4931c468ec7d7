/**
 * Turns a handler's WEBRESPONSE into the HTTP reply (P/ProxyRequestHandler.java `handleResponse`):
 * status from metadata `status`, headers from metadata `headers` (JSON of name → values), body
 * from the data bytes, Content-Type falling back to the data's format. Also the replies the
 * gateway gives on its own: 504 when no response came in time, 500 when the handler failed or
 * answered with something that is no response. Those bodies name no handler internals: a failing
 * handler's own 5xx body may hold a stack trace, so it is not passed on.
 */
import { fromBase64 } from "../protocol/base64";
import { HEADERS_KEY } from "./web-request";

/** The HTTP reply the Worker sends (plain data, so it crosses RPC). */
export interface GatewayReply {
  status: number;
  headers: [string, string][];
  body: Uint8Array | null;
  /**
   * The handler's client and tracker, which Flux's `WebsocketResponseInterceptor` adds to its
   * answer to a WS_HANDSHAKE: the socket's later requests are targeted at that tracker.
   */
  responder?: { clientId: string | null; trackerId: string | null };
}

/** A WEBRESPONSE as read from the log: only the fields the gateway uses. */
export interface ResponseMessage {
  data?: { value?: string | null; format?: string | null } | null;
  metadata?: Record<string, unknown> | null;
}

/** Metadata key of the HTTP status (Java `WebResponse.statusKey`). */
export const STATUS_KEY = "status";

/** Headers the platform sets from the body it sends; a handler's copy would contradict it. */
const FRAMING_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive"]);
/** Statuses whose response must have no body. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const FORMAT_ALIASES: Record<string, string> = { json: "application/json" };

function jsonReply(status: number, error: string, message: string): GatewayReply {
  return { status, headers: [["content-type", "application/json"]], body: new TextEncoder().encode(JSON.stringify({ error, message })) };
}

/** The reply when no WEBRESPONSE arrived within `timeoutMs`. */
export function timeoutReply(timeoutMs: number): GatewayReply {
  return jsonReply(504, "gateway_timeout", `no response from a handler within ${timeoutMs / 1000} s`);
}

/** The reply when the handler failed or its response cannot be turned into HTTP. */
export function handlerErrorReply(status = 500): GatewayReply {
  return jsonReply(status, "handler_error", "the request could not be handled");
}

function statusOf(value: unknown): number | null {
  const status = typeof value === "number" ? value : typeof value === "string" && /^\d{3}$/.test(value.trim()) ? Number(value) : NaN;
  // 1xx cannot be sent as a final response; 101 (WebSocket) is not supported here.
  return Number.isInteger(status) && status >= 200 && status <= 599 ? status : null;
}

function headersOf(value: unknown): [string, string][] | null {
  if (value === undefined || value === null) return [];
  let map: unknown = value;
  if (typeof value === "string") {
    try {
      map = JSON.parse(value);
    } catch {
      return null;
    }
  }
  if (typeof map !== "object" || map === null || Array.isArray(map)) return null;
  const pairs: [string, string][] = [];
  for (const [name, values] of Object.entries(map)) {
    // HTTP/2 pseudo-headers (":status") are skipped, as the proxy does over HTTP/1.1.
    if (name.startsWith(":") || FRAMING_HEADERS.has(name.toLowerCase())) continue;
    for (const v of Array.isArray(values) ? values : [values]) {
      if (typeof v === "string" || typeof v === "number") pairs.push([name, String(v)]);
    }
  }
  return pairs;
}

/**
 * The HTTP reply for a handler's WEBRESPONSE, whose body is `body` (the chunks of a chunked
 * response joined). A 5xx from the handler keeps its status but gets the gateway's own body.
 */
export function replyFromResponse(message: ResponseMessage, body: Uint8Array): GatewayReply {
  const status = statusOf(message.metadata?.[STATUS_KEY]);
  const headers = headersOf(message.metadata?.[HEADERS_KEY]);
  if (status === null || headers === null) return handlerErrorReply();
  if (status >= 500) return handlerErrorReply(status);
  const format = message.data?.format;
  if (format && !headers.some(([name]) => name.toLowerCase() === "content-type")) {
    headers.push(["content-type", FORMAT_ALIASES[format] ?? format]);
  }
  const reply: GatewayReply = { status, headers, body: NULL_BODY_STATUSES.has(status) ? null : body };
  const { clientId, trackerId } = message.metadata ?? {};
  if (typeof clientId === "string" || typeof trackerId === "string") {
    reply.responder = { clientId: typeof clientId === "string" ? clientId : null, trackerId: typeof trackerId === "string" ? trackerId : null };
  }
  return reply;
}

/** The body bytes of a WEBRESPONSE; null when its data is not base64. */
export function bodyOf(message: ResponseMessage): Uint8Array | null {
  const value = message.data?.value;
  if (value === undefined || value === null) return new Uint8Array();
  try {
    return fromBase64(value);
  } catch {
    return null;
  }
}

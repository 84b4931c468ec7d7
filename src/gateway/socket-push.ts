/**
 * What a handler sends to a browser socket (P/WebsocketEndpoint.java `handleResultMessages`): a
 * WEBRESPONSE targeted at the socket's shard whose metadata names the socket (`sessionId`) and
 * says what to do (`function`, default "message"). A message is sent as binary when its data is
 * typed `[B` (a Java byte[]), else as text; a close carries its close code as text.
 */
import type { ResponseMessage } from "./web-response";
import { bodyOf } from "./web-response";
import { SESSION_ID_KEY } from "./socket-request";

/** Java's class name of `byte[]`: a payload of raw bytes. */
const BYTES_TYPE = "[B";

/** One action on a browser socket. */
export type SocketAction =
  | { kind: "send"; data: string | Uint8Array }
  | { kind: "close"; code: number }
  /** Ping frames cannot be sent from a Worker; acks only confirm a request was handled. */
  | { kind: "none" };

/** A WEBRESPONSE as read from the log, with the type of its data. */
export interface PushMessage extends ResponseMessage {
  data?: { value?: string | null; type?: string | null; format?: string | null } | null;
}

/** The socket a WEBRESPONSE is for, or null when it names none. */
export function pushSessionId(message: PushMessage): string | null {
  const id = message.metadata?.[SESSION_ID_KEY];
  return typeof id === "string" ? id : null;
}

/** The action a push asks for; null when it cannot be carried out (bad data or close code). */
export function pushAction(message: PushMessage): SocketAction | null {
  const body = bodyOf(message);
  if (body === null) return null;
  switch (message.metadata?.function ?? "message") {
    case "message":
      return { kind: "send", data: message.data?.type === BYTES_TYPE ? body : new TextDecoder().decode(body) };
    case "close": {
      const code = Number(new TextDecoder().decode(body).trim());
      return Number.isInteger(code) && code >= 1000 && code <= 4999 ? { kind: "close", code } : null;
    }
    default:
      return { kind: "none" };
  }
}

/**
 * The Flux message model shared by every capability: message types, guarantees, Data and
 * SerializedMessage exactly as the Java client (de)serialises them.
 */

/** Flux `MessageType`. NOTIFICATION is the EVENT log read as a broadcast, not a log of its own. */
export const MESSAGE_TYPES = [
  "COMMAND", "EVENT", "NOTIFICATION", "QUERY", "RESULT", "SCHEDULE", "ERROR", "METRICS",
  "WEBREQUEST", "WEBRESPONSE", "DOCUMENT", "CUSTOM",
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Message types that are stored as logs (NOTIFICATION reads the EVENT log). */
export type LogType = Exclude<MessageType, "NOTIFICATION">;

/** Flux `Guarantee`: when an append is acknowledged. */
export type Guarantee = "NONE" | "SENT" | "STORED";

/** Flux `Data<byte[]>` on the wire: `value` is base64. */
export interface Data {
  value: string | null;
  type?: string | null;
  revision?: number;
  format?: string | null;
}

/** Flux `SerializedMessage`. `index` is a bigint once assigned by the hub. */
export interface SerializedMessage {
  data: Data;
  metadata?: Record<string, string> | null;
  segment?: number | null;
  index?: bigint | number | null;
  source?: string | null;
  target?: string | null;
  requestId?: number | null;
  timestamp?: number | null;
  messageId?: string | null;
}

/** Parses a message type name case-insensitively, e.g. from a URL path. */
export function parseMessageType(name: string): MessageType | null {
  const upper = name.toUpperCase();
  return (MESSAGE_TYPES as readonly string[]).includes(upper) ? (upper as MessageType) : null;
}

/** The log a message type is stored in. */
export function logTypeOf(type: MessageType): LogType {
  return type === "NOTIFICATION" ? "EVENT" : type;
}

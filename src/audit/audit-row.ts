/**
 * What the audit trail keeps of one message: the keys it can be found by, which the codec stored
 * beside the message when it was appended. The message itself is not copied; its address leads
 * back to it.
 */
import type { LogAddress } from "../log/log-address";
import type { KeyRow } from "../log/log-store";
import { AUDIT_METADATA_CHARS } from "../log/message-codec";

/** A log partition that knows which log it is, so that its audit rows can name it. */
export interface PartitionIdentity extends LogAddress {
  partition: number;
}

/** The searchable keys of one stored message. */
export interface AuditKeys {
  index: bigint;
  /** The message's own timestamp (epoch ms), when it has one. */
  timestamp: number | null;
  messageId: string;
  payloadType: string | null;
  correlationId: string | null;
  traceId: string | null;
  /** The metadata, when its JSON is at most AUDIT_METADATA_CHARS long. */
  metadata: Record<string, string> | null;
}

/** The fields of a stored message JSON that the keys come from. */
interface StoredMessage {
  timestamp?: number | null;
  metadata?: Record<string, string> | null;
}

/**
 * The audit keys of one stored message, from the keys the codec stored beside it; messages stored
 * before keys had a column are parsed instead (plain JSON.parse: the one number beyond 2^53 is
 * the index, which comes from the row).
 */
export function auditKeys(row: KeyRow): AuditKeys {
  if (row.keys) {
    const [timestamp, correlationId, traceId, metadata] = row.keys;
    return { index: row.index, timestamp, messageId: row.messageId, payloadType: row.type, correlationId, traceId, metadata };
  }
  const m = JSON.parse(row.line ?? "{}") as StoredMessage;
  const metadata = m.metadata ?? null;
  return {
    index: row.index,
    timestamp: typeof m.timestamp === "number" ? m.timestamp : null,
    messageId: row.messageId,
    payloadType: row.type,
    correlationId: metadata?.$correlationId ?? null,
    traceId: metadata?.$traceId ?? null,
    metadata: metadata && JSON.stringify(metadata).length <= AUDIT_METADATA_CHARS ? metadata : null,
  };
}

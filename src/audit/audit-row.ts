/**
 * What the audit trail keeps of one message: the keys it can be found by, which the codec stored
 * beside the message when it was appended. The message itself is not copied; its address leads
 * back to it.
 */
import type { LogAddress } from "../log/log-address";
import type { KeyRow } from "../log/log-store";

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
  /** The metadata, when its JSON is at most AUDIT_METADATA_CHARS (message-codec) long. */
  metadata: Record<string, string> | null;
}

/** The audit keys of one stored message, from the keys the codec stored beside it. */
export function auditKeys(row: KeyRow): AuditKeys {
  const [timestamp, correlationId, traceId, metadata] = row.keys;
  return { index: row.index, timestamp, messageId: row.messageId, payloadType: row.type, correlationId, traceId, metadata };
}

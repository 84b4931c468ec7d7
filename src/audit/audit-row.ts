/**
 * What the audit trail keeps of one message: the keys it can be found by, read from the message
 * JSON a partition stores. The message itself is not copied; its address leads back to it.
 */
import type { LogAddress } from "../log/log-client";

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
  /** The metadata, when its JSON is at most METADATA_CHARS long. */
  metadata: Record<string, string> | null;
}

/** Longer metadata is left out of the row: it would bloat D1 and it is in the message anyway. */
export const METADATA_CHARS = 1024;

interface StoredMessage {
  messageId?: string;
  timestamp?: number | null;
  data?: { type?: string | null };
  metadata?: Record<string, string> | null;
}

/** The keys of a stored message (complete JSON, as a partition's `read` returns it). */
export function auditKeys(index: bigint, text: string): AuditKeys {
  // Plain JSON.parse: the one number beyond 2^53 is `index`, which comes from the caller instead.
  const m = JSON.parse(text) as StoredMessage;
  const metadata = m.metadata ?? null;
  const metadataJson = metadata ? JSON.stringify(metadata) : "";
  return {
    index,
    timestamp: typeof m.timestamp === "number" ? m.timestamp : null,
    messageId: m.messageId ?? "",
    payloadType: m.data?.type ?? null,
    correlationId: metadata?.$correlationId ?? null,
    traceId: metadata?.$traceId ?? null,
    metadata: metadata && metadataJson.length <= METADATA_CHARS ? metadata : null,
  };
}

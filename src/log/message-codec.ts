/**
 * Turns Flux SerializedMessages, checked by protocol/message-check, into the columns a partition
 * stores. Runs in the caller (session or Worker), not in the partition, so parsing work spreads
 * over many objects instead of queueing on one.
 */
import { stringifyJson } from "../protocol/json";
import type { SerializedMessage } from "../protocol/messages";
import type { EncodedBatch, MessageKeys } from "./log-store";
import { partitionOf } from "./partition-map";
import { normaliseSegment, segmentOf } from "../protocol/segment";

/**
 * The fields of a SerializedMessage that are stored: Flux's own, without `index` and `segment`
 * (the partition sets both). Unknown fields are dropped, so nothing a client made up (a deeply
 * nested extra field) reaches the log and every later reader.
 */
function storedFields(m: SerializedMessage, messageId: string): SerializedMessage {
  const { value, type, revision, format } = m.data;
  const out: SerializedMessage & { originalRevision?: number } = { data: { value, type, revision, format } };
  for (const f of ["metadata", "source", "target", "requestId", "timestamp", "originalRevision"] as const) {
    const v = (m as unknown as Record<string, unknown>)[f];
    if (v !== undefined) (out as unknown as Record<string, unknown>)[f] = v;
  }
  out.messageId = messageId;
  return out;
}

/** Metadata larger than this (as JSON) is left out of the audit keys; the message keeps it. */
export const AUDIT_METADATA_CHARS = 1024;

/** The audit keys of a checked message. */
function messageKeys(m: SerializedMessage): MessageKeys {
  const metadata = m.metadata ?? null;
  const small = metadata !== null && JSON.stringify(metadata).length <= AUDIT_METADATA_CHARS;
  return [m.timestamp ?? null, metadata?.$correlationId ?? null, metadata?.$traceId ?? null, small ? metadata : null];
}

/** The segment a message belongs to: its own (reduced mod 128), else the hash of its messageId. */
export function messageSegment(m: SerializedMessage, messageId: string): number {
  return typeof m.segment === "number" ? normaliseSegment(m.segment) : segmentOf(messageId);
}

/**
 * Encodes checked messages (see `checkMessage` in protocol/message-check), grouped by the partition that owns each message's
 * segment. A message without a messageId gets a fresh one (it cannot then be deduplicated on retry).
 * `requestedIndexes`, one per message, ask for indexes instead of the clock's (scheduled messages).
 */
export function encodeForPartitions(messages: SerializedMessage[], partitions: number, requestedIndexes?: bigint[]): Map<number, EncodedBatch> {
  const batches = new Map<number, EncodedBatch>();
  for (const [n, m] of messages.entries()) {
    const messageId = m.messageId ?? crypto.randomUUID();
    const segment = messageSegment(m, messageId);
    const p = partitionOf(segment, partitions);
    let batch = batches.get(p);
    if (!batch) {
      batch = { lines: [], segments: [], messageIds: [], types: [], targets: [], keys: [], ...(requestedIndexes ? { requestedIndexes: [] } : {}) };
      batches.set(p, batch);
    }
    batch.lines.push(stringifyJson(storedFields(m, messageId)));
    batch.segments.push(segment);
    batch.messageIds.push(messageId);
    batch.types.push(m.data.type ?? null);
    batch.targets.push(m.target ?? null);
    batch.keys.push(messageKeys(m));
    if (requestedIndexes) batch.requestedIndexes!.push(requestedIndexes[n]);
  }
  return batches;
}

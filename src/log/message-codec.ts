/**
 * Turns Flux SerializedMessages into the columns a partition stores, checking every field a
 * client can get wrong on the way. Runs in the caller (session or Worker), not in the partition,
 * so parsing work spreads over many objects instead of queueing on one.
 */
import { BadRequest } from "../errors";
import { stringifyJson } from "../protocol/json";
import type { SerializedMessage } from "../protocol/messages";
import type { EncodedBatch, MessageKeys } from "./log-store";
import { isBase64 } from "../protocol/base64";
import { partitionOf } from "./partition-map";
import { normaliseSegment, segmentOf } from "../protocol/segment";

const isStringOrNull = (v: unknown) => v === null || v === undefined || typeof v === "string";

/** Throws BadRequest naming the first field of message `i` that is not of Flux's shape. */
export function checkMessage(m: unknown, i: number): asserts m is SerializedMessage {
  const where = `messages[${i}]`;
  if (typeof m !== "object" || m === null || Array.isArray(m)) throw new BadRequest(`${where} must be an object`);
  const msg = m as Record<string, unknown>;
  const data = msg.data as Record<string, unknown> | undefined;
  if (typeof data !== "object" || data === null || Array.isArray(data)) throw new BadRequest(`${where}.data must be an object`);
  if (!isStringOrNull(data.value) || (typeof data.value === "string" && !isBase64(data.value))) {
    throw new BadRequest(`${where}.data.value must be a base64 string`);
  }
  if (!isStringOrNull(data.type)) throw new BadRequest(`${where}.data.type must be a string`);
  if (data.revision !== undefined && data.revision !== null && !Number.isInteger(data.revision)) {
    throw new BadRequest(`${where}.data.revision must be an integer`);
  }
  for (const f of ["messageId", "source", "target"] as const) {
    if (!isStringOrNull(msg[f])) throw new BadRequest(`${where}.${f} must be a string`);
  }
  for (const f of ["segment", "requestId", "timestamp", "originalRevision"] as const) {
    const v = msg[f];
    if (v !== undefined && v !== null && !(typeof v === "number" && Number.isInteger(v))) {
      throw new BadRequest(`${where}.${f} must be an integer`);
    }
  }
  const metadata = msg.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) throw new BadRequest(`${where}.metadata must be an object`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new BadRequest(`${where}.metadata.${k} must be a string`);
    }
  }
}

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
 * Encodes checked messages (see `checkMessage`), grouped by the partition that owns each message's
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

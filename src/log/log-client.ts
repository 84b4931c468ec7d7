/**
 * How the Worker and other objects reach a log: routes messages to the LogPartition objects that
 * own their segments (one call per partition per batch, in parallel) and merges reads across
 * partitions in index order.
 */
import { stubByName } from "../storage/object-stub";
import type { SerializedMessage } from "../protocol/messages";
import { checkMessages } from "../protocol/message-check";
import { encodeForPartitions } from "./message-codec";
import type { LogAddress } from "./log-address";
import { partitionCount, partitionName } from "./partition-map";


/** The stub of one partition of a log. */
export function partitionStub(env: Cloudflare.Env, log: LogAddress, partition: number) {
  return stubByName(env.LOG_PARTITION, partitionName(log, partition));
}

/** Totals of an append over all partitions. */
export interface AppendTotals {
  stored: number;
  duplicates: number;
}

/**
 * Appends messages to a log durably: resolves once every message is stored. Messages are
 * deduplicated by `messageId`, so a retry after a failure never stores a message twice. Every
 * message is checked first; one that is not of Flux's shape fails the append with a BadRequest.
 * `requestedIndexes` (one per message) replace the clock as the source of indexes: the Scheduler
 * asks for each message's deadline (see docs/scheduling.md).
 */
export async function appendToLog(env: Cloudflare.Env, log: LogAddress, messages: unknown[], requestedIndexes?: bigint[]): Promise<AppendTotals> {
  checkMessages(messages);
  return appendChecked(env, log, messages, requestedIndexes);
}

/** `appendToLog` for messages already checked with `checkMessage`. */
export async function appendChecked(
  env: Cloudflare.Env,
  log: LogAddress,
  messages: SerializedMessage[],
  requestedIndexes?: bigint[],
): Promise<AppendTotals> {
  const batches = encodeForPartitions(messages, partitionCount(env), requestedIndexes);
  const outcomes = await Promise.all(
    // The partition learns which log it is from its appends, to label its audit rows.
    [...batches].map(([p, batch]) => partitionStub(env, log, p).append(batch, { ...log, partition: p })),
  );
  return outcomes.reduce((t, o) => ({ stored: t.stored + o.stored, duplicates: t.duplicates + o.duplicates }), { stored: 0, duplicates: 0 });
}

/**
 * Flux ReadFromIndex: up to `maxSize` messages with index >= `minIndex`, in index order, merged
 * over all partitions. Returns complete message JSON texts with their indexes.
 */
export async function readFromIndex(
  env: Cloudflare.Env,
  log: LogAddress,
  minIndex: bigint,
  maxSize: number,
): Promise<{ indexes: bigint[]; messages: string[] }> {
  const partitions = partitionCount(env);
  const reads = await Promise.all(
    Array.from({ length: partitions }, (_, p) => partitionStub(env, log, p).read(minIndex - 1n, maxSize)),
  );
  if (reads.length === 1) return { indexes: reads[0].indexes, messages: reads[0].messages };
  const merged: { index: bigint; message: string }[] = [];
  for (const r of reads) r.indexes.forEach((index, i) => merged.push({ index, message: r.messages[i] }));
  merged.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
  const top = merged.slice(0, maxSize);
  return { indexes: top.map((m) => m.index), messages: top.map((m) => m.message) };
}

/** Sets a log's retention on every partition; null keeps messages forever. */
export async function setRetention(env: Cloudflare.Env, log: LogAddress, seconds: number | null): Promise<void> {
  await Promise.all(Array.from({ length: partitionCount(env) }, (_, p) => partitionStub(env, log, p).setRetention(seconds)));
}

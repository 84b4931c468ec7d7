/**
 * The key-value operations as the Worker performs them: each key goes to the shard that owns it,
 * and a batch costs one RPC per shard touched, sent in parallel. Input is validated by the caller.
 */
import type { Data } from "../protocol/messages";
import { groupByShard, keyStub, shardStub } from "./shards";
import type { KeyValuePair } from "./validation";

/** Upserts the pairs: one atomic RPC per shard; a key given twice keeps its last value. */
export async function storeValues(env: Cloudflare.Env, projectId: string, pairs: readonly KeyValuePair[]): Promise<void> {
  const groups = groupByShard(pairs, (p) => p.key);
  await Promise.all([...groups].map(([shard, group]) => shardStub(env, projectId, shard).storeValues(group)));
}

/** Stores the pair unless its key has a value; returns whether it was stored. */
export function storeValueIfAbsent(env: Cloudflare.Env, projectId: string, pair: KeyValuePair): Promise<boolean> {
  return keyStub(env, projectId, pair.key).storeValueIfAbsent(pair);
}

/** The value of `key`, or null. */
export async function getValue(env: Cloudflare.Env, projectId: string, key: string): Promise<Data | null> {
  return keyStub(env, projectId, key).getValue(key);
}

/** Removes `key`. */
export async function deleteValue(env: Cloudflare.Env, projectId: string, key: string): Promise<void> {
  await keyStub(env, projectId, key).deleteValue(key);
}

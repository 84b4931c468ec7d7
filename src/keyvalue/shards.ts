/**
 * Routing to KeyValueShard objects: each project's keys are spread over a fixed number of shards by
 * Flux's segment hash, `segmentOf(key) % shards`, one object named `<projectId>/kv/<shard>` each.
 */
import { stubByName } from "../storage/object-stub";
import { segmentOf } from "../protocol/segment";

/**
 * Shards per project. Changing it on a deployment with data re-routes keys (their values are then
 * not found): set it once.
 */
export const KV_SHARDS = 16;

/** The shard that owns `key`. */
export function shardOf(key: string, shards: number = KV_SHARDS): number {
  return segmentOf(key) % shards;
}

/** A stub of a KeyValueShard object. */
export type ShardStub = ReturnType<Cloudflare.Env["KEY_VALUE"]["get"]>;

/** The stub of one shard of a project. */
export function shardStub(env: Cloudflare.Env, projectId: string, shard: number): ShardStub {
  return stubByName(env.KEY_VALUE, `${projectId}/kv/${shard}`);
}

/** Groups items by the shard of their key, keeping their order within each shard. */
export function groupByShard<T>(items: readonly T[], keyOf: (item: T) => string): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const shard = shardOf(keyOf(item));
    const group = groups.get(shard);
    if (group) group.push(item);
    else groups.set(shard, [item]);
  }
  return groups;
}

/** The stub of the shard that owns `key`. */
export function keyStub(env: Cloudflare.Env, projectId: string, key: string): ShardStub {
  return shardStub(env, projectId, shardOf(key));
}

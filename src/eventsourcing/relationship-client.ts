/**
 * Relationship operations as the Worker performs them: relationships live in the KeyValueShard that
 * owns their entity id, one RPC per shard touched. Repair must clear the aggregate everywhere, so it
 * visits every shard of the project.
 */
import { KV_SHARDS, groupByShard, keyStub, shardStub } from "../keyvalue/shards";
import type { Relationship } from "./relationships";

/** Applies Flux `UpdateRelationships`: dissociations first, then associations. */
export async function updateRelationships(
  env: Cloudflare.Env,
  projectId: string,
  associations: readonly Relationship[],
  dissociations: readonly Relationship[],
): Promise<void> {
  const added = groupByShard(associations, (r) => r.entityId);
  const removed = groupByShard(dissociations, (r) => r.entityId);
  const shards = new Set([...added.keys(), ...removed.keys()]);
  await Promise.all(
    [...shards].map((shard) => shardStub(env, projectId, shard).updateRelationships(added.get(shard) ?? [], removed.get(shard) ?? [])),
  );
}

/** Applies Flux `RepairRelationships`: the aggregate's entities become exactly `entityIds`. */
export async function repairRelationships(
  env: Cloudflare.Env,
  projectId: string,
  aggregateId: string,
  aggregateType: string,
  entityIds: readonly string[],
): Promise<void> {
  const byShard = groupByShard(entityIds, (id) => id);
  await Promise.all(
    Array.from({ length: KV_SHARDS }, (_, shard) =>
      shardStub(env, projectId, shard).repairRelationships(aggregateId, aggregateType, byShard.get(shard) ?? []),
    ),
  );
}

/** The aggregates `entityId` belongs to. */
export function getRelationships(env: Cloudflare.Env, projectId: string, entityId: string): Promise<Relationship[]> {
  return keyStub(env, projectId, entityId).getRelationships(entityId);
}

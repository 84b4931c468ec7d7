/**
 * One shard of a project's key-value store, named `<projectId>/kv/<shard>`, also holding the
 * entity→aggregate relationships of the entities hashed to it. A thin host over KeyValueStore and
 * RelationshipStore, which own their tables.
 */
import { DurableObject } from "cloudflare:workers";
import { RelationshipStore, type Relationship } from "../src/eventsourcing/relationships";
import { KeyValueStore } from "../src/keyvalue/key-value-store";
import type { KeyValuePair } from "../src/keyvalue/validation";
import type { Data } from "../src/protocol/messages";

/** Durable Object hosting one key-value shard. */
export class KeyValueShard extends DurableObject<Cloudflare.Env> {
  private values!: KeyValueStore;
  private relationships!: RelationshipStore;

  constructor(ctx: DurableObjectState, env: Cloudflare.Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      this.values = new KeyValueStore(ctx.storage.sql);
      this.relationships = new RelationshipStore(ctx.storage.sql);
    });
  }

  /** Upserts the pairs atomically. */
  storeValues(pairs: KeyValuePair[]): void {
    this.ctx.storage.transactionSync(() => this.values.store(pairs));
  }

  /** Stores the pair unless its key has a value; returns whether it did. */
  storeValueIfAbsent(pair: KeyValuePair): boolean {
    return this.values.storeIfAbsent(pair);
  }

  /** The value of `key`, or null. */
  getValue(key: string): Data | null {
    return this.values.get(key);
  }

  /** Removes `key`. */
  deleteValue(key: string): void {
    this.values.delete(key);
  }

  /** Applies dissociations then associations of this shard's entities, atomically. */
  updateRelationships(associations: Relationship[], dissociations: Relationship[]): void {
    this.ctx.storage.transactionSync(() => this.relationships.update(associations, dissociations));
  }

  /** Replaces the aggregate's relationships held by this shard with those of `entityIds`. */
  repairRelationships(aggregateId: string, aggregateType: string, entityIds: string[]): void {
    this.ctx.storage.transactionSync(() => this.relationships.repair(aggregateId, aggregateType, entityIds));
  }

  /** The relationships of `entityId`. */
  getRelationships(entityId: string): Relationship[] {
    return this.relationships.get(entityId);
  }
}

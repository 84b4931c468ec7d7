/**
 * The relationships capability: which aggregates an entity belongs to, as Flux's
 * `UpdateRelationships` / `RepairRelationships` maintain it. Lives in KeyValueShard objects, sharded
 * by entity id; each shard holds the relationships of its entities.
 */
import { migrate } from "../storage/migrations";

/** Flux `Relationship`: entity `entityId` belongs to aggregate `aggregateId` of `aggregateType`. */
export interface Relationship {
  entityId: string;
  aggregateId: string;
  aggregateType: string;
}

const MIGRATIONS = [
  `CREATE TABLE relationships (
     entity_id TEXT NOT NULL, aggregate_id TEXT NOT NULL, aggregate_type TEXT NOT NULL,
     PRIMARY KEY (entity_id, aggregate_id))`,
  "CREATE INDEX relationships_by_aggregate ON relationships (aggregate_id)",
];

/** Relationships of the entities one shard owns, over the host's SQLite. */
export class RelationshipStore {
  /** Creates the tables on first use. */
  constructor(private readonly sql: SqlStorage) {
    migrate(sql, "relationships", MIGRATIONS);
  }

  /** Removes the dissociations, then adds the associations (an existing one keeps its place). */
  update(associations: readonly Relationship[], dissociations: readonly Relationship[]): void {
    for (const r of dissociations) {
      this.sql.exec("DELETE FROM relationships WHERE entity_id = ? AND aggregate_id = ?", r.entityId, r.aggregateId);
    }
    for (const r of associations) {
      this.sql.exec(
        `INSERT INTO relationships (entity_id, aggregate_id, aggregate_type) VALUES (?, ?, ?)
         ON CONFLICT (entity_id, aggregate_id) DO UPDATE SET aggregate_type = excluded.aggregate_type`,
        r.entityId,
        r.aggregateId,
        r.aggregateType,
      );
    }
  }

  /** Makes `entityIds` (those of this shard) the only entities of the aggregate held here. */
  repair(aggregateId: string, aggregateType: string, entityIds: readonly string[]): void {
    this.sql.exec("DELETE FROM relationships WHERE aggregate_id = ?", aggregateId);
    this.update(entityIds.map((entityId) => ({ entityId, aggregateId, aggregateType })), []);
  }

  /** The aggregates `entityId` belongs to, in the order they were first associated. */
  get(entityId: string): Relationship[] {
    return this.sql
      .exec<{ aggregate_id: string; aggregate_type: string }>(
        "SELECT aggregate_id, aggregate_type FROM relationships WHERE entity_id = ? ORDER BY rowid",
        entityId,
      )
      .toArray()
      .map((row) => ({ entityId, aggregateId: row.aggregate_id, aggregateType: row.aggregate_type }));
  }
}

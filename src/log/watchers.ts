/**
 * Wake-ups for parked reads. A Consumer object with parked trackers registers here once; the next
 * append past its index notifies it and drops the registration, so waking costs one call per
 * consumer per append burst, never a polling loop.
 */
import { migrate } from "../storage/migrations";

const MIGRATIONS = ["CREATE TABLE watchers (consumer TEXT PRIMARY KEY, after_index INTEGER NOT NULL)"];

/** The consumers waiting for messages on one partition. */
export class Watchers {
  constructor(private readonly sql: SqlStorage) {
    migrate(sql, "watchers", MIGRATIONS);
  }

  /** Registers `consumer` to be told when the partition's head passes `after`. */
  watch(consumer: string, after: bigint): void {
    this.sql.exec(
      "INSERT INTO watchers (consumer, after_index) VALUES (?, ?) ON CONFLICT (consumer) DO UPDATE SET after_index = MIN(after_index, excluded.after_index)",
      consumer,
      after.toString(),
    );
  }

  /** Removes and returns the consumers waiting for an index at or below `head`. */
  takeDue(head: bigint): string[] {
    return this.sql
      .exec<{ consumer: string }>("DELETE FROM watchers WHERE after_index < ? RETURNING consumer", head.toString())
      .toArray()
      .map((r) => r.consumer);
  }
}

/**
 * The key-value capability of one shard: opaque Flux `Data` values by key in SQLite. Upserts,
 * insert-if-absent, get and delete; no TTL and no listing, as in Flux.
 */
import { parseJson, stringifyJson } from "../protocol/json";
import { migrate } from "../storage/migrations";
import type { Data } from "../protocol/messages";
import type { KeyValuePair } from "./validation";

const MIGRATIONS = [
  "CREATE TABLE kv_values (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID",
];

/** Values of one shard, stored over the host's SQLite. */
export class KeyValueStore {
  /** Creates the tables on first use. */
  constructor(private readonly sql: SqlStorage) {
    migrate(sql, "key-value", MIGRATIONS);
  }

  /** Upserts every pair, in order: a key given twice keeps its last value. */
  store(pairs: readonly KeyValuePair[]): void {
    for (const { key, value } of pairs) {
      this.sql.exec(
        "INSERT INTO kv_values (key, data) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data",
        key,
        stringifyJson(value),
      );
    }
  }

  /** Stores the value only when the key has none; returns whether it was stored. */
  storeIfAbsent({ key, value }: KeyValuePair): boolean {
    return this.sql.exec("INSERT INTO kv_values (key, data) VALUES (?, ?) ON CONFLICT DO NOTHING", key, stringifyJson(value)).rowsWritten > 0;
  }

  /** The value of `key`, or null. */
  get(key: string): Data | null {
    const row = this.sql.exec<{ data: string }>("SELECT data FROM kv_values WHERE key = ?", key).toArray()[0];
    return row ? (parseJson(row.data) as Data) : null;
  }

  /** Removes `key`; a missing key is fine. */
  delete(key: string): void {
    this.sql.exec("DELETE FROM kv_values WHERE key = ?", key);
  }
}

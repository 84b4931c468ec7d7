/**
 * Numbered, append-only schema migrations for Durable Object SQLite storage. Each capability owns
 * its tables and its list of migrations; a migration, once shipped, is never edited, only followed.
 */

/** Applies the migrations of `capability` that this database has not seen yet, in order. */
export function migrate(sql: SqlStorage, capability: string, migrations: readonly string[]): void {
  sql.exec(
    "CREATE TABLE IF NOT EXISTS _migrations (capability TEXT NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (capability, version))",
  );
  const row = sql
    .exec<{ v: number | null }>("SELECT MAX(version) AS v FROM _migrations WHERE capability = ?", capability)
    .one();
  for (let version = (row.v ?? 0) + 1; version <= migrations.length; version++) {
    sql.exec(migrations[version - 1]);
    sql.exec("INSERT INTO _migrations (capability, version) VALUES (?, ?)", capability, version);
  }
}

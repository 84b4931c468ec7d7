/**
 * The `api_keys` table in D1: the one place that reads and writes keys.
 */

/** A key as listed: everything but the secret. Times are epoch ms. */
export interface ApiKey {
  id: string;
  projectId: string;
  label: string | null;
  createdAt: number;
  revokedAt: number | null;
}

/** A key with the hash it is stored under. */
export interface StoredKey extends ApiKey {
  hash: string;
}

interface Row {
  key_hash: string;
  id: string;
  project_id: string;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

const COLUMNS = "key_hash, id, project_id, label, created_at, revoked_at";

function fromRow(r: Row): StoredKey {
  return { hash: r.key_hash, id: r.id, projectId: r.project_id, label: r.label, createdAt: r.created_at, revokedAt: r.revoked_at };
}

/** Stores a new key. */
export async function insertKey(db: D1Database, key: StoredKey): Promise<void> {
  await db
    .prepare(`INSERT INTO api_keys (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`)
    .bind(key.hash, key.id, key.projectId, key.label, key.createdAt, key.revokedAt)
    .run();
}

/** The key stored under `hash`, or null. */
export async function findKeyByHash(db: D1Database, hash: string): Promise<StoredKey | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = ?`).bind(hash).first<Row>();
  return row ? fromRow(row) : null;
}

/** A project's keys, revoked ones included, oldest first. */
export async function listKeys(db: D1Database, projectId: string): Promise<StoredKey[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM api_keys WHERE project_id = ? ORDER BY created_at, id`)
    .bind(projectId)
    .all<Row>();
  return results.map(fromRow);
}

/**
 * Revokes a project's key at `at` (a key already revoked keeps its first time). Null when the
 * project has no key with that id.
 */
export async function revokeKey(db: D1Database, projectId: string, id: string, at: number): Promise<StoredKey | null> {
  const row = await db
    .prepare(`UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE project_id = ? AND id = ? RETURNING ${COLUMNS}`)
    .bind(at, projectId, id)
    .first<Row>();
  return row ? fromRow(row) : null;
}

/** Whether any key was ever created, for any project. */
export async function anyKeyExists(db: D1Database): Promise<boolean> {
  return (await db.prepare("SELECT 1 AS one FROM api_keys LIMIT 1").first()) !== null;
}

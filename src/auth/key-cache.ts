/**
 * A short per-isolate cache of key lookups, so most WebSocket upgrades and HTTP calls skip the D1
 * round trip. Entries live `KEY_CACHE_SECONDS`: a key revoked through another isolate keeps
 * working here for at most that long (revoking through this isolate takes effect at once).
 */
import { type StoredKey, findKeyByHash } from "./key-store";

/** How long a lookup, found or not, is trusted. */
export const KEY_CACHE_SECONDS = 30;

// Unknown keys are cached too (a misconfigured client retries with the same one), so the map is
// bounded: past this size the oldest entry goes.
const MAX_ENTRIES = 10_000;

interface Entry {
  key: StoredKey | null;
  expires: number;
}

const entries = new Map<string, Entry>();

function remember(hash: string, key: StoredKey | null): void {
  entries.delete(hash);
  entries.set(hash, { key, expires: Date.now() + KEY_CACHE_SECONDS * 1000 });
  if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** The key stored under `hash` (revoked or not), or null, from the cache or D1. */
export async function lookupKey(db: D1Database, hash: string): Promise<StoredKey | null> {
  const hit = entries.get(hash);
  if (hit && hit.expires > Date.now()) return hit.key;
  const key = await findKeyByHash(db, hash);
  remember(hash, key);
  return key;
}

/** Puts a key this isolate just wrote (created or revoked) in the cache. */
export function rememberKey(key: StoredKey): void {
  remember(key.hash, key);
}

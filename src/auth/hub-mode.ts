/**
 * Open or closed: a hub where no API key was ever created runs open (every project reachable
 * without a key, for local development) and says so once per isolate. The first key closes it.
 *
 * Closed is remembered for the isolate's lifetime because keys are never deleted through the API.
 * Open is re-checked every `KEY_CACHE_SECONDS`, so a first key created through another isolate
 * closes this one within that window.
 */
import { KEY_CACHE_SECONDS } from "./key-cache";
import { anyKeyExists } from "./key-store";

let closed = false;
let openUntil = 0;
let warned = false;

/** Whether the hub runs open (no key exists for any project). */
export async function hubIsOpen(db: D1Database): Promise<boolean> {
  if (closed) return false;
  if (openUntil > Date.now()) return true;
  closed = await anyKeyExists(db);
  if (closed) return false;
  openUntil = Date.now() + KEY_CACHE_SECONDS * 1000;
  if (!warned) {
    warned = true;
    console.warn(
      "flux-edge: NO API KEYS ARE CONFIGURED. The hub runs OPEN: every project is reachable without a key. " +
        "Create a key through POST /admin/projects/<projectId>/keys to require keys (see docs/auth.md).",
    );
  }
  return true;
}

/** Records that this isolate created a key, closing the hub here at once. */
export function noteKeyCreated(): void {
  closed = true;
}

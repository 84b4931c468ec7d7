/**
 * The guard of the admin routes: `Authorization: Bearer <ADMIN_SECRET>`, compared in constant time.
 * Without an `ADMIN_SECRET` binding, `LOCAL_ADMIN_SECRET` stands in only while the hub runs open,
 * so a local hub can create its first key; after that the real secret is required.
 */
import type { AuthEnv } from "./env";
import { Forbidden, Unauthorized } from "./errors";
import { hubIsOpen } from "./hub-mode";
import { sha256 } from "./keys";
import { bearerToken } from "./presented-key";

/** The admin secret of a hub that has no `ADMIN_SECRET` and no keys yet (local development). */
export const LOCAL_ADMIN_SECRET = "flux-local-admin";

/** Throws Unauthorized (401) or Forbidden (403) unless `request` carries the admin secret. */
export async function requireAdmin(env: AuthEnv, request: Request): Promise<void> {
  const secret = env.ADMIN_SECRET || ((await hubIsOpen(env.DB)) ? LOCAL_ADMIN_SECRET : null);
  if (secret === null) {
    throw new Forbidden("ADMIN_SECRET is not set and the hub has keys: set it (wrangler secret put ADMIN_SECRET, or .dev.vars locally)");
  }
  const token = bearerToken(request);
  if (token === null) throw new Unauthorized("admin routes need Authorization: Bearer <ADMIN_SECRET>");
  // Comparing digests makes the lengths equal, which timingSafeEqual requires and which would leak.
  const [given, expected] = await Promise.all([sha256(token), sha256(secret)]);
  if (!crypto.subtle.timingSafeEqual(given, expected)) throw new Unauthorized("wrong admin secret");
}

/**
 * The bindings authentication reads. `Cloudflare.Env` satisfies it; `ADMIN_SECRET` is a wrangler
 * secret, so it is optional here rather than declared in wrangler.toml.
 */

/** What authentication needs from the Worker environment. */
export interface AuthEnv {
  DB: D1Database;
  ADMIN_SECRET?: string;
}

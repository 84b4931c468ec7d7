/**
 * The Hono environment every route and middleware shares: the Worker's bindings. Its own module so
 * that routes and the auth middleware need not import the app that mounts them.
 */

/** The Hono environment of every route. */
export type HubEnv = { Bindings: Cloudflare.Env };

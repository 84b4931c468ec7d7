/**
 * The one access check for project traffic, WebSocket upgrades and HTTP calls alike: in a closed
 * hub the request must present a valid, unrevoked key of that very project, within its rate.
 */
import type { AuthEnv } from "./env";
import { Forbidden, Unauthorized } from "./errors";
import { hubIsOpen } from "./hub-mode";
import { lookupKey } from "./key-cache";
import { hashKey, isWellFormedKey } from "./keys";
import { presentedKey } from "./presented-key";
import { takeToken } from "./rate-limit";

/**
 * Checks that `request` may reach `projectId`. Returns the id of the key used, or null when the
 * hub runs open. Throws Unauthorized (401: missing, malformed, unknown or revoked key), Forbidden
 * (403: a key of another project) or RateLimited (429).
 */
export async function authorize(env: AuthEnv, request: Request, projectId: string): Promise<string | null> {
  if (await hubIsOpen(env.DB)) return null;
  const presented = presentedKey(request);
  if (presented === null) {
    throw new Unauthorized(`project "${projectId}" needs an API key: send Authorization: Bearer <key> or ?apiKey=<key>`);
  }
  if (!isWellFormedKey(presented)) throw new Unauthorized("the API key is malformed: keys look like fxk_ and 43 base64url characters");
  const key = await lookupKey(env.DB, await hashKey(presented));
  if (key === null) throw new Unauthorized("the API key is unknown");
  if (key.revokedAt !== null) throw new Unauthorized(`the API key ${key.id} was revoked`);
  // The key's own project is not named: the caller may not be entitled to know it.
  if (key.projectId !== projectId) throw new Forbidden(`the API key ${key.id} is not a key of project "${projectId}"`);
  takeToken(key.id);
  return key.id;
}

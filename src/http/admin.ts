/**
 * Admin HTTP routes, mounted at `/admin`: create, list and revoke a project's API keys. Every
 * route needs the admin secret (src/auth/admin-secret.ts). A key's plaintext is returned once, by
 * the POST that creates it; only its hash is stored.
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { BadRequest, NotFound } from "../errors";
import { requireAdmin } from "../auth/admin-secret";
import { hubIsOpen, noteKeyCreated } from "../auth/hub-mode";
import { closeKeylessSessions } from "../auth/keyless-sessions";
import { rememberKey } from "../auth/key-cache";
import { type ApiKey, type StoredKey, insertKey, listKeys, revokeKey } from "../auth/key-store";
import { generateKey, hashKey } from "../auth/keys";
import type { HubEnv } from "./hub-env";
import { doc, params } from "./openapi";
import { parseWith } from "../validation";
import { nameSchema } from "./validation";

const projectParams = z.object({ projectId: nameSchema });
const keyParams = projectParams.extend({ keyId: z.string().min(1).max(100) });

const createBody = z.object({ label: z.string().max(200).optional() });

/** A key as the API shows it: ISO times, no hash. */
function view(key: ApiKey): Record<string, unknown> {
  return {
    id: key.id,
    projectId: key.projectId,
    label: key.label,
    createdAt: new Date(key.createdAt).toISOString(),
    revokedAt: key.revokedAt === null ? null : new Date(key.revokedAt).toISOString(),
  };
}

/** Reads the optional JSON body of a key creation: no body means no label. */
async function createRequest(text: string): Promise<z.infer<typeof createBody>> {
  if (text.trim() === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest("body must be JSON");
  }
  return parseWith(createBody, body, "");
}

/** Routes under `/admin`. */
export const adminRoutes = new Hono<HubEnv>()
  .use(
    createMiddleware<HubEnv>(async (c, next) => {
      await requireAdmin(c.env, c.req.raw);
      await next();
    }),
  )
  .post(
    "/projects/:projectId/keys",
    doc({
      summary: "Create an API key (shown once)",
      tag: "admin",
      body: createBody,
      example: { label: "ci" },
      ok: { status: 201, description: "created" },
    }),
    params(projectParams),
    async (c) => {
      const { projectId } = c.req.valid("param");
      const { label } = await createRequest(await c.req.text());
      const wasOpen = await hubIsOpen(c.env.DB);
      const plaintext = generateKey();
      const key: StoredKey = {
        hash: await hashKey(plaintext),
        id: crypto.randomUUID(),
        projectId,
        label: label ?? null,
        createdAt: Date.now(),
        revokedAt: null,
      };
      await insertKey(c.env.DB, key);
      noteKeyCreated();
      rememberKey(key);
      // The first key closes the hub: sessions that opened without one must not outlive it. The key
      // is stored either way, so a failure here is logged, not answered: each keyless session also
      // re-checks before its next frame.
      if (wasOpen) await closeKeylessSessions(c.env).catch((e: unknown) => console.warn("closing keyless sessions failed", e));
      return c.json({ ...view(key), key: plaintext }, 201);
    },
  )
  .get(
    "/projects/:projectId/keys",
    doc({ summary: "A project's API keys (no secrets)", tag: "admin" }),
    params(projectParams),
    async (c) => {
      const keys = await listKeys(c.env.DB, c.req.valid("param").projectId);
      return c.json({ keys: keys.map(view) });
    },
  )
  .delete(
    "/projects/:projectId/keys/:keyId",
    doc({ summary: "Revoke an API key", tag: "admin" }),
    params(keyParams),
    async (c) => {
      const { projectId, keyId } = c.req.valid("param");
      const key = await revokeKey(c.env.DB, projectId, keyId, Date.now());
      if (key === null) throw new NotFound(`project "${projectId}" has no API key ${keyId}`);
      rememberKey(key);
      return c.json(view(key));
    },
  );

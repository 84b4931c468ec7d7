// A hub where no key was ever created runs open, warns once, and lets the local admin secret in
// until the first key closes it. (Its own file: every test file starts with an empty D1.)
import { env } from "cloudflare:test";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { LOCAL_ADMIN_SECRET } from "../../../src/auth/admin-secret";
import { authorize } from "../../../src/auth/authorize";
import { HubError } from "../../../src/errors";
import { requireProjectKey } from "../../../src/auth/middleware";
import { adminRoutes } from "../../../src/http/admin";
import { createApp } from "../../../src/http/app";
import type { HubEnv } from "../../../src/http/hub-env";

const app = createApp().route("/admin", adminRoutes);
const project = new Hono<HubEnv>()
  .use("/api/projects/:projectId/*", requireProjectKey)
  .get("/api/projects/:projectId/kv/:key", (c) => c.json({ ok: true }))
  .onError((err, c) => (err instanceof HubError ? c.json(err.toJSON(), err.status as 401) : c.text("unexpected", 500)));

afterEach(() => vi.restoreAllMocks());

describe("open mode", () => {
  it("lets every request through without a key and warns once per isolate", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    expect(await authorize(env, new Request("http://hub/tracking/readevent"), "anything")).toBeNull();
    expect((await project.request("http://hub/api/projects/p/kv/a", {}, env)).status).toBe(200);
    // A presented key is not checked either: there is nothing to check it against.
    expect((await project.request("http://hub/api/projects/p/kv/a?apiKey=nonsense", {}, env)).status).toBe(200);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/NO API KEYS.*OPEN/);
  });

  it("accepts the local admin secret only while open; the first key closes the hub", async () => {
    const admin = (method: string, path: string, secret: string) =>
      app.request(`http://hub/admin${path}`, { method, headers: { authorization: `Bearer ${secret}` } }, env);
    expect((await admin("GET", "/projects/p/keys", "guess")).status).toBe(401);
    expect((await admin("GET", "/projects/p/keys", LOCAL_ADMIN_SECRET)).status).toBe(200);
    const created = await admin("POST", "/projects/p/keys", LOCAL_ADMIN_SECRET);
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };

    const refused = await admin("GET", "/projects/p/keys", LOCAL_ADMIN_SECRET);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "forbidden", message: expect.stringContaining("ADMIN_SECRET is not set") });
    expect((await project.request("http://hub/api/projects/p/kv/a", {}, env)).status).toBe(401);
    expect((await project.request("http://hub/api/projects/p/kv/a", { headers: { authorization: `Bearer ${key}` } }, env)).status).toBe(200);
  });
});

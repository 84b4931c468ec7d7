// Every HTTP route prefix under /api/projects/:projectId goes through `requireProjectKey`, mounted
// the way the hub mounts it; /health stays open.
import { env } from "cloudflare:test";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { requireProjectKey } from "../../../src/auth/middleware";
import { HubError } from "../../../src/errors";
import { adminRoutes } from "../../../src/http/admin";
import { createApp } from "../../../src/http/app";
import type { HubEnv } from "../../../src/http/hub-env";

const PREFIXES = ["logs", "consumers", "trackers", "aggregates", "kv", "schedules", "search", "audit", "metrics"];

// Stand-in handlers behind the middleware: what is under test is that no prefix escapes it.
const app = new Hono<HubEnv>()
  .use("/api/projects/:projectId/*", requireProjectKey)
  .all("/api/projects/:projectId/*", (c) => c.json({ reached: c.req.path }))
  .onError((err, c) => (err instanceof HubError ? c.json(err.toJSON(), err.status as 401) : c.text("unexpected", 500)));
const hub = createApp().route("/admin", adminRoutes);

let keyA: string;
let keyB: string;
beforeAll(async () => {
  const create = async (project: string) => {
    const res = await hub.request(`http://hub/admin/projects/${project}/keys`, { method: "POST", headers: { authorization: "Bearer s" } }, { ...env, ADMIN_SECRET: "s" });
    return ((await res.json()) as { key: string }).key;
  };
  keyA = await create("walk-a");
  keyB = await create("walk-b");
});

describe("project routes behind requireProjectKey", () => {
  it("knows every prefix the HTTP app serves under /api/projects/:projectId", () => {
    const served = new Set(
      createApp()
        .routes.map((r) => /^\/api\/projects\/:projectId\/([^/]+)/.exec(r.path)?.[1])
        // "*" is the middleware itself.
        .filter((p): p is string => p !== undefined && p !== "*"),
    );
    for (const prefix of served) expect(PREFIXES).toContain(prefix);
  });

  for (const prefix of PREFIXES) {
    it(`guards /api/projects/:projectId/${prefix}`, async () => {
      for (const method of ["GET", "POST", "PUT", "DELETE"]) {
        const call = (project: string, headers: Record<string, string> = {}) =>
          app.request(`http://hub/api/projects/${project}/${prefix}/x/y`, { method, headers }, env);
        const missing = await call("walk-a");
        expect(missing.status).toBe(401);
        expect(await missing.json()).toMatchObject({ error: "unauthorized" });
        expect((await call("walk-a", { authorization: "Bearer not-a-key" })).status).toBe(401);
        const other = await call("walk-a", { authorization: `Bearer ${keyB}` });
        expect(other.status).toBe(403);
        expect(await other.json()).toMatchObject({ error: "forbidden" });
        const own = await call("walk-a", { authorization: `Bearer ${keyA}` });
        expect(own.status).toBe(200);
        expect(await own.json()).toEqual({ reached: `/api/projects/walk-a/${prefix}/x/y` });
      }
    });
  }

  it("leaves GET /health open", async () => {
    const res = await createApp().request("http://hub/health", {}, env);
    expect(res.status).toBe(200);
  });
});

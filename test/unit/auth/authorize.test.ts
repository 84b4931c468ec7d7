// `authorize` and `requireProjectKey` in a closed hub, on the real D1: every way a key is refused,
// every way one is carried, the cache window and the rate limit.
import { env } from "cloudflare:test";
import { Hono } from "hono";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { authorize } from "../../../src/auth/authorize";
import { KEY_CACHE_SECONDS } from "../../../src/auth/key-cache";
import { generateKey } from "../../../src/auth/keys";
import { requireProjectKey } from "../../../src/auth/middleware";
import { RATE_BURST } from "../../../src/auth/rate-limit";
import { HubError } from "../../../src/errors";
import { adminRoutes } from "../../../src/http/admin";
import { createApp } from "../../../src/http/app";
import type { HubEnv } from "../../../src/http/hub-env";

const adminEnv = { ...env, ADMIN_SECRET: "s" };
const adminApp = createApp().route("/admin", adminRoutes);
const adminCall = async (method: string, path: string) => {
  const res = await adminApp.request(`http://hub/admin${path}`, { method, headers: { authorization: "Bearer s" } }, adminEnv);
  return (await res.json()) as { id: string; key: string };
};
const createKey = (project: string) => adminCall("POST", `/projects/${project}/keys`);

const app = new Hono<HubEnv>()
  .use("/api/projects/:projectId/*", requireProjectKey)
  .get("/api/projects/:projectId/kv/:key", (c) => c.json({ ok: true }))
  .onError((err, c) => (err instanceof HubError ? c.json(err.toJSON(), err.status as 401) : c.text("unexpected", 500)));
const get = (project: string, headers: Record<string, string> = {}, query = "") =>
  app.request(`http://hub/api/projects/${project}/kv/a${query}`, { headers }, env);
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** The HubError `authorize` throws, or null when it lets the request through. */
async function refusal(request: Request, project: string): Promise<HubError | null> {
  try {
    await authorize(env, request, project);
    return null;
  } catch (e) {
    if (e instanceof HubError) return e;
    throw e;
  }
}

let a: { id: string; key: string };
let b: { id: string; key: string };
beforeAll(async () => {
  a = await createKey("proj-a");
  b = await createKey("proj-b");
});
afterEach(() => vi.restoreAllMocks());

describe("authorize in a closed hub", () => {
  it("refuses missing, malformed, unknown and other-project keys with JSON bodies naming the problem", async () => {
    const cases: [Response, number, RegExp][] = [
      [await get("proj-a"), 401, /needs an API key/],
      [await get("proj-a", bearer("fxk_tooshort")), 401, /malformed/],
      [await get("proj-a", { authorization: `Basic ${btoa("u:p")}` }), 401, /Bearer/],
      [await get("proj-a", bearer(generateKey())), 401, /unknown/],
      [await get("proj-a", {}, `?apiKey=${generateKey()}`), 401, /unknown/],
      [await get("proj-a", bearer(b.key)), 403, /not a key of project "proj-a"/],
      [await get("proj-b", {}, `?apiKey=${a.key}`), 403, /not a key of project "proj-b"/],
    ];
    for (const [res, status, message] of cases) {
      expect(res.status).toBe(status);
      const body = (await res.json()) as { error: string; message: string };
      expect(body.error).toBe(status === 401 ? "unauthorized" : "forbidden");
      expect(body.message).toMatch(message);
    }
    // The 403 does not tell the caller which project the key belongs to.
    expect(JSON.stringify(await (await get("proj-a", bearer(b.key))).json())).not.toContain("proj-b");
  });

  it("accepts a project's own key as a Bearer header, an apiKey parameter or a /key/ path prefix", async () => {
    expect((await get("proj-a", bearer(a.key))).status).toBe(200);
    expect((await get("proj-a", {}, `?apiKey=${a.key}`)).status).toBe(200);
    expect(await authorize(env, new Request(`http://hub/key/${a.key}/tracking/readevent?clientId=c&projectId=proj-a`), "proj-a")).toBe(a.id);
    expect(await refusal(new Request(`http://hub/key/${a.key}/tracking/readevent?projectId=proj-b`), "proj-b")).toMatchObject({ status: 403 });
    expect(await refusal(new Request(`http://hub/tracking/readevent?projectId=proj-a`), "proj-a")).toMatchObject({ status: 401 });
  });

  it("refuses a key revoked through this isolate at once, and one revoked elsewhere within the cache window", async () => {
    const here = await createKey("proj-r");
    expect(await refusal(new Request("http://hub/", { headers: bearer(here.key) }), "proj-r")).toBeNull();
    await adminCall("DELETE", `/projects/proj-r/keys/${here.id}`);
    expect(await refusal(new Request("http://hub/", { headers: bearer(here.key) }), "proj-r")).toMatchObject({ status: 401, message: expect.stringContaining("revoked") });

    const elsewhere = await createKey("proj-r");
    expect(await refusal(new Request("http://hub/", { headers: bearer(elsewhere.key) }), "proj-r")).toBeNull();
    // Another isolate revokes it: only D1 changes.
    await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ?").bind(Date.now(), elsewhere.id).run();
    expect(await refusal(new Request("http://hub/", { headers: bearer(elsewhere.key) }), "proj-r")).toBeNull();
    const later = Date.now() + KEY_CACHE_SECONDS * 1000 + 1;
    vi.spyOn(Date, "now").mockReturnValue(later);
    expect(await refusal(new Request("http://hub/", { headers: bearer(elsewhere.key) }), "proj-r")).toMatchObject({ status: 401, message: expect.stringContaining("revoked") });
  });

  it("answers a key over its rate with 429 and a JSON body, leaving other keys alone", async () => {
    const busy = await createKey("proj-busy");
    vi.spyOn(Date, "now").mockReturnValue(Date.now()); // a frozen clock: no refill during the loop
    for (let i = 0; i < RATE_BURST; i++) expect((await get("proj-busy", bearer(busy.key))).status).toBe(200);
    const limited = await get("proj-busy", bearer(busy.key));
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: "rate_limited", retryAfterSeconds: 1, message: expect.stringContaining(busy.id) });
    expect((await get("proj-a", bearer(a.key))).status).toBe(200);
  });
});

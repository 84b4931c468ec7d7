// The admin routes on the real D1: the admin secret guard, and creating, listing and revoking keys.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOCAL_ADMIN_SECRET } from "../../../src/auth/admin-secret";
import { adminRoutes } from "../../../src/http/admin";
import { createApp } from "../../../src/http/app";

const app = createApp().route("/admin", adminRoutes);
const SECRET = "test-admin-secret";
const withSecret = { ...env, ADMIN_SECRET: SECRET };
const admin = (method: string, path: string, init: { secret?: string | null; body?: string } = {}) => {
  const secret = init.secret === undefined ? SECRET : init.secret;
  const headers: Record<string, string> = secret === null ? {} : { authorization: `Bearer ${secret}` };
  return app.request(`http://hub/admin${path}`, { method, headers, body: init.body }, withSecret);
};

interface KeyView {
  id: string;
  projectId: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
  key?: string;
}

describe("admin secret", () => {
  it("refuses a missing, wrong or non-Bearer secret with JSON 401s", async () => {
    for (const secret of [null, "wrong", `${SECRET}x`, LOCAL_ADMIN_SECRET]) {
      const res = await admin("GET", "/projects/p/keys", { secret });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: "unauthorized" });
    }
    const basic = await app.request("http://hub/admin/projects/p/keys", { headers: { authorization: `Basic ${btoa(`x:${SECRET}`)}` } }, withSecret);
    expect(basic.status).toBe(401);
    expect((await admin("GET", "/projects/p/keys")).status).toBe(200);
  });
});

describe("key administration", () => {
  it("creates a key whose plaintext is shown once, lists keys without secrets, and revokes", async () => {
    const created = await admin("POST", "/projects/admin-a/keys", { body: JSON.stringify({ label: "ci" }) });
    expect(created.status).toBe(201);
    const first = (await created.json()) as KeyView;
    expect(first).toMatchObject({ projectId: "admin-a", label: "ci", revokedAt: null });
    expect(first.key).toMatch(/^fxk_[A-Za-z0-9_-]{43}$/);
    const second = (await (await admin("POST", "/projects/admin-a/keys")).json()) as KeyView;
    expect(second.label).toBeNull();
    await admin("POST", "/projects/admin-b/keys");

    const listed = (await (await admin("GET", "/projects/admin-a/keys")).json()) as { keys: KeyView[] };
    expect(listed.keys.map((k) => k.id).sort()).toEqual([first.id, second.id].sort());
    const text = JSON.stringify(listed);
    expect(text).not.toContain(first.key);
    expect(text).not.toContain("hash");

    const revoked = await admin("DELETE", `/projects/admin-a/keys/${first.id}`);
    expect(revoked.status).toBe(200);
    const { revokedAt } = (await revoked.json()) as KeyView;
    expect(Date.parse(revokedAt!)).toBeGreaterThan(0);
    // Revoking again keeps the first time.
    expect(((await (await admin("DELETE", `/projects/admin-a/keys/${first.id}`)).json()) as KeyView).revokedAt).toBe(revokedAt);
    const after = (await (await admin("GET", "/projects/admin-a/keys")).json()) as { keys: KeyView[] };
    expect(after.keys.find((k) => k.id === first.id)?.revokedAt).toBe(revokedAt);
    expect(after.keys.find((k) => k.id === second.id)?.revokedAt).toBeNull();
  });

  it("answers unknown keys, keys of other projects and bad input with JSON errors", async () => {
    const { id } = (await (await admin("POST", "/projects/admin-c/keys")).json()) as KeyView;
    expect((await admin("DELETE", "/projects/admin-c/keys/nope")).status).toBe(404);
    const elsewhere = await admin("DELETE", `/projects/admin-d/keys/${id}`);
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.json()).toMatchObject({ error: "not_found" });
    expect((await admin("POST", "/projects/admin-c/keys", { body: "{" })).status).toBe(400);
    expect((await admin("POST", "/projects/admin-c/keys", { body: JSON.stringify({ label: 7 }) })).status).toBe(400);
    expect((await admin("POST", "/projects/bad%20project/keys")).status).toBe(400);
  });

  it("refuses everything without ADMIN_SECRET once keys exist", async () => {
    await admin("POST", "/projects/admin-e/keys");
    const res = await app.request("http://hub/admin/projects/admin-e/keys", { headers: { authorization: `Bearer ${LOCAL_ADMIN_SECRET}` } }, env);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: "forbidden", message: expect.stringContaining("ADMIN_SECRET") });
  });
});

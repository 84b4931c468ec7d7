import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../src/http/app";
import { keyValueRoutes } from "../../../src/http/keyvalue";
import { MAX_VALUE_CHARS } from "../../../src/keyvalue/validation";

const app = createApp().route("/api/projects/:projectId/kv", keyValueRoutes);
const url = (key: string, project = "kv-http") => `http://hub/api/projects/${project}/kv/${key}`;
const put = (key: string, body: unknown) =>
  app.request(url(key), { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) }, env);
const data = { value: btoa("hello"), type: "com.example.Greeting", revision: 0, format: "json" };

describe("key-value HTTP routes", () => {
  it("puts, gets and deletes a value; keys may contain slashes and encoded characters", async () => {
    for (const key of ["plain", "with/slash", encodeURIComponent("$snapshot_order 1")]) {
      expect((await app.request(url(key), {}, env)).status).toBe(404);
      expect((await put(key, data)).status).toBe(204);
      const got = await app.request(url(key), {}, env);
      expect(got.status).toBe(200);
      expect(await got.json()).toEqual(data);
      expect((await app.request(url(key), { method: "DELETE" }, env)).status).toBe(204);
      expect((await app.request(url(key), {}, env)).status).toBe(404);
    }
  });

  it("answers bad input with JSON errors", async () => {
    const notJson = await put("k", "{");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "bad_request" });
    const malformed = await put("k", { value: 42 });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toContain("value");
    expect((await put("k", { value: "A".repeat(MAX_VALUE_CHARS + 4) })).status).toBe(413);
    expect((await app.request(url("k", "bad project!"), {}, env)).status).toBe(400);
  });
});

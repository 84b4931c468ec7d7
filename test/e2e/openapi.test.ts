/**
 * The OpenAPI document at /openapi.json: valid OpenAPI 3.1 (checked by @readme/openapi-parser),
 * describing every route of the HTTP application, and never accepting a request the route
 * rejects: each documented body example, path and query parameter is varied (fields removed, replaced by
 * values of other types and ranges), sent to a real hub, and every variation the hub answers with
 * 400 must fail the document's schema too (Ajv, JSON Schema 2020-12, as OpenAPI 3.1 uses). Query
 * probes run first: the body probes end with the admin example, whose first key closes the hub.
 */
import { validate } from "@readme/openapi-parser";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { type Hub, startHub } from "../support/hub";

type Json = any;
const ADMIN = "openapi-test-admin";

let hub: Hub;
let doc: Json;

beforeAll(async () => {
  // An open hub: a key would be rate limited (100/s) long before the probes are done.
  hub = await startHub({ vars: { ADMIN_SECRET: ADMIN } });
  doc = await (await fetch(`${hub.url}/openapi.json`)).json();
});
afterAll(async () => {
  await hub?.dispose();
});

/** Hono's `/a/:b{re}/c` as OpenAPI's `/a/{b}/c`. */
function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

/** Path parameter values that every route accepts the shape of. */
const PATH_VALUES: Record<string, string> = {
  projectId: "public",
  type: "event",
  consumer: "c1",
  trackerId: "t1",
  aggregateId: "a1",
  key: "k1",
  id: "s1",
  collection: "orders",
  index: "1",
  keyId: "k-1",
};

function concretePath(path: string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => PATH_VALUES[name] ?? "x");
}

const ODD_VALUES: unknown[] = [null, 42, -1, 1.5, 0, "", "x", "9".repeat(25), true, [], {}, [1], { a: 1 }];
const ODD_PATH = ["x y", "notification", "NOTIFICATION", "Event", "a/b", "9".repeat(250), "-1", "1.5", "a'b", "é"];
const ODD_QUERY = [
  "",
  "x",
  "-1",
  "0",
  "1.5",
  "99999999999999999999",
  "1700000000000",
  "2026-01-01T00:00:00Z",
  "a:b",
  "event/x/y",
];

/** Variations of `value`: each field (to `depth` levels) removed or replaced by an odd value. */
function variations(value: unknown, depth = 4): unknown[] {
  const out: unknown[] = [...ODD_VALUES];
  if (depth === 0 || value === null || typeof value !== "object") return out;
  const entries = Array.isArray(value) ? value.slice(0, 1).map((v, i) => [i, v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    const put = (replacement: unknown, drop = false) => {
      const copy: any = Array.isArray(value) ? [...value] : { ...value };
      if (drop) Array.isArray(copy) ? copy.splice(Number(k), 1) : delete copy[k];
      else copy[k] = replacement;
      return copy;
    };
    out.push(put(undefined, true));
    for (const replacement of variations(v, depth - 1)) out.push(put(replacement));
  }
  return out;
}

/** Every operation, admin ones last: the admin example creates the hub's first key, which closes it. */
function operations(): { path: string; method: string; op: Json }[] {
  const all = Object.entries(doc.paths).flatMap(([path, item]: [string, Json]) =>
    Object.entries(item).map(([method, op]) => ({ path, method, op: op as Json })),
  );
  return [...all.filter((o) => !o.path.startsWith("/admin/")), ...all.filter((o) => o.path.startsWith("/admin/"))];
}

function headersFor(path: string, json: boolean): Record<string, string> {
  return {
    ...(path.startsWith("/admin/") ? { authorization: `Bearer ${ADMIN}` } : {}),
    ...(json ? { "content-type": "application/json" } : {}),
  };
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every route of the HTTP application", () => {
    const routes = createApp().routes.filter((r) => r.method !== "ALL");
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes
      .filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
    for (const { path, method, op } of operations()) expect(op.summary, `${method} ${path}`).toBeTruthy();
  });

  it("rejects every query parameter value the route rejects", async () => {
    const ajv = new Ajv2020({ strict: false, coerceTypes: true });
    const failures: string[] = [];
    let rejected = 0;
    for (const { path, method, op } of operations()) {
      // Opaque parameters (cursors the API hands out) are valid only as returned; no schema can say so.
      const params = (op.parameters ?? []).filter((p: Json) => p.in === "query" && !p.schema?.["x-opaque"]);
      if (params.length === 0 || method === "delete" || method === "post" || method === "put") continue;
      for (const param of params) {
        const check = ajv.compile({ type: "object", properties: { [param.name]: param.schema } });
        for (const value of ODD_QUERY) {
          const url = `${hub.url}${concretePath(path)}?${new URLSearchParams({ [param.name]: value })}`;
          const res = await fetch(url, { headers: headersFor(path, false) });
          if (res.status !== 400) continue;
          rejected++;
          if (check({ [param.name]: value }))
            failures.push(`${method.toUpperCase()} ${path}?${param.name}=${value} → ${await res.text()}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(rejected).toBeGreaterThan(20);
  });
  it("rejects every path parameter value the route rejects", async () => {
    const ajv = new Ajv2020({ strict: false });
    const failures: string[] = [];
    let rejected = 0;
    // Creating a key closes the open hub: its path is probed through the admin GET and DELETE.
    for (const { path, method, op } of operations().filter((o) => !(o.method === "post" && o.path.startsWith("/admin/")))) {
      const media = op.requestBody?.content?.["application/json"];
      for (const param of (op.parameters ?? []).filter((p: Json) => p.in === "path")) {
        const check = ajv.compile(param.schema ?? {});
        for (const value of ODD_PATH) {
          const url = `${hub.url}${concretePath(path.replace(`{${param.name}}`, encodeURIComponent(value)))}`;
          const res = await fetch(url, {
            method: method.toUpperCase(),
            headers: headersFor(path, Boolean(media)),
            body: media ? JSON.stringify(media.example) : undefined,
          });
          if (res.status !== 400) continue;
          rejected++;
          if (check(value)) failures.push(`${method.toUpperCase()} ${path} with ${param.name}=${value} → ${await res.text()}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(rejected).toBeGreaterThan(20);
  });

  it("accepts each body example the route accepts, and rejects every variation the route rejects", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: false });
    const failures: string[] = [];
    let rejected = 0;
    for (const { path, method, op } of operations()) {
      const media = op.requestBody?.content?.["application/json"];
      if (!media) continue;
      expect(media.example, `${method} ${path} has an example`).toBeDefined();
      const check = ajv.compile(media.schema);
      const url = `${hub.url}${concretePath(path)}`;
      const send = (body: unknown) =>
        fetch(url, { method: method.toUpperCase(), headers: headersFor(path, true), body: JSON.stringify(body) });
      expect(check(media.example), `${method} ${path} example fits its schema`).toBe(true);
      const accepted = await send(media.example);
      expect(accepted.status, `${method} ${path} accepts its example: ${await accepted.clone().text()}`).toBeLessThan(400);
      for (const body of variations(media.example)) {
        const res = await send(body);
        if (res.status !== 400) continue;
        rejected++;
        if (check(body)) failures.push(`${method.toUpperCase()} ${path} ${JSON.stringify(body)} → ${await res.text()}`);
      }
    }
    expect(failures).toEqual([]);
    expect(rejected).toBeGreaterThan(100);
  });
});

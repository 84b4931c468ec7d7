/**
 * The HTTP bad-input sweep: every route of the HTTP API with bad path parameters, bad query
 * strings and bad bodies (not JSON, not UTF-8, too deep, numbers beyond range, wrong types, each
 * field of a valid body bent). No answer may be a 5xx, and every error must be a JSON body naming
 * the problem. The web gateway (`/web/…`) is left out: 504 is its answer when no handler runs.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Hub, startHub } from "../support/hub";

let hub: Hub;
beforeAll(async () => {
  hub = await startHub({ vars: { ADMIN_SECRET } });
});
afterAll(async () => {
  await hub?.dispose();
});

const ADMIN_SECRET = "sweep-admin-secret";
const P = "/api/projects/sweep";
const event = { data: { value: "e30=", type: "T", revision: 0 }, metadata: {}, messageId: "m-1", timestamp: 1 };
const document = { id: "d", value: { a: "b" }, timestamp: 1 };

/**
 * Each route with a valid body (when it takes one), whose fields the sweep bends one by one. The
 * admin routes come last: a bent body that is still valid creates a key, which closes the hub.
 */
const ROUTES: [method: string, path: string, body?: unknown][] = [
  ["GET", "/health"],
  ["POST", `${P}/logs/:type/messages`, { messages: [{ payload: { a: 1 }, type: "T", routingKey: "r", metadata: { k: "v" } }, { data: event.data }] }],
  ["GET", `${P}/logs/:type/messages`],
  ["PUT", `${P}/logs/:type/retention`, { retentionSeconds: 60 }],
  ["GET", `${P}/consumers/:type/:id/lag`],
  ["GET", `${P}/aggregates/:id/events`],
  ["POST", `${P}/aggregates/:id/events`, { events: [event], expectedSequenceNumber: -1 }],
  ["GET", `${P}/kv/:id`],
  ["PUT", `${P}/kv/:id`, { value: "e30=", type: "T", revision: 0, format: "json" }],
  ["DELETE", `${P}/kv/:id`],
  ["POST", `${P}/schedules`, { scheduleId: "s", deadline: Date.now() + 3_600_000, message: event, recurrence: { delayMs: 1000 } }],
  ["GET", `${P}/schedules`],
  ["GET", `${P}/schedules/:id`],
  ["DELETE", `${P}/schedules/:id`],
  ["POST", `${P}/search/search`, { query: { collection: ["c"], constraints: [{ query: "b" }] }, maxSize: 10 }],
  ["POST", `${P}/search/collections/:id/documents`, { documents: [document], ifNotExists: false }],
  ["GET", `${P}/search/collections/:id/documents/:id`],
  ["DELETE", `${P}/search/collections/:id/documents/:id`],
  ["DELETE", `${P}/search/collections/:id`],
  ["GET", `${P}/audit/messages`],
  ["GET", `${P}/audit/messages/:type/:index`],
  ["GET", `${P}/audit/lag`],
  ["GET", `${P}/metrics`],
  ["GET", "/metrics"],
  ["GET", "/admin/projects/:id/keys"],
  ["DELETE", "/admin/projects/sweep/keys/:id"],
  ["POST", "/admin/projects/:id/keys", { label: "x" }],
];


const TYPES = ["event", "EVENT", "notification", "bogus", "%00", "custom"];
const IDS = ["a", "%00raw5", "..", "%2e%2e%2f", "%FF%FE", "%F0%9F%98%80", "x".repeat(5000), "-1", "99999999999999999999", "a%2Fb", "%22%2C%22"];
const INDEXES = ["0", "-1", "abc", "99999999999999999999", "1e400", "117687334689767425"];
const QUERIES = [
  "", "from=-1", "from=abc", "from=99999999999999999999", "limit=0", "limit=1e400", "limit=abc", "limit=-5", "topic=..%2F..",
  "since=garbage", "until=1e400", "cursor=%00%FF", "partition=999", "after=-2", "after=abc", "projectId=%00", "projectId=a%20b",
  "messageId=" + "m".repeat(5000), "type=bogus", "limit=100&limit=abc", "%FF=%FF",
];
const nest = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const BAD_BODIES: (string | Uint8Array)[] = [
  "", "not json", "{", "null", "[]", "1e400", '"text"', nest(5000), `{"a":${nest(100)}}`, '{"a":1e400}', '{"a":-1e400}',
  '{"messages":"x"}', '{"messages":[{}]}', '{"messages":[null]}', '{"events":{}}', '{"documents":[null]}', '{"query":1}',
  '{"retentionSeconds":-1}', '{"retentionSeconds":"x"}', '{"value":"not base64!"}', '{"__proto__":{"x":1}}',
  Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
];
/** Values a bent field takes. */
const BENT = [null, -1, 0, 1.5, 1e300, "", "x".repeat(3000), [], {}, [[[]]], true, "\u0000raw0", "not base64!"];

/** Each field of a valid body replaced by each bent value, or removed. */
function bentBodies(body: unknown): string[] {
  const out: string[] = [];
  const visit = (node: unknown) => {
    if (typeof node !== "object" || node === null) return;
    for (const [k, v] of Object.entries(node)) {
      const container = node as Record<string, unknown>;
      for (const bent of [...BENT, undefined]) {
        container[k] = bent;
        out.push(JSON.stringify(body));
      }
      container[k] = v;
      visit(v);
    }
  };
  visit(body);
  return out;
}

/** Every URL a route template stands for. */
function urls(path: string): string[] {
  let out = [path];
  for (const [name, values] of [[":type", TYPES], [":index", INDEXES], [":id", IDS]] as const) {
    out = out.flatMap((p) => (p.includes(name) ? values.map((v) => p.replace(name, v)) : [p]));
  }
  // Each placeholder was filled with every value; for paths with several, keep the count bounded.
  return out.length > 40 ? out.filter((_, i) => i % Math.ceil(out.length / 40) === 0) : out;
}

describe("HTTP bad-input sweep", () => {
  it("answers every bad input on every route with a 4xx JSON error, never a 5xx", { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    let sent = 0;
    const check = async (method: string, url: string, body?: string | Uint8Array) => {
      sent++;
      const headers: Record<string, string> = url.startsWith("/admin") ? { authorization: `Bearer ${ADMIN_SECRET}` } : {};
      if (body !== undefined) headers["content-type"] = "application/json";
      const response = await fetch(`${hub.url}${url}`, { method, body, headers });
      const text = await response.text();
      const what = `${method} ${url.slice(0, 120)} ${typeof body === "string" ? body.slice(0, 80) : body ? "<bytes>" : ""}`;
      if (response.status >= 500) failures.push(`${response.status} ${what}: ${text.slice(0, 200)}`);
      if (response.status >= 400) {
        let error: unknown;
        try {
          error = JSON.parse(text);
        } catch {
          failures.push(`${response.status} not JSON ${what}: ${text.slice(0, 200)}`);
          return;
        }
        const e = error as { error?: unknown; message?: unknown };
        if (typeof e.error !== "string" || typeof e.message !== "string") failures.push(`${response.status} unnamed ${what}: ${text.slice(0, 200)}`);
      }
    };
    for (const [method, path, valid] of ROUTES) {
      const queries = method === "GET" ? QUERIES : [""];
      const bodies = method === "POST" || method === "PUT" ? [...BAD_BODIES, ...bentBodies(structuredClone(valid))] : [undefined];
      for (const url of urls(path)) {
        for (const q of queries) await check(method, q ? `${url}?${q}` : url, bodies[0]);
      }
      const [first] = urls(path);
      for (const body of bodies.slice(1)) await check(method, first, body);
    }
    console.log(`swept ${sent} requests`);
    expect(failures).toEqual([]);
  });
});

// Every audit query shape is served by an index that yields newest first, so LIMIT stops early;
// at most ties on the index get sorted ("LAST TERM(S) OF ORDER BY"). A messageId selects a handful of
// rows, which are sorted. docs/audit.md shows the plans (they are logged).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type AuditQuery, compileAuditQuery } from "../../../src/audit/audit-query";

const cursor = btoa(JSON.stringify(["120000000000000000", "EVENT", "", 0])).replace(/=+$/, "");
const SHAPES: Record<string, Omit<AuditQuery, "limit">> = {
  "the whole project": {},
  "a time range, next page": { since: 1_700_000_000_000, until: 1_700_000_600_000, cursor },
  "a log type": { type: "EVENT" },
  "a custom topic": { type: "CUSTOM", topic: "orders" },
  "a messageId": { messageId: "m-1" },
  "a correlation id within a log type": { correlationId: "c-1", type: "COMMAND" },
  "a trace id": { traceId: "t-1" },
  "a payload type, since": { payloadType: "com.example.OrderPlaced", since: 1_700_000_000_000 },
};

describe("audit query plans", () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${name} searches an index in result order`, async () => {
      const { sql, params } = compileAuditQuery("plan", { ...shape, limit: 100 });
      const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
      const details = rows.results.map((r) => r.detail);
      expect(details.some((d) => /^SEARCH audit_messages USING (COVERING )?INDEX audit_by_/.test(d)), details.join("\n")).toBe(true);
      expect(details.filter((d) => /^SCAN/.test(d))).toEqual([]);
      if (!shape.messageId) expect(details.filter((d) => d === "USE TEMP B-TREE FOR ORDER BY")).toEqual([]);
      console.log(`-- ${name}\n${details.join("\n")}`);
    });
  }
});

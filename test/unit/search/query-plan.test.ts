import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { compileQuery, parseSearchQuery } from "../../../src/search/search-query";
import { compileOrdering } from "../../../src/search/sorting";

// The main query shapes; docs/search.md shows their plans (log `details` to see them).
const SHAPES: Record<string, { constraints: unknown[]; sorting?: string[] }> = {
  "match at a path": { constraints: [{ match: "tolkien", paths: ["author/name"] }] },
  "contains a word prefix (lookAhead)": { constraints: [{ lookAhead: "hob" }] },
  "query with or and not": { constraints: [{ query: "hobbit | rings !classic" }] },
  "between on a number": { constraints: [{ min: 10, max: 30, paths: ["price"] }] },
  "facet, sorted by a sortable": { constraints: [{ facet: { name: "genre", value: "fantasy" } }], sorting: ["-price"] },
  "exists, oldest first": { constraints: [{ exists: "tags" }], sorting: ["timestamp"] },
};

async function plan(sql: string, params: unknown[]): Promise<string[]> {
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>();
  return rows.results.map((r) => r.detail);
}

describe("query plans", () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${name} uses indexes, never a full table scan`, async () => {
      const query = parseSearchQuery({ collection: "books", constraints: shape.constraints });
      const { where, params } = await compileQuery(query, "plan", async () => []);
      const ordering = compileOrdering(shape.sorting ?? [], null, params);
      const sql = `SELECT d.id FROM search_documents d WHERE ${where} ORDER BY ${ordering.orderBy} LIMIT 100`;
      const details = await plan(sql, params.values);
      const tableScans = details.filter((d) => /^SCAN (search_\w+|d|e|w|f|s)\b/.test(d) && !/USING (COVERING )?INDEX/.test(d));
      expect(tableScans).toEqual([]);
    });
  }
});

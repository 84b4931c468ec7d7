/**
 * What a project's search index holds, mounted under `/api/projects/:projectId/search`: its
 * collections with their document counts, and the facet counts of the documents a query matches
 * (Flux `GetFacetStats`).
 */
import { Hono } from "hono";
import { z } from "zod";
import { checkedElsewhere } from "../protocol/schema-doc";
import { parseSearchQuery } from "../search/search-query";
import { searchQueryShape } from "../search/search-request";
import { SearchStore } from "../search/search-store";
import type { HubEnv } from "./hub-env";
import { doc, query } from "./openapi";
import { jsonBody, projectParam } from "./validation";

const MAX_COLLECTIONS = 1000;

const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(MAX_COLLECTIONS).default(MAX_COLLECTIONS) });
const facetsBody = z
  .object({ query: checkedElsewhere(searchQueryShape, "a Flux SearchQuery: collections, a time window and constraints") })
  .meta({ required: ["query"] });

/** Routes under `/api/projects/:projectId/search` that describe the index. */
export const searchOverviewRoutes = new Hono<HubEnv>()
  .get("/collections", doc({ summary: "Collections with their document counts", tag: "search" }), query(listQuery), async (c) => {
    const store = new SearchStore(c.env.DB, projectParam(c));
    return c.json({ collections: await store.collections(c.req.valid("query").limit) });
  })
  .post(
    "/facets",
    doc({
      summary: "Facet counts of the documents a query matches",
      tag: "search",
      body: facetsBody,
      example: { query: { collections: ["orders"] } },
    }),
    async (c) => {
      const body = await jsonBody(c, facetsBody);
      const store = new SearchStore(c.env.DB, projectParam(c));
      return c.json({ stats: await store.getFacetStats(parseSearchQuery(body.query)) });
    },
  );

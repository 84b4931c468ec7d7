/**
 * JSON HTTP API for search, mounted under `/api/projects/:projectId/search`. Documents go in as
 * plain JSON (flattened into entries as Flux's JacksonInverter would) and come back as JSON;
 * searches take Flux-shaped constraints. Errors are HubErrors for the app's onError.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import { BadRequest, NotFound } from "../errors";
import { stringifyJson } from "../protocol/json";
import { entriesOf } from "../search/document-rows";
import { logDocuments } from "../search/endpoint";
import { JsonNumber, revertJson, serializeJsonDocument, type SerializedDocument } from "../protocol/document";
import { parseJsonKeepingNumbers } from "../search/json-document";
import { parseSearchDocuments, searchDocumentsSchema } from "../search/search-request";
import { parseWith } from "../validation";
import { jsonProblem } from "../protocol/request-check";
import { readJson } from "./validation";
import { doc } from "./openapi";
import { SearchStore } from "../search/search-store";

type Env = { Bindings: Cloudflare.Env };

const MAX_DOCUMENTS = 1000;

// Numbers arrive as JsonNumber (to keep their literal text inside values); metadata wants plain ones.
const millis = z.preprocess((v) => (v instanceof JsonNumber ? Number(v.text) : v), z.number().int()).nullish();
const named = z.array(z.object({ name: z.string(), value: z.string() }));

const indexBody = z.object({
  documents: z
    .array(
      z.object({
        id: z.string().min(1),
        value: z.unknown(),
        timestamp: millis,
        end: millis,
        summary: z.string().nullish(),
        facets: named.optional(),
        indexes: named.optional(),
        type: z.string().nullish(),
      }),
    )
    .min(1)
    .max(MAX_DOCUMENTS),
  ifNotExists: z.boolean().optional(),
});

function project(c: Context<Env>): SearchStore {
  const projectId = c.req.param("projectId");
  if (!projectId) throw new BadRequest("projectId is required");
  return new SearchStore(c.env.DB, projectId);
}

/**
 * A stored document as plain JSON: its metadata plus the value rebuilt from its entries. A value
 * nested too deep to rebuild or write (stored before paths were bounded) is left out, and the
 * document's Flux data is given instead.
 */
function view(d: SerializedDocument): Record<string, unknown> {
  const { document: data, ...meta } = d;
  let value: unknown;
  try {
    value = revertJson(entriesOf(d));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e; // the call stack ran out
    return { ...meta, document: data };
  }
  return jsonProblem(value) ? { ...meta, document: data } : { ...meta, value };
}

// Document values may hold integers beyond 2^53 (as bigint), which c.json cannot write.
function json(c: Context<Env>, value: unknown): Response {
  return c.body(stringifyJson(value), 200, { "content-type": "application/json" });
}

/** Search routes; read the project from the `projectId` path parameter. */
export const searchRoutes = new Hono<Env>()
  .post(
    "/collections/:collection/documents",
    doc({
      summary: "Index documents (plain JSON) in a collection",
      tag: "search",
      body: indexBody,
      example: { documents: [{ id: "o-1", value: { status: "open" }, timestamp: 1700000000000 }] },
    }),
    async (c) => {
      const collection = c.req.param("collection");
      const input = parseWith(indexBody, await readJson(c, parseJsonKeepingNumbers), "");
      const stored = await project(c).indexDocuments(
        input.documents.map((d) => serializeJsonDocument({ ...d, collection })),
        input.ifNotExists ?? false,
      );
      await logDocuments(c.env, c.req.param("projectId")!, stored);
      return json(c, { stored: stored.map((d) => d.id) });
    },
  )
  .get("/collections/:collection/documents/:id", doc({ summary: "One document", tag: "search" }), async (c) => {
    const document = await project(c).getDocument(c.req.param("collection"), c.req.param("id"));
    if (!document) throw new NotFound(`No document ${c.req.param("id")} in ${c.req.param("collection")}`);
    return json(c, view(document));
  })
  .delete(
    "/collections/:collection/documents/:id",
    doc({ summary: "Delete a document", tag: "search", ok: { status: 204, description: "deleted" } }),
    async (c) => {
      await project(c).deleteDocumentById(c.req.param("collection"), c.req.param("id"));
      return c.body(null, 204);
    },
  )
  .delete(
    "/collections/:collection",
    doc({ summary: "Delete a collection", tag: "search", ok: { status: 204, description: "deleted" } }),
    async (c) => {
      await project(c).deleteCollection(c.req.param("collection"));
      return c.body(null, 204);
    },
  )
  .post(
    "/search",
    doc({
      summary: "Search documents with Flux constraints",
      tag: "search",
      body: searchDocumentsSchema,
      example: { query: { collections: ["orders"], constraints: [{ match: "open", paths: ["status"] }] }, maxSize: 10 },
    }),
    async (c) => {
      const matches = await project(c).searchDocuments(parseSearchDocuments(await readJson(c)));
      const views = matches.map(view);
      // Pass `lastHit` back to get the next page.
      return json(c, { matches: views, lastHit: views.length > 0 ? views[views.length - 1] : null });
    },
  );

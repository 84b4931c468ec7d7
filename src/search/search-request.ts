/**
 * Reads the JSON bodies of search requests (the Flux wire form, also used by the HTTP API) into
 * the store's typed inputs, rejecting malformed input with BadRequest.
 */
import { z } from "zod";
import { parseWith } from "../validation";
import { checkedElsewhere } from "../protocol/schema-doc";
import { parsePaths } from "./constraint-json";
import { parseSearchQuery } from "./search-query";
import { type DocumentUpdate, MAX_SEARCH_SIZE, type SearchRequest } from "./search-store";
import type { SerializedDocument } from "../protocol/document";

// What parseSearchQuery and parseConstraint accept, for the OpenAPI document (they keep their own
// wording for errors). Nested constraints (all, any, not) are the same shapes, checked recursively.
const pathQuery = z.string().max(512).regex(/^(?!.*--)[^\u0000-\u001f';`=<>()]*$/, "a path without ' ; ` = < > ( ) or --");
const pathsField = z.union([pathQuery, z.array(pathQuery)]).nullish();
const textField = z.string().max(10_000);
const scalarField = z.union([textField, z.number(), z.boolean()]);
const flagField = z.boolean().nullish();
const nestedConstraint = z.looseObject({});
const nestedList = z.union([z.array(nestedConstraint), nestedConstraint]);
const constraintShape = z.union([
  z.strictObject({ all: nestedList }),
  z.strictObject({ any: nestedList }),
  z.strictObject({ not: nestedConstraint }),
  z.strictObject({ match: scalarField, strict: flagField, paths: pathsField, path: pathsField }),
  z.strictObject({ contains: textField, prefixSearch: flagField, postfixSearch: flagField, paths: pathsField, path: pathsField }),
  z.strictObject({ min: z.union([textField, z.number()]).nullable(), max: z.union([textField, z.number()]).nullish(), paths: pathsField, path: pathsField }),
  z.strictObject({ max: z.union([textField, z.number()]).nullable(), paths: pathsField, path: pathsField }),
  z.strictObject({ exists: pathQuery }),
  z.strictObject({ query: textField, lookAheadForAllTerms: flagField, paths: pathsField, path: pathsField }),
  z.strictObject({ lookAhead: textField, paths: pathsField, path: pathsField }),
  z.strictObject({ facet: z.looseObject({ name: textField, value: scalarField }) }),
]);
const collectionNames = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const queryFields = {
  since: z.string().nullish().describe("ISO-8601"),
  before: z.string().nullish().describe("ISO-8601"),
  constraints: z.union([z.array(constraintShape), constraintShape]).nullish(),
};
/** What parseSearchQuery accepts, as a zod schema for the document. */
export const searchQueryShape = z.union([
  z.looseObject({ collection: collectionNames, ...queryFields }),
  z.looseObject({ collections: collectionNames, ...queryFields }),
]);

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === "string" ? [v] : v));

/** SearchDocuments as JSON. */
export const searchDocumentsSchema = z.object({
  query: checkedElsewhere(searchQueryShape, "a Flux SearchQuery: collections, a time window and constraints"),
  sorting: stringList.nullish(),
  // Checked by the store, which names the range; stated here for the document.
  maxSize: z.number().int().nullish().meta({ minimum: 0, maximum: MAX_SEARCH_SIZE }),
  pathFilters: stringList.nullish(),
  skip: z.number().int().nullish(),
  lastHit: z.object({ id: z.string(), collection: z.string().nullish() }).passthrough().nullish(),
}).meta({ required: ["query"] });

const documentUpdate = z.object({
  type: z.enum(["index", "indexIfNotExists", "delete"]),
  id: z.string().min(1),
  collection: z.string().min(1),
  object: z.object({}).passthrough().nullish(),
});

/** SearchDocuments fields: query, sorting, maxSize, pathFilters, skip, lastHit. */
export function parseSearchDocuments(json: unknown): SearchRequest {
  const r = parseWith(searchDocumentsSchema, json, "");
  return {
    query: parseSearchQuery(r.query),
    sorting: r.sorting ?? [],
    maxSize: r.maxSize ?? null,
    pathFilters: parsePaths(r.pathFilters ?? []),
    skip: r.skip ?? 0,
    lastHit: (r.lastHit ?? null) as SerializedDocument | null,
  };
}

/** BulkUpdateDocuments `updates`. */
export function parseDocumentUpdates(json: unknown): DocumentUpdate[] {
  return parseWith(z.array(documentUpdate.nullable()), json ?? [], "updates")
    .filter((u) => u !== null) as DocumentUpdate[];
}

/** A list of strings (ids, fields, groupBy), absent meaning empty. */
export function parseStrings(json: unknown, what: string): string[] {
  return parseWith(stringList.nullish(), json, what) ?? [];
}

/** A list of SerializedDocuments; each is validated when its rows are built. */
export function parseDocuments(json: unknown): SerializedDocument[] {
  return parseWith(z.array(z.object({}).passthrough()), json, "documents") as unknown as SerializedDocument[];
}

/**
 * Reads the JSON bodies of search requests (the Flux wire form, also used by the HTTP API) into
 * the store's typed inputs, rejecting malformed input with BadRequest.
 */
import { z } from "zod";
import { BadRequest } from "../errors";
import { parsePaths } from "./constraint-json";
import { parseSearchQuery } from "./search-query";
import type { DocumentUpdate, SearchRequest } from "./search-store";
import type { SerializedDocument } from "../protocol/document";

const stringList = z.union([z.string(), z.array(z.string())]).transform((v) => (typeof v === "string" ? [v] : v));

const searchDocuments = z.object({
  query: z.unknown(),
  sorting: stringList.nullish(),
  maxSize: z.number().int().nullish(),
  pathFilters: stringList.nullish(),
  skip: z.number().int().nullish(),
  lastHit: z.object({ id: z.string(), collection: z.string().nullish() }).passthrough().nullish(),
});

const documentUpdate = z.object({
  type: z.enum(["index", "indexIfNotExists", "delete"]),
  id: z.string().min(1),
  collection: z.string().min(1),
  object: z.object({}).passthrough().nullish(),
});

/** Parses with a zod schema, turning its issues into one BadRequest message. */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new BadRequest(`Invalid ${what}: ${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  return result.data;
}

/** SearchDocuments fields: query, sorting, maxSize, pathFilters, skip, lastHit. */
export function parseSearchDocuments(json: unknown): SearchRequest {
  const r = parseWith(searchDocuments, json, "search");
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

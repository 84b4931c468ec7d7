/**
 * The Flux `/search` WebSocket endpoint: each search request type mapped to the project's
 * SearchStore, answered with the result body Flux clients expect. Every stored document is also
 * appended to its collection's DOCUMENT log (messageId = document id, metadata $start/$end), which
 * is what @HandleDocument consumers track.
 */
import { BadRequest } from "../errors";
import { appendToLog } from "../log/log-client";
import { VOID, type Endpoint, type FluxRequest, type FluxResult, type SessionInfo } from "../protocol/endpoint";
import type { SerializedMessage } from "../protocol/messages";
import { parseDocuments, parseDocumentUpdates, parseSearchDocuments, parseStrings } from "./search-request";
import { parseSearchQuery } from "./search-query";
import { SearchStore } from "./search-store";
import type { SerializedDocument } from "../protocol/document";

const storeOf = (env: Cloudflare.Env, session: SessionInfo) => new SearchStore(env.DB, session.projectId);

function text(request: FluxRequest, field: string): string {
  const v = request[field];
  if (typeof v !== "string" || v === "") throw new BadRequest(`${request["@type"]}.${field} must be a non-empty string`);
  return v;
}

/** The DOCUMENT log message for a stored document, as Flux's InMemorySearchStore builds it. */
export function documentMessage(d: SerializedDocument, now: number): SerializedMessage {
  const metadata: Record<string, string> = {};
  if (d.timestamp != null) metadata.$start = String(d.timestamp);
  if (d.end != null) metadata.$end = String(d.end);
  return { data: d.document, metadata, messageId: d.id, timestamp: now };
}

/** Appends stored documents to their collections' DOCUMENT logs. */
export async function logDocuments(env: Cloudflare.Env, projectId: string, stored: SerializedDocument[]): Promise<void> {
  const byCollection = new Map<string, SerializedDocument[]>();
  for (const d of stored) byCollection.set(d.collection, [...(byCollection.get(d.collection) ?? []), d]);
  const now = Date.now();
  await Promise.all([...byCollection].map(([collection, docs]) =>
    appendToLog(env, { projectId, type: "DOCUMENT", topic: collection }, docs.map((d) => documentMessage(d, now)))));
}

/** Handlers for every Flux search request type. */
export const searchEndpoint: Endpoint = {
  async indexDocuments(request, session, env): Promise<FluxResult> {
    const stored = await storeOf(env, session).indexDocuments(parseDocuments(request.documents), request.ifNotExists === true);
    await logDocuments(env, session.projectId, stored);
    return VOID;
  },
  async bulkUpdateDocuments(request, session, env): Promise<FluxResult> {
    const stored = await storeOf(env, session).bulkUpdateDocuments(parseDocumentUpdates(request.updates));
    await logDocuments(env, session.projectId, stored);
    return VOID;
  },
  async deleteDocumentById(request, session, env): Promise<FluxResult> {
    await storeOf(env, session).deleteDocumentById(text(request, "collection"), text(request, "id"));
    return VOID;
  },
  async deleteDocuments(request, session, env): Promise<FluxResult> {
    await storeOf(env, session).deleteDocuments(parseSearchQuery(request.query));
    return VOID;
  },
  async deleteCollection(request, session, env): Promise<FluxResult> {
    await storeOf(env, session).deleteCollection(text(request, "collection"));
    return VOID;
  },
  async createAuditTrail(request, session, env): Promise<FluxResult> {
    const retention = request.retentionTimeInSeconds ?? null;
    if (retention !== null && !(typeof retention === "number" && Number.isInteger(retention) && retention >= 0)) {
      throw new BadRequest("createAuditTrail.retentionTimeInSeconds must be a non-negative integer");
    }
    await storeOf(env, session).createAuditTrail(text(request, "collection"), retention);
    return VOID;
  },
  async getDocument(request, session, env): Promise<FluxResult> {
    const document = await storeOf(env, session).getDocument(text(request, "collection"), text(request, "id"));
    return { "@type": "getDocumentResult", document };
  },
  async getDocuments(request, session, env): Promise<FluxResult> {
    const documents = await storeOf(env, session).getDocuments(text(request, "collection"), parseStrings(request.ids, "ids"));
    return { "@type": "getDocumentsResult", documents };
  },
  async hasDocument(request, session, env): Promise<FluxResult> {
    const success = await storeOf(env, session).hasDocument(text(request, "collection"), text(request, "id"));
    return { "@type": "boolean", success };
  },
  async searchDocuments(request, session, env): Promise<FluxResult> {
    const matches = await storeOf(env, session).searchDocuments(parseSearchDocuments(request));
    return { "@type": "searchDocumentsResult", matches };
  },
  async getDocumentStats(request, session, env): Promise<FluxResult> {
    const documentStats = await storeOf(env, session).getDocumentStats(
      parseSearchQuery(request.query), parseStrings(request.fields, "fields"), parseStrings(request.groupBy, "groupBy"));
    return { "@type": "getDocumentStatsResult", documentStats };
  },
  async getFacetStats(request, session, env): Promise<FluxResult> {
    const stats = await storeOf(env, session).getFacetStats(parseSearchQuery(request.query));
    return { "@type": "getFacetStatsResult", stats };
  },
  async getSearchHistogram(request, session, env): Promise<FluxResult> {
    const histogram = await storeOf(env, session).getSearchHistogram(parseSearchQuery(request.query), Number(request.resolution));
    return { "@type": "getSearchHistogramResult", histogram };
  },
};

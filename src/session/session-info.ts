/**
 * Reads a Flux WebSocket connection request: the endpoint path and the `clientId`, `clientName`,
 * `projectId`, `compression` and `topic` query parameters, each checked with a clear error.
 */
import { BadRequest, NotFound } from "../errors";
import { NAME } from "../log/log-path";
import { type Compression, parseCompression } from "../protocol/compression";
import type { SessionInfo } from "../protocol/endpoint";
import { endpointFor } from "./endpoints";

/** What a ClientSession keeps about its socket (also its WebSocket attachment). */
export interface SessionAttachment {
  info: SessionInfo;
  compression: Compression;
  /** The id of the API key the socket opened with; null (or absent) when the hub ran open. */
  keyId?: string | null;
}

/** Parses a WebSocket upgrade URL into the session it opens. */
export function parseSessionRequest(url: URL): SessionAttachment {
  const path = url.pathname.replace(/^\/+|\/+$/g, "");
  if (!endpointFor(path)) throw new NotFound(`no Flux endpoint at /${path}`);
  const q = url.searchParams;
  const clientId = q.get("clientId");
  const clientName = q.get("clientName");
  if (!clientId) throw new BadRequest("query parameter clientId is required");
  if (!clientName) throw new BadRequest("query parameter clientName is required");
  if (clientId.length > 200 || clientName.length > 200) throw new BadRequest("clientId and clientName are at most 200 characters");
  const projectId = q.get("projectId") ?? "public";
  if (!NAME.test(projectId)) throw new BadRequest(`projectId "${projectId}" has characters outside ${NAME.source}`);
  const compression = parseCompression(q.get("compression"));
  if (!compression) throw new BadRequest(`compression must be NONE, GZIP or LZ4, got "${q.get("compression")}"`);
  const topic = q.get("topic");
  if (topic !== null && !NAME.test(topic)) throw new BadRequest(`topic "${topic}" has characters outside ${NAME.source}`);
  return { info: { projectId, clientId, clientName, sessionId: crypto.randomUUID(), path, topic }, compression };
}

/**
 * The shape every Flux WebSocket endpoint implements: a table from request `@type` to a handler.
 * The session that owns the socket decodes frames, runs handlers and applies Flux's reply rules,
 * so capabilities only turn a request into a result.
 */

import type { Compression } from "./compression";

/** Who is asking: fixed for the lifetime of a WebSocket session. */
export interface SessionInfo {
  projectId: string;
  clientId: string;
  clientName: string;
  /** Unique per socket; names the ClientSession object that owns it. */
  sessionId: string;
  /** The endpoint path without leading slash, e.g. `tracking/readevent` or `keyValue`. */
  path: string;
  /** `topic` query parameter, for CUSTOM and DOCUMENT logs. */
  topic: string | null;
  /** How the socket's frames are compressed, where a socket is (a partition may send LZ4 frames it made ahead). */
  compression?: Compression;
}

/** A decoded Flux request: `@type`, `requestId` and the request's own fields. */
export interface FluxRequest {
  "@type": string;
  requestId?: number | bigint;
  [field: string]: unknown;
}

/** A result body without `requestId` and `timestamp`, which the session adds. */
export interface FluxResult {
  "@type": string;
  [field: string]: unknown;
}

/**
 * Handles one request. Returns the result to send (an object, or its JSON text when another
 * object already encoded it), or `null` when the request is answered later (a parked Read,
 * delivered through the session) and nothing must be sent now.
 */
export type RequestHandler<E = Cloudflare.Env, R = FluxResult> = (request: FluxRequest, session: SessionInfo, env: E) => Promise<R | null>;

/** A Flux endpoint: the requests it understands. */
export type Endpoint<E = Cloudflare.Env, R = FluxResult> = Readonly<Record<string, RequestHandler<E, R>>>;

/** An endpoint some of whose results arrive already encoded as JSON text. */
export type EncodingEndpoint<E = Cloudflare.Env> = Endpoint<E, FluxResult | string>;

/** Flux request types that extend `Command`: they get a reply only with guarantee STORED. */
export const COMMAND_TYPES: ReadonlySet<string> = new Set([
  "append", "setRetentionTime", "storePosition", "resetPosition", "disconnectTracker",
  "appendEvents", "deleteEvents", "updateRelationships", "repairRelationships",
  "storeValues", "storeValueIfAbsent", "deleteValue",
  "schedule", "cancelSchedule",
  "indexDocuments", "bulkUpdateDocuments", "deleteDocumentById", "deleteDocuments", "deleteCollection", "createAuditTrail",
]);

/**
 * Requests that may start together with their neighbours of the same type in one frame. Appends
 * qualify: they keep their order through the log's coalescer, which turns a frame's appends into
 * one call per partition. Everything else runs strictly one after another.
 */
export const CONCURRENT_TYPES: ReadonlySet<string> = new Set(["append"]);

/** The `VoidResult` body. */
export const VOID: FluxResult = { "@type": "void" };

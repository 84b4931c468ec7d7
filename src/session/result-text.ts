/**
 * A result as it goes on the wire: its JSON with the `requestId` it answers and a `timestamp`, and
 * the ErrorResult for a failure. Used wherever results are made: the session's dispatch and reply
 * budget, and the objects that answer parked Reads.
 */
import { HubError, restoreError } from "../errors";
import type { FluxRequest, FluxResult } from "../protocol/endpoint";
import { stringifyJson } from "../protocol/json";
import { isLong } from "../protocol/request-check";

/** Serialises a result (or an already encoded result body) for the request it answers. */
export function resultText(result: FluxResult | string, requestId: FluxRequest["requestId"]): string {
  // Only a Flux long is ever written as the id: anything else would be pasted into the JSON.
  const id = isLong(requestId) ? String(requestId) : "-1";
  if (typeof result === "string") return `${result.slice(0, -1)},"requestId":${id},"timestamp":${Date.now()}}`;
  return stringifyJson({ ...result, requestId: isLong(requestId) ? requestId : -1, timestamp: Date.now() });
}

/** The ErrorResult for a failure, with a message safe to show the client. */
export function errorResult(error: unknown): FluxResult {
  const e = restoreError(error);
  if (e instanceof HubError) return { "@type": "error", message: e.message };
  console.error("request failed", e);
  return { "@type": "error", message: "internal error" };
}

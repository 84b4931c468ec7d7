/**
 * Whether anyone reads a log: the hub's `GET /api/projects/:projectId/trackers/:type` counts the
 * trackers connected to the log's consumers. Queries ask it when their answer is late, so that a
 * query nobody can handle fails at once instead of at its timeout.
 */
import type { MessageType } from "../protocol/messages";
import type { Endpoints } from "./endpoints";

/** Trackers connected to `messageType`'s log; null when the hub cannot be asked (an older hub, a browser without CORS). */
export async function trackerCount(endpoints: Endpoints, messageType: MessageType): Promise<number | null> {
  const project = encodeURIComponent(endpoints.settings.projectId ?? "public");
  try {
    const response = await fetch(`${endpoints.httpBase}/api/projects/${project}/trackers/${messageType.toLowerCase()}`, {
      headers: endpoints.httpHeaders,
      signal: AbortSignal.timeout(5_000),
    });
    if (!response.ok) return null;
    const body = (await response.json()) as { trackers?: unknown };
    return typeof body.trackers === "number" ? body.trackers : null;
  } catch {
    return null;
  }
}

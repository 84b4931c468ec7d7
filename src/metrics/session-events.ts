/**
 * The METRICS messages Flux publishes for every WebSocket session: `ConnectEvent` when it opens and
 * `DisconnectEvent` when it closes (the Flux proxy relies on the latter to close browser sockets).
 * The same two moments keep the session registry that metrics count open sockets from.
 */
import { appendToLog } from "../log/log-client";
import { toBase64 } from "../protocol/base64";
import type { SessionInfo } from "../protocol/endpoint";
import type { SerializedMessage } from "../protocol/messages";
import { registerSession, unregisterSessions } from "./registry";

const utf8 = new TextEncoder();

function metricsMessage(type: string, event: Record<string, unknown>, info: SessionInfo): SerializedMessage {
  return {
    data: { value: toBase64(utf8.encode(JSON.stringify(event))), type, revision: 0, format: "application/json" },
    metadata: { $applicationId: "flux-edge", $clientId: info.clientId },
    messageId: crypto.randomUUID(),
    timestamp: Date.now(),
    source: info.clientId,
  };
}

function eventFields(info: SessionInfo) {
  return { client: info.clientName, clientId: info.clientId, sessionId: info.sessionId, timestamp: Date.now(), service: info.path };
}

/** Publishes `ConnectEvent` for a session that just opened, and registers the session. */
export function publishConnect(env: Cloudflare.Env, info: SessionInfo): Promise<unknown> {
  const message = metricsMessage("io.fluxcapacitor.common.api.ConnectEvent", eventFields(info), info);
  return Promise.all([
    appendToLog(env, { projectId: info.projectId, type: "METRICS", topic: null }, [message]),
    registerSession(env.DB, info),
  ]);
}

/** Publishes `DisconnectEvent` for a session that closed, and unregisters the session. */
export function publishDisconnect(env: Cloudflare.Env, info: SessionInfo, code: number, reason: string): Promise<unknown> {
  const message = metricsMessage("io.fluxcapacitor.common.api.DisconnectEvent", { ...eventFields(info), code, reason }, info);
  return Promise.all([
    appendToLog(env, { projectId: info.projectId, type: "METRICS", topic: null }, [message]),
    unregisterSessions(env.DB, info.projectId, [info.sessionId]),
  ]);
}

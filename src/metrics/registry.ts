/**
 * What metrics can enumerate, kept in D1 because Durable Objects cannot be listed: the logs of a
 * project (the audit trail's `audit_partitions`, written by every partition's audit feed), its
 * consumers (noted when a Consumer object starts) and its open sessions (noted on connect, dropped
 * on disconnect). None of these writes sits on the append path.
 */
import type { LogAddress } from "../log/log-address";
import { type LogType, type MessageType, logTypeOf } from "../protocol/messages";
import type { SessionInfo } from "../protocol/endpoint";
import type { ConsumerTarget } from "../tracking/consumer-name";

/** Most logs, consumers or sessions one metrics request looks at. */
export const MAX_LISTED = 500;

/** A registry listing, cut at MAX_LISTED. */
export interface Listing<T> {
  items: T[];
  truncated: boolean;
}

/** An open session as registered. */
export interface OpenSession {
  sessionId: string;
  clientId: string;
  clientName: string;
  service: string;
}

function listing<T>(rows: T[]): Listing<T> {
  return { items: rows.slice(0, MAX_LISTED), truncated: rows.length > MAX_LISTED };
}

/** Notes a consumer (idempotent). */
export async function registerConsumer(db: D1Database, target: ConsumerTarget): Promise<void> {
  await db
    .prepare("INSERT OR IGNORE INTO metrics_consumers (project_id, message_type, topic, consumer) VALUES (?, ?, ?, ?)")
    .bind(target.log.projectId, target.messageType, target.log.topic ?? "", target.consumer)
    .run();
}

/** Notes a session that opened. */
export async function registerSession(db: D1Database, info: SessionInfo, now = Date.now()): Promise<void> {
  await db
    .prepare(
      "INSERT OR REPLACE INTO metrics_sessions (project_id, session_id, client_id, client_name, service, opened_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(info.projectId, info.sessionId, info.clientId, info.clientName, info.path, now)
    .run();
}

/** Forgets sessions that closed. */
export async function unregisterSessions(db: D1Database, projectId: string, sessionIds: string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  await db.batch(
    sessionIds.map((id) => db.prepare("DELETE FROM metrics_sessions WHERE project_id = ? AND session_id = ?").bind(projectId, id)),
  );
}

/** The logs of a project that stored messages. */
export async function knownLogs(db: D1Database, projectId: string): Promise<Listing<LogAddress>> {
  const { results } = await db
    .prepare("SELECT DISTINCT log_type, topic FROM audit_partitions WHERE project_id = ? ORDER BY log_type, topic LIMIT ?")
    .bind(projectId, MAX_LISTED + 1)
    .all<{ log_type: LogType; topic: string }>();
  return listing(results.map((r) => ({ projectId, type: r.log_type, topic: r.topic === "" ? null : r.topic })));
}

/** The consumers of a project. */
export async function knownConsumers(db: D1Database, projectId: string): Promise<Listing<ConsumerTarget>> {
  const { results } = await db
    .prepare("SELECT message_type, topic, consumer FROM metrics_consumers WHERE project_id = ? ORDER BY message_type, topic, consumer LIMIT ?")
    .bind(projectId, MAX_LISTED + 1)
    .all<{ message_type: MessageType; topic: string; consumer: string }>();
  return listing(
    results.map((r) => ({
      log: { projectId, type: logTypeOf(r.message_type), topic: r.topic === "" ? null : r.topic },
      messageType: r.message_type,
      consumer: r.consumer,
    })),
  );
}

/** The ids of every session registered as open, of every project. */
export async function listAllSessions(db: D1Database): Promise<string[]> {
  const { results } = await db.prepare("SELECT session_id FROM metrics_sessions").all<{ session_id: string }>();
  return results.map((r) => r.session_id);
}

/** The sessions of a project registered as open. */
export async function knownSessions(db: D1Database, projectId: string): Promise<Listing<OpenSession>> {
  const { results } = await db
    .prepare(
      "SELECT session_id AS sessionId, client_id AS clientId, client_name AS clientName, service FROM metrics_sessions WHERE project_id = ? ORDER BY session_id LIMIT ?",
    )
    .bind(projectId, MAX_LISTED + 1)
    .all<OpenSession>();
  return listing(results);
}

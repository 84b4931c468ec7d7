/**
 * Audit searches on D1: filters compiled to one indexed SELECT, newest first, with keyset paging
 * on the row's full order key so that every hit comes exactly once. Each filter that can pick an
 * index names it (INDEXED BY), most selective first, so that no combination falls back to a scan.
 */
import { minIndexFromMillis, millisFromIndex } from "../log/index-clock";
import type { LogType } from "../protocol/messages";
import { fromBase64, toBase64 } from "../protocol/base64";
import { BadRequest } from "../errors";
import type { AuditKeys } from "./audit-row";

/** An audit search of one project. Omitted filters match everything. */
export interface AuditQuery {
  type?: LogType;
  topic?: string;
  /** Appended at or after (epoch ms). */
  since?: number;
  /** Appended before (epoch ms). */
  until?: number;
  messageId?: string;
  correlationId?: string;
  traceId?: string;
  payloadType?: string;
  limit: number;
  /** The `next` of the previous page. */
  cursor?: string;
}

/** One hit: the keys of a message and where it is stored. */
export interface AuditHit extends Omit<AuditKeys, "index"> {
  type: LogType;
  topic: string | null;
  partition: number;
  /** The Flux index, as a string (it exceeds 2^53). */
  index: string;
  /** When the hub stored the message (epoch ms, from the index). */
  appendedAt: number;
}

/** A page of hits; `next` is null on the last page. */
export interface AuditPage {
  hits: AuditHit[];
  next: string | null;
}

/** The filters that select an index, most selective first, with the column each compares. */
const KEYED = [
  { filter: "messageId", column: "message_id", index: "audit_by_message_id" },
  { filter: "correlationId", column: "correlation_id", index: "audit_by_correlation" },
  { filter: "traceId", column: "trace_id", index: "audit_by_trace" },
  { filter: "payloadType", column: "payload_type", index: "audit_by_payload_type" },
  { filter: "type", column: "log_type", index: "audit_by_type" },
] as const;

const COLUMNS =
  "log_type, topic, partition, CAST(msg_index AS TEXT) AS idx, ts, message_id, payload_type, correlation_id, trace_id, metadata";
// An alias named like a column would make ORDER BY sort the alias (text) instead of using the index.
const ORDER = "msg_index DESC, log_type DESC, topic DESC, partition DESC";

interface AuditRecord extends Record<string, unknown> {
  log_type: string;
  topic: string;
  partition: number;
  idx: string;
  ts: number | null;
  message_id: string;
  payload_type: string | null;
  correlation_id: string | null;
  trace_id: string | null;
  metadata: string | null;
}

/** The order key of the last hit of a page, which the next page continues after. */
type PageKey = [index: string, type: string, topic: string, partition: number];

/** The SQL and parameters of a search (exported for the query-plan test). */
export function compileAuditQuery(projectId: string, q: AuditQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [projectId];
  const bind = (v: unknown) => `?${params.push(v)}`;
  const where = ["project_id = ?1"];
  for (const k of KEYED) {
    const value = q[k.filter];
    if (value !== undefined) where.push(`${k.column} = ${bind(value)}`);
  }
  if (q.topic !== undefined) where.push(`topic = ${bind(q.topic)}`);
  // Time filters are index ranges: an index is the append millisecond shifted left by 16 bits.
  if (q.since !== undefined) where.push(`msg_index >= ${bind(minIndexFromMillis(q.since).toString())}`);
  if (q.until !== undefined) where.push(`msg_index < ${bind(minIndexFromMillis(q.until).toString())}`);
  if (q.cursor !== undefined) {
    const [index, type, topic, partition] = decodeCursor(q.cursor);
    const i = bind(index);
    where.push(`msg_index <= ${i} AND (msg_index < ${i} OR (log_type, topic, partition) < (${bind(type)}, ${bind(topic)}, ${bind(partition)}))`);
  }
  const index = KEYED.find((k) => q[k.filter] !== undefined)?.index ?? "audit_by_time";
  const sql = `SELECT ${COLUMNS} FROM audit_messages INDEXED BY ${index} WHERE ${where.join(" AND ")} ORDER BY ${ORDER} LIMIT ${bind(q.limit)}`;
  return { sql, params };
}

/** Runs a search: up to `limit` hits, newest first. */
export async function searchAudit(db: D1Database, projectId: string, q: AuditQuery): Promise<AuditPage> {
  const { sql, params } = compileAuditQuery(projectId, q);
  const { results } = await db.prepare(sql).bind(...params).all<AuditRecord>();
  const hits = results.map(toHit);
  const last = results[results.length - 1];
  const next = results.length === q.limit ? encodeCursor([last.idx, last.log_type, last.topic, last.partition]) : null;
  return { hits, next };
}

/** The audit rows of one index of one log; several when partitions share the index and none is named. */
export async function findAudited(
  db: D1Database,
  projectId: string,
  at: { type: LogType; topic: string | null; index: bigint; partition?: number },
): Promise<AuditHit[]> {
  const partition = at.partition === undefined ? "" : " AND partition = ?5";
  const params: unknown[] = [projectId, at.type, at.topic ?? "", at.index.toString()];
  if (at.partition !== undefined) params.push(at.partition);
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM audit_messages WHERE project_id = ?1 AND log_type = ?2 AND topic = ?3 AND msg_index = ?4${partition} LIMIT 10`)
    .bind(...params)
    .all<AuditRecord>();
  return results.map(toHit);
}

function toHit(r: AuditRecord): AuditHit {
  return {
    type: r.log_type as LogType,
    topic: r.topic === "" ? null : r.topic,
    partition: r.partition,
    index: r.idx,
    appendedAt: millisFromIndex(BigInt(r.idx)),
    timestamp: r.ts,
    messageId: r.message_id,
    payloadType: r.payload_type,
    correlationId: r.correlation_id,
    traceId: r.trace_id,
    metadata: r.metadata === null ? null : (JSON.parse(r.metadata) as Record<string, string>),
  };
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function encodeCursor(key: PageKey): string {
  return toBase64(utf8.encode(JSON.stringify(key))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCursor(cursor: string): PageKey {
  try {
    const key = JSON.parse(utf8Decoder.decode(fromBase64(cursor.replace(/-/g, "+").replace(/_/g, "/")))) as unknown;
    if (
      Array.isArray(key) && key.length === 4 && typeof key[0] === "string" && /^\d{1,19}$/.test(key[0]) &&
      typeof key[1] === "string" && typeof key[2] === "string" && Number.isInteger(key[3])
    ) {
      return key as PageKey;
    }
  } catch {
    // Reported below, like any other malformed cursor.
  }
  throw new BadRequest("cursor: not a cursor this API returned");
}

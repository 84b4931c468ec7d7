/**
 * The D1 statements of one feed run, for one `db.batch` (one round trip, one transaction): the
 * rows travel as JSON arrays expanded by `json_each`, thousands per statement, never one
 * statement per message. INSERT OR IGNORE on the row's address makes a repeated run harmless.
 */
import { jsonChunks } from "../search/write-statements";
import type { AuditKeys, PartitionIdentity } from "./audit-row";

const INSERT_MESSAGES =
  "INSERT OR IGNORE INTO audit_messages (project_id, log_type, topic, partition, msg_index, ts, message_id, payload_type, correlation_id, trace_id, metadata) " +
  // The index travels as a string: it exceeds 2^53, and CAST keeps it exact.
  "SELECT ?1, ?2, ?3, ?4, CAST(j.value->>0 AS INTEGER), j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6 FROM json_each(?5) j";

const REGISTER_PARTITION = "INSERT OR IGNORE INTO audit_partitions (project_id, log_type, topic, partition) VALUES (?1, ?2, ?3, ?4)";

/** Statements that store the keys of `messages` of one partition and register the partition. */
export function feedStatements(db: D1Database, log: PartitionIdentity, messages: readonly AuditKeys[]): D1PreparedStatement[] {
  const address = [log.projectId, log.type, log.topic ?? "", log.partition] as const;
  const rows = messages.map((k) => [
    k.index.toString(), k.timestamp, k.messageId, k.payloadType, k.correlationId, k.traceId,
    k.metadata === null ? null : JSON.stringify(k.metadata),
  ]);
  return [
    db.prepare(REGISTER_PARTITION).bind(...address),
    ...jsonChunks(rows).map((chunk) => db.prepare(INSERT_MESSAGES).bind(...address, chunk)),
  ];
}

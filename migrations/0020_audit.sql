-- The audit trail (see docs/audit.md): the searchable keys of every message appended to any log,
-- fed in batches by each LogPartition's alarm. The message itself stays in its partition; a row
-- holds its address (log, partition, index) to read it back. Every key starts with project_id.
-- WITHOUT ROWID: the primary key is the row, and every secondary index carries the key columns,
-- so "newest first" (msg_index, then log_type, topic, partition) is the order of each index.
CREATE TABLE audit_messages (
  project_id     TEXT    NOT NULL,
  log_type       TEXT    NOT NULL,  -- the log's message type: EVENT, COMMAND, CUSTOM, …
  topic          TEXT    NOT NULL,  -- CUSTOM topic or DOCUMENT collection; '' for other logs
  partition      INTEGER NOT NULL,
  msg_index      INTEGER NOT NULL,  -- Flux index: (append ms << 16) + n, unique per partition
  ts             INTEGER,           -- the message's own timestamp, epoch ms
  message_id     TEXT    NOT NULL,
  payload_type   TEXT,              -- data.type
  correlation_id TEXT,              -- metadata $correlationId
  trace_id       TEXT,              -- metadata $traceId
  metadata       TEXT,              -- metadata as JSON when short (≤ 1 KB), else NULL
  PRIMARY KEY (project_id, log_type, topic, partition, msg_index)
) WITHOUT ROWID;
CREATE INDEX audit_by_time ON audit_messages (project_id, msg_index);
CREATE INDEX audit_by_type ON audit_messages (project_id, log_type, msg_index);
CREATE INDEX audit_by_message_id ON audit_messages (project_id, message_id);
CREATE INDEX audit_by_correlation ON audit_messages (project_id, correlation_id, msg_index) WHERE correlation_id IS NOT NULL;
CREATE INDEX audit_by_trace ON audit_messages (project_id, trace_id, msg_index) WHERE trace_id IS NOT NULL;
CREATE INDEX audit_by_payload_type ON audit_messages (project_id, payload_type, msg_index) WHERE payload_type IS NOT NULL;

-- Log partitions that have fed the audit trail, so the lag of a project can ask each of them
-- (Durable Objects cannot be listed). Written by the feed with its rows.
CREATE TABLE audit_partitions (
  project_id TEXT    NOT NULL,
  log_type   TEXT    NOT NULL,
  topic      TEXT    NOT NULL,  -- '' for logs without a topic
  partition  INTEGER NOT NULL,
  PRIMARY KEY (project_id, log_type, topic, partition)
) WITHOUT ROWID;

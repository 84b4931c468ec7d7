-- Registries for metrics (see docs/metrics.md): Durable Objects cannot be listed, so the consumers
-- and the open sessions of a project are noted here. Logs need no table of their own: every log
-- partition that stored a message is in audit_partitions (0020_audit.sql).

-- Consumers, noted when a Consumer object starts (INSERT OR IGNORE, once per object activation).
CREATE TABLE metrics_consumers (
  project_id   TEXT NOT NULL,
  message_type TEXT NOT NULL,  -- the type the consumer reads: EVENT, NOTIFICATION, CUSTOM, …
  topic        TEXT NOT NULL,  -- '' for logs without a topic
  consumer     TEXT NOT NULL,
  PRIMARY KEY (project_id, message_type, topic, consumer)
) WITHOUT ROWID;

-- Open WebSocket sessions: a row from ConnectEvent to DisconnectEvent. Sessions a crash ended
-- without a close are removed when a metrics request finds their socket gone.
CREATE TABLE metrics_sessions (
  project_id  TEXT    NOT NULL,
  session_id  TEXT    NOT NULL,
  client_id   TEXT    NOT NULL,
  client_name TEXT    NOT NULL,
  service     TEXT    NOT NULL,  -- the endpoint path, e.g. tracking/readevent
  opened_at   INTEGER NOT NULL,  -- epoch ms
  PRIMARY KEY (project_id, session_id)
) WITHOUT ROWID;

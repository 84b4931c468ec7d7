-- Project API keys (see docs/auth.md). Only the SHA-256 of a key is stored; the plaintext is shown
-- once, when the key is created. Rows are never deleted through the API: revoking sets revoked_at,
-- and any row at all (revoked too) takes the hub out of open mode.
CREATE TABLE api_keys (
  key_hash   TEXT    PRIMARY KEY,     -- lowercase hex SHA-256 of the plaintext key
  id         TEXT    NOT NULL UNIQUE, -- public id, for listing and revoking
  project_id TEXT    NOT NULL,
  label      TEXT,
  created_at INTEGER NOT NULL,        -- epoch ms
  revoked_at INTEGER                  -- epoch ms, NULL while the key is valid
);
CREATE INDEX api_keys_project ON api_keys (project_id, created_at);

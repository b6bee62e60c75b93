-- API keys of the HTTP API (cluster-node, io.jobcluster.node.auth). A key reads
-- jc_<key_id>_<secret>; only the SHA-256 of the whole key is stored, never the key itself.
-- key_id is the public part, safe to show in lists and logs.
-- Same table as the PostgreSQL script. Re-runnable (H2 commits each DDL statement at once).

CREATE TABLE IF NOT EXISTS api_keys (
  key_id VARCHAR(32) NOT NULL PRIMARY KEY,
  tenant VARCHAR(64) NOT NULL,
  -- Comma-separated wire names: submit, read, work, admin.
  scopes VARCHAR NOT NULL,
  -- Lower-case hex SHA-256 of the whole key.
  key_hash VARCHAR(64) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked_at TIMESTAMP WITH TIME ZONE,
  description VARCHAR(255)
);

-- Every request looks its key up by hash.
CREATE UNIQUE INDEX IF NOT EXISTS api_keys_key_hash_idx ON api_keys (key_hash);
-- Listing a tenant's keys.
CREATE INDEX IF NOT EXISTS api_keys_tenant_idx ON api_keys (tenant, created_at);

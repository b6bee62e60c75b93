-- The cluster's secret (cluster-node, io.jobcluster.persistence.ClusterSecretStore): the key of the
-- HMAC that turns (tenant, idempotency key) into a job id. The first node that starts without
-- JOBCLUSTER_CLUSTER_SECRET draws one at random and stores it here; every node reads the same row.
-- Re-runnable.

CREATE TABLE IF NOT EXISTS jobcluster_cluster_secret (
  id INTEGER NOT NULL PRIMARY KEY,
  -- Lower-case hex of 32 random bytes.
  secret VARCHAR(128) NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The jobs read model, kept by the jobs projection (cluster-node, io.jobcluster.node.readmodel)
-- from the job events: one row per job for list, filter, count, the dispatcher's rebuild and the
-- deadline sweep, and one row per status transition for the history. The job entity stays the
-- source of truth; payload, result and progress are read from it, not stored here.
-- Same tables as the PostgreSQL script; H2 has no partial indexes, so the dispatch and deadline
-- indexes are full ones. Re-runnable (H2 commits each DDL statement at once).

CREATE TABLE IF NOT EXISTS jobs (
  id VARCHAR(36) NOT NULL PRIMARY KEY,
  tenant VARCHAR(255),
  queue VARCHAR(64) NOT NULL,
  type VARCHAR(128) NOT NULL,
  status VARCHAR(16) NOT NULL,
  priority SMALLINT NOT NULL,
  attempts INTEGER NOT NULL,
  max_attempts INTEGER NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  -- The earliest start the submitter asked for (JobSpec.runAt).
  spec_run_at TIMESTAMP WITH TIME ZONE NOT NULL,
  -- The next run time as the job view shows it: spec_run_at, or the end of backoff while RETRYING.
  run_at TIMESTAMP WITH TIME ZONE NOT NULL,
  expires_at TIMESTAMP WITH TIME ZONE,
  -- When the job last became PENDING; dispatch orders by priority desc, then this.
  ready_at TIMESTAMP WITH TIME ZONE,
  started_at TIMESTAMP WITH TIME ZONE,
  finished_at TIMESTAMP WITH TIME ZONE,
  -- Worker and node of the current or last attempt.
  worker_id VARCHAR(255),
  node VARCHAR(255),
  lease_expires_at TIMESTAMP WITH TIME ZONE,
  -- The entity's next deadline (runAt, backoff end, lease end or expiry); null when it waits for none.
  deadline_at TIMESTAMP WITH TIME ZONE,
  last_error VARCHAR,
  -- Comma-separated (tags cannot contain commas); null for none.
  tags VARCHAR,
  payload_bytes INTEGER NOT NULL,
  -- Sequence number of the last event applied; older events are ignored, so a replay changes nothing.
  last_seq_nr BIGINT NOT NULL
);

-- Listing newest first with a (created_at, id) keyset cursor, per tenant and with each filter.
CREATE INDEX IF NOT EXISTS jobs_tenant_created_idx ON jobs (tenant, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_tenant_status_created_idx ON jobs (tenant, status, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_tenant_queue_created_idx ON jobs (tenant, queue, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS jobs_tenant_type_created_idx ON jobs (tenant, type, created_at DESC, id DESC);
-- Admin listing across tenants.
CREATE INDEX IF NOT EXISTS jobs_created_idx ON jobs (created_at DESC, id DESC);
-- Dispatcher rebuild: a queue's PENDING jobs in dispatch order.
CREATE INDEX IF NOT EXISTS jobs_ready_idx ON jobs (queue, status, priority DESC, ready_at, id);
-- Deadline sweep.
CREATE INDEX IF NOT EXISTS jobs_deadline_idx ON jobs (deadline_at);
-- Per-queue counts of active jobs and the oldest pending one.
CREATE INDEX IF NOT EXISTS jobs_status_queue_idx ON jobs (status, queue, ready_at);

CREATE TABLE IF NOT EXISTS job_history (
  job_id VARCHAR(36) NOT NULL,
  -- The event's sequence number: a replayed event lands on the same key and is ignored.
  seq_nr BIGINT NOT NULL,
  at TIMESTAMP WITH TIME ZONE NOT NULL,
  from_status VARCHAR(16),
  to_status VARCHAR(16) NOT NULL,
  attempt INTEGER NOT NULL,
  worker_id VARCHAR(255),
  node VARCHAR(255),
  detail VARCHAR,
  PRIMARY KEY (job_id, seq_nr)
);

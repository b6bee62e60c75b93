-- Completion webhooks (cluster-node, io.jobcluster.node.webhook).

-- A tenant's webhook secret (the HMAC key of X-Jobcluster-Signature: kept as it is, since signing
-- needs it; shown once when drawn, never logged) and its default webhook URL.
CREATE TABLE IF NOT EXISTS webhook_tenants (
  tenant VARCHAR(64) NOT NULL PRIMARY KEY,
  secret VARCHAR(128),
  secret_created_at TIMESTAMP WITH TIME ZONE,
  default_url VARCHAR(2048)
);

-- Jobs that name a webhook (their own or their tenant's default when submitted), from submission
-- until deletion: what a finishing event of the job is delivered to.
CREATE TABLE IF NOT EXISTS webhook_jobs (
  job_id VARCHAR(36) NOT NULL PRIMARY KEY,
  tenant VARCHAR(64) NOT NULL,
  url VARCHAR(2048) NOT NULL
);

-- One delivery per finishing event of a job (job_id, seq_nr: the event's sequence number).
-- state: pending (next_attempt_at is when it is due; while an attempt runs, when its claim
-- lapses), delivered, dead (gave up after the last attempt).
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  job_id VARCHAR(36) NOT NULL,
  seq_nr BIGINT NOT NULL,
  tenant VARCHAR(64) NOT NULL,
  url VARCHAR(2048) NOT NULL,
  job_status VARCHAR(16) NOT NULL,
  state VARCHAR(16) NOT NULL,
  attempts INT NOT NULL,
  next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL,
  updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (job_id, seq_nr)
);

-- The deliverers look for due deliveries.
CREATE INDEX IF NOT EXISTS webhook_deliveries_due_idx ON webhook_deliveries (state, next_attempt_at);

-- Every attempt of a delivery: when, how long, and the answer's status or the error.
CREATE TABLE IF NOT EXISTS webhook_attempts (
  job_id VARCHAR(36) NOT NULL,
  seq_nr BIGINT NOT NULL,
  attempt INT NOT NULL,
  at TIMESTAMP WITH TIME ZONE NOT NULL,
  duration_ms BIGINT NOT NULL,
  http_status INT,
  error VARCHAR(500),
  PRIMARY KEY (job_id, seq_nr, attempt)
);

-- GET /v1/stats times the jobs finished in a recent window (default the last hour): a tenant's
-- through (tenant, finished_at), an admin's across tenants through (finished_at). Partial, so jobs
-- still active (no finished_at) stay out of both.

CREATE INDEX IF NOT EXISTS jobs_tenant_finished_idx ON jobs (tenant, finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;

-- GET /v1/stats times the jobs finished in a recent window (default the last hour): a tenant's
-- through (tenant, finished_at), an admin's across tenants through (finished_at). Same indexes as
-- the PostgreSQL script, but full ones (H2 has no partial indexes).

CREATE INDEX IF NOT EXISTS jobs_tenant_finished_idx ON jobs (tenant, finished_at);
CREATE INDEX IF NOT EXISTS jobs_finished_idx ON jobs (finished_at);

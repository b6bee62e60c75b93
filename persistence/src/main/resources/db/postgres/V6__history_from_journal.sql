-- A job's history is read from its own events in the journal (node.job.JobHistory): it agrees
-- with the job at once, where this table trailed it by the projection's lag, and it cost three
-- rows per job on the hot path.

DROP TABLE IF EXISTS job_history;

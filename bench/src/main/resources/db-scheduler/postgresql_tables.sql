-- The table db-scheduler 16.7.1 works on, for PostgreSQL: the columns its JdbcTaskRepository
-- reads and writes, as db-scheduler documents them in its repository
-- (db-scheduler/src/test/resources/postgresql_tables.sql, github.com/kagkarlsson/db-scheduler),
-- without the later "state" column that 16.7.1 does not use; "if not exists" added, since one
-- database serves all rates of the latency runs.
create table if not exists scheduled_tasks (
  task_name text not null,
  task_instance text not null,
  task_data bytea,
  execution_time timestamp with time zone not null,
  picked boolean not null,
  picked_by text,
  last_success timestamp with time zone,
  last_failure timestamp with time zone,
  consecutive_failures int,
  last_heartbeat timestamp with time zone,
  version bigint not null,
  priority smallint,
  primary key (task_name, task_instance)
);

create index if not exists execution_time_idx on scheduled_tasks (execution_time);
create index if not exists last_heartbeat_idx on scheduled_tasks (last_heartbeat);
create index if not exists priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);

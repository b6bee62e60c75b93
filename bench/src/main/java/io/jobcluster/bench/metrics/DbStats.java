package io.jobcluster.bench.metrics;

import java.util.Map;
import java.util.TreeMap;

/**
 * One database's activity counters ({@code pg_stat_database}) and rows written per table
 * ({@code pg_stat_user_tables}); the difference of two readings is what happened in between.
 */
public record DbStats(long commits, long rollbacks, long inserted, long updated, long deleted, Map<String, Rows> tables) {

  /** Rows inserted, updated and deleted. */
  public record Rows(long inserted, long updated, long deleted) {
    public long written() {
      return inserted + updated + deleted;
    }

    Rows minus(Rows before) {
      return new Rows(inserted - before.inserted, updated - before.updated, deleted - before.deleted);
    }
  }

  public DbStats {
    tables = Map.copyOf(tables);
  }

  public long written() {
    return inserted + updated + deleted;
  }

  /** What happened since {@code before}; a table that appeared since counts from zero. */
  public DbStats minus(DbStats before) {
    Map<String, Rows> delta = new TreeMap<>();
    tables.forEach((table, rows) -> delta.put(table, rows.minus(before.tables.getOrDefault(table, new Rows(0, 0, 0)))));
    return new DbStats(commits - before.commits, rollbacks - before.rollbacks, inserted - before.inserted,
        updated - before.updated, deleted - before.deleted, delta);
  }
}

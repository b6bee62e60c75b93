package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaMigratorPostgresTest extends SchemaMigratorContract {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @Override
  DatabaseSettings emptyDatabase() {
    return POSTGRES.newDatabase("migrator");
  }

  @Test
  void nodesStartingTogetherApplyTheSchemaExactlyOnce() throws Exception {
    DatabaseSettings db = emptyDatabase();

    List<Long> applied = startTogether(db, 4);

    assertEquals(shippedVersions(db), applied.stream().sorted().toList());
    assertEquals(shippedVersions(db).size(),
        TestJdbc.count(db, "SELECT count(*) FROM " + SchemaMigrator.HISTORY_TABLE));
  }

  @Test
  void nodesStartingTogetherTakeOverTheReplacedRunnersDatabaseOnce() throws Exception {
    DatabaseSettings db = emptyDatabase();
    long recorded = migrateAsTheReplacedRunnerDid(db, REPLACED_RUNNER_LAST_VERSION);

    List<Long> applied = startTogether(db, 4);

    assertEquals(shippedAfter(db, recorded), applied);
    assertEquals(List.of(recorded), TestJdbc.queryLongs(db, APPLIED_VERSIONS, "BASELINE", true));
  }

  /** Runs {@code nodes} migrators at once; returns the versions they applied, all together. */
  private static List<Long> startTogether(DatabaseSettings db, int nodes) throws Exception {
    CountDownLatch ready = new CountDownLatch(nodes);
    ExecutorService executor = Executors.newFixedThreadPool(nodes);
    try {
      List<Future<MigrateResult>> results = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        Callable<MigrateResult> node = () -> {
          ready.countDown();
          ready.await();
          return SchemaMigrator.migrate(db);
        };
        results.add(executor.submit(node));
      }
      List<Long> applied = new ArrayList<>();
      for (Future<MigrateResult> result : results) {
        applied.addAll(versions(result.get(60, TimeUnit.SECONDS)));
      }
      return applied;
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void aFailedMigrationLeavesNoTraceOnPostgres() {
    DatabaseSettings db = emptyDatabase();
    MigrationFolder broken = MigrationFolder.copyOfShipped(migrations, Dialect.POSTGRES)
        .write("V99__broken.sql", "CREATE TABLE broken_probe (id INTEGER);\nSELECT * FROM nowhere;\n");

    assertThrows(SchemaMigrationException.class,
        () -> SchemaMigrator.migrate(db, broken.location()));

    assertFalse(TestJdbc.tableExists(db, "broken_probe"));
    assertFalse(TestJdbc.tableExists(db, "event_journal"));
    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM " + SchemaMigrator.HISTORY_TABLE));
  }

  @Test
  void unreachableDatabaseFailsWithTheUrlButNotThePassword() {
    DatabaseSettings db = DatabaseSettings.postgres(
        "jdbc:postgresql://127.0.0.1:1/jobs?password=urlSecret", "jobcluster", "s3cret");

    SchemaMigrationException e =
        assertThrows(SchemaMigrationException.class, () -> SchemaMigrator.migrate(db));

    assertTrue(e.getMessage().contains("127.0.0.1:1/jobs"), e.getMessage());
    assertFalse(e.getMessage().contains("urlSecret"), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }
}

package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaMigratorH2Test extends SchemaMigratorContract {

  @TempDir Path dataDirectory;
  private final AtomicInteger databases = new AtomicInteger();

  @Override
  DatabaseSettings emptyDatabase() {
    return DatabaseSettings.h2(dataDirectory.resolve("node-" + databases.incrementAndGet()));
  }

  /**
   * H2 commits each DDL statement at once, so a start that died inside a migration runs it again
   * from the top: every shipped H2 script must survive running a second time.
   */
  @Test
  void everyShippedMigrationCanRunAgainAfterAnInterruptedStart() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);

    for (Path script : MigrationFolder.shippedScripts(Dialect.H2)) {
      TestJdbc.update(db, MigrationFolder.read(script));
    }

    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM jobs"));
  }

  /** As with the replaced runner, a failed migration runs again from the top on the next start. */
  @Test
  void runsAFailedMigrationAgainOnTheNextStart() {
    DatabaseSettings db = emptyDatabase();
    MigrationFolder folder = MigrationFolder.copyOfShipped(migrations, Dialect.H2)
        .write("V99__probe.sql", "CREATE TABLE IF NOT EXISTS probe (id INTEGER);\nSELECT * FROM nowhere;\n");
    assertThrows(SchemaMigrationException.class, () -> SchemaMigrator.migrate(db, folder.location()));
    folder.write("V99__probe.sql", "CREATE TABLE IF NOT EXISTS probe (id INTEGER);\n");

    MigrateResult applied = SchemaMigrator.migrate(db, folder.location());

    assertEquals(List.of(99L), versions(applied));
    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM probe"));
  }
}

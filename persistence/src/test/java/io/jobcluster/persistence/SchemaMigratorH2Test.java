package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
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

    for (MigrationCatalog.Script script : MigrationCatalog.load(Dialect.H2, getClass().getClassLoader())) {
      TestJdbc.update(db, script.sql());
    }

    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM jobs"));
  }
}

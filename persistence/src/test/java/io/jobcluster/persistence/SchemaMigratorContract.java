package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the migrator does on every dialect; subclasses supply empty databases. */
abstract class SchemaMigratorContract {

  static final List<String> PLUGIN_TABLES =
      List.of("event_journal", "event_tag", "snapshot", "durable_state");
  static final List<String> READ_MODEL_TABLES =
      List.of("pekko_projection_offset_store", "pekko_projection_management", "jobs");

  @TempDir Path migrations;

  /** A new, empty database. */
  abstract DatabaseSettings emptyDatabase();

  @Test
  void appliesEveryShippedMigrationToAnEmptyDatabaseAndNothingOnTheNextStart() {
    DatabaseSettings db = emptyDatabase();

    List<Migration> first = SchemaMigrator.migrate(db);
    List<Migration> second = SchemaMigrator.migrate(db);

    assertEquals(shippedVersions(db), first.stream().map(Migration::version).toList());
    assertEquals(List.of(1, 2, 3), first.stream().map(Migration::version).toList().subList(0, 3));
    assertEquals(List.of(), second);
    for (String table : PLUGIN_TABLES) {
      assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM " + table), table);
    }
    for (String table : READ_MODEL_TABLES) {
      assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM " + table), table);
    }
    assertEquals(List.of(1L), TestJdbc.queryLongs(db,
        "SELECT version FROM jobcluster_schema_version WHERE checksum = ? AND description = ?"
            + " AND applied_at IS NOT NULL",
        first.get(0).checksum(), "pekko_persistence_jdbc"));
  }

  @Test
  void refusesToStartWhenAnAppliedMigrationWasChanged() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);
    TestJdbc.update(db, "UPDATE jobcluster_schema_version SET checksum = ? WHERE version = ?",
        "0".repeat(64), 1);

    SchemaMigrationException e =
        assertThrows(SchemaMigrationException.class, () -> SchemaMigrator.migrate(db));

    assertTrue(e.getMessage().contains("Migration V1 (pekko_persistence_jdbc) was changed after"
        + " it was applied"), e.getMessage());
    assertTrue(e.getMessage().contains("add a new V<n> migration instead"), e.getMessage());
  }

  @Test
  void appliesOnlyTheMigrationsAddedSinceTheLastStart() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);
    int next = nextVersion(db);
    MigrationFolder folder = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .add("V" + next + "__probe.sql",
            "CREATE TABLE IF NOT EXISTS probe (id VARCHAR(36) PRIMARY KEY, status VARCHAR(16));\n"
                + "CREATE INDEX IF NOT EXISTS probe_status_idx ON probe (status);\n");

    List<Migration> applied = SchemaMigrator.migrate(db, folder.classLoader());

    assertEquals(List.of("probe"), applied.stream().map(Migration::description).toList());
    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM probe"));
    List<Long> expected = new ArrayList<>(shippedVersions(db).stream().map(Long::valueOf).toList());
    expected.add((long) next);
    assertEquals(expected,
        TestJdbc.queryLongs(db, "SELECT version FROM jobcluster_schema_version ORDER BY version"));
    assertEquals(List.of(), SchemaMigrator.migrate(db, folder.classLoader()));
  }

  @Test
  void keepsRunningOnASchemaANewerNodeMigratedFurther() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);
    TestJdbc.update(db, "INSERT INTO jobcluster_schema_version (version, description, checksum)"
        + " VALUES (?, ?, ?)", 99, "from_the_future", "f".repeat(64));

    assertEquals(List.of(), SchemaMigrator.migrate(db));
  }

  @Test
  void namesTheMigrationThatFailed() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);
    int next = nextVersion(db);
    MigrationFolder broken = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .add("V" + next + "__broken.sql", "CREATE TABLE broken_probe (id INTEGER);\nSELECT * FROM nowhere;\n");

    SchemaMigrationException e = assertThrows(SchemaMigrationException.class,
        () -> SchemaMigrator.migrate(db, broken.classLoader()));

    assertTrue(e.getMessage().contains("V" + next + " from db/" + (db.dialect() == Dialect.H2 ? "h2" : "postgres")
        + "/V" + next + "__broken.sql"), e.getMessage());
    assertEquals(shippedVersions(db).stream().map(Long::valueOf).toList(),
        TestJdbc.queryLongs(db, "SELECT version FROM jobcluster_schema_version ORDER BY version"));
  }

  private static List<Integer> shippedVersions(DatabaseSettings db) {
    return MigrationCatalog.load(db.dialect(), SchemaMigratorContract.class.getClassLoader()).stream()
        .map(script -> script.migration().version()).toList();
  }

  private static int nextVersion(DatabaseSettings db) {
    List<Integer> shipped = shippedVersions(db);
    return shipped.get(shipped.size() - 1) + 1;
  }
}

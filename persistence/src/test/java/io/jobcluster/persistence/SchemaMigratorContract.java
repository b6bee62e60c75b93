package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the migrator does on every dialect; subclasses supply empty databases. */
abstract class SchemaMigratorContract {

  static final List<String> PLUGIN_TABLES =
      List.of("event_journal", "event_tag", "snapshot", "durable_state");
  static final List<String> READ_MODEL_TABLES =
      List.of("pekko_projection_offset_store", "pekko_projection_management", "jobs");

  static final String APPLIED_VERSIONS = "SELECT version FROM " + SchemaMigrator.HISTORY_TABLE
      + " WHERE type = ? AND success = ? ORDER BY installed_rank";

  /**
   * The newest script the runner Flyway replaced shipped: a database it migrated is at this
   * version or older, so the take-over always finds the scripts after it to apply.
   */
  static final long REPLACED_RUNNER_LAST_VERSION = 6;

  @TempDir Path migrations;

  /** A new, empty database. */
  abstract DatabaseSettings emptyDatabase();

  @Test
  void appliesEveryShippedMigrationToAnEmptyDatabaseAndNothingOnTheNextStart() {
    DatabaseSettings db = emptyDatabase();

    MigrateResult first = SchemaMigrator.migrate(db);
    MigrateResult second = SchemaMigrator.migrate(db);

    assertEquals(shippedVersions(db), versions(first));
    assertEquals(List.of(1L, 2L, 3L), versions(first).subList(0, 3));
    assertEquals(List.of(), versions(second));
    for (String table : PLUGIN_TABLES) {
      assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM " + table), table);
    }
    for (String table : READ_MODEL_TABLES) {
      assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM " + table), table);
    }
    assertEquals(List.of(1L), TestJdbc.queryLongs(db, "SELECT version FROM "
        + SchemaMigrator.HISTORY_TABLE + " WHERE checksum IS NOT NULL AND description = ?"
        + " AND installed_on IS NOT NULL", "pekko persistence jdbc"));
    assertFalse(TestJdbc.tableExists(db, SchemaMigrator.LEGACY_VERSION_TABLE));
  }

  @Test
  void refusesToStartWhenAnAppliedMigrationWasChanged() {
    DatabaseSettings db = emptyDatabase();
    MigrationFolder folder = MigrationFolder.copyOfShipped(migrations, db.dialect());
    SchemaMigrator.migrate(db, folder.location());
    Path first = MigrationFolder.shippedScripts(db.dialect()).get(0);
    folder.write(first.getFileName().toString(), MigrationFolder.read(first) + "-- edited\n");

    SchemaMigrationException e = assertThrows(SchemaMigrationException.class,
        () -> SchemaMigrator.migrate(db, folder.location()));

    assertTrue(e.getMessage().contains("checksum mismatch for migration version 1"),
        e.getMessage());
    assertTrue(e.getMessage().contains("add a new V<n> migration instead"), e.getMessage());
  }

  @Test
  void acceptsTheShippedScriptsWithWindowsLineEndings() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);
    MigrationFolder windows =
        MigrationFolder.copyOfShipped(migrations, db.dialect()).withWindowsLineEndings();

    assertEquals(List.of(), versions(SchemaMigrator.migrate(db, windows.location())));
  }

  @Test
  void appliesOnlyTheMigrationsAddedSinceTheLastStart() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);
    long next = nextVersion(db);
    MigrationFolder folder = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .write("V" + next + "__probe.sql",
            "CREATE TABLE IF NOT EXISTS probe (id VARCHAR(36) PRIMARY KEY, status VARCHAR(16));\n"
                + "CREATE INDEX IF NOT EXISTS probe_status_idx ON probe (status);\n");

    MigrateResult applied = SchemaMigrator.migrate(db, folder.location());

    assertEquals(List.of("probe"), applied.migrations.stream().map(m -> m.description).toList());
    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM probe"));
    List<Long> expected = new ArrayList<>(shippedVersions(db));
    expected.add(next);
    assertEquals(expected, appliedVersions(db));
    assertEquals(List.of(), versions(SchemaMigrator.migrate(db, folder.location())));
  }

  @Test
  void appliesAMigrationOlderThanOneAppliedBefore() {
    DatabaseSettings db = emptyDatabase();
    long next = nextVersion(db);
    MigrationFolder folder = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .write("V" + (next + 1) + "__second_branch.sql", "CREATE TABLE second_probe (id INTEGER);\n");
    SchemaMigrator.migrate(db, folder.location());
    folder.write("V" + next + "__first_branch.sql", "CREATE TABLE first_probe (id INTEGER);\n");

    MigrateResult applied = SchemaMigrator.migrate(db, folder.location());

    assertEquals(List.of(next), versions(applied));
    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM first_probe"));
  }

  @Test
  void keepsRunningOnASchemaANewerNodeMigratedFurther() {
    DatabaseSettings db = emptyDatabase();
    MigrationFolder newer = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .write("V" + nextVersion(db) + "__from_the_future.sql", "CREATE TABLE future (id INTEGER);\n");
    SchemaMigrator.migrate(db, newer.location());

    assertEquals(List.of(), versions(SchemaMigrator.migrate(db)));
  }

  @Test
  void namesTheMigrationThatFailed() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);
    long next = nextVersion(db);
    MigrationFolder broken = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .write("V" + next + "__broken.sql",
            "CREATE TABLE broken_probe (id INTEGER);\nSELECT * FROM nowhere;\n");

    SchemaMigrationException e = assertThrows(SchemaMigrationException.class,
        () -> SchemaMigrator.migrate(db, broken.location()));

    assertTrue(e.getMessage().contains("V" + next + "__broken.sql"), e.getMessage());
    assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    assertEquals(shippedVersions(db), appliedVersions(db));
  }

  @Test
  void refusesAScriptNotNamedByTheConvention() {
    DatabaseSettings db = emptyDatabase();
    MigrationFolder folder = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .write("v7_jobs.sql", "CREATE TABLE misnamed (id INTEGER);\n");

    SchemaMigrationException e = assertThrows(SchemaMigrationException.class,
        () -> SchemaMigrator.migrate(db, folder.location()));

    assertTrue(e.getMessage().contains("v7_jobs.sql"), e.getMessage());
    assertFalse(TestJdbc.tableExists(db, "event_journal"));
  }

  @Test
  void refusesTwoScriptsWithTheSameVersion() {
    DatabaseSettings db = emptyDatabase();
    long next = nextVersion(db);
    MigrationFolder folder = MigrationFolder.copyOfShipped(migrations, db.dialect())
        .write("V" + next + "__jobs.sql", "CREATE TABLE twin_a (id INTEGER);\n")
        .write("V" + next + "__stats.sql", "CREATE TABLE twin_b (id INTEGER);\n");

    SchemaMigrationException e = assertThrows(SchemaMigrationException.class,
        () -> SchemaMigrator.migrate(db, folder.location()));

    assertTrue(e.getMessage().contains("more than one migration with version " + next),
        e.getMessage());
  }

  @Test
  void refusesToStartWithoutItsScripts() {
    DatabaseSettings db = emptyDatabase();

    SchemaMigrationException e = assertThrows(SchemaMigrationException.class,
        () -> SchemaMigrator.migrate(db, "filesystem:" + migrations.resolve("missing")));

    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void takesOverADatabaseTheReplacedRunnerMigratedWithoutTouchingItsRows() {
    DatabaseSettings db = emptyDatabase();
    long recorded = migrateAsTheReplacedRunnerDid(db, REPLACED_RUNNER_LAST_VERSION);

    MigrateResult first = SchemaMigrator.migrate(db);
    MigrateResult second = SchemaMigrator.migrate(db);

    assertEquals(shippedAfter(db, recorded), versions(first));
    assertEquals(List.of(), versions(second));
    assertEquals(List.of(recorded), TestJdbc.queryLongs(db, APPLIED_VERSIONS, "BASELINE", true));
    assertEquals(1, TestJdbc.count(db, "SELECT count(*) FROM api_keys"));
    assertEquals(shippedVersions(db).stream().filter(version -> version <= recorded).toList(), TestJdbc.queryLongs(db,
        "SELECT version FROM " + SchemaMigrator.LEGACY_VERSION_TABLE + " ORDER BY version"));
  }

  @Test
  void takesOverADatabaseTheReplacedRunnerLeftBehindAndAppliesOnlyNewerScripts() {
    DatabaseSettings db = emptyDatabase();
    long recorded = migrateAsTheReplacedRunnerDid(db, REPLACED_RUNNER_LAST_VERSION - 2);

    MigrateResult applied = SchemaMigrator.migrate(db);

    assertEquals(shippedAfter(db, recorded), versions(applied));
    assertEquals(List.of(recorded), TestJdbc.queryLongs(db, APPLIED_VERSIONS, "BASELINE", true));
    assertEquals(1, TestJdbc.count(db, "SELECT count(*) FROM api_keys"));
    assertEquals(List.of(), versions(SchemaMigrator.migrate(db)));
  }

  /** As the replaced runner did: a schema created by hand from the plugin's script is adopted. */
  @Test
  void adoptsASchemaCreatedWithoutEitherVersionTable() {
    DatabaseSettings db = emptyDatabase();
    TestJdbc.update(db, MigrationFolder.read(MigrationFolder.shippedScripts(db.dialect()).get(0)));
    TestJdbc.update(db, "INSERT INTO event_journal (persistence_id, sequence_number, writer,"
        + " write_timestamp, adapter_manifest, event_ser_id, event_ser_manifest, event_payload)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", "job|1", 1L, "w", 0L, "", 1, "m", new byte[] {1});

    MigrateResult applied = SchemaMigrator.migrate(db);

    assertEquals(shippedVersions(db), versions(applied));
    assertEquals(List.of(0L), TestJdbc.queryLongs(db, APPLIED_VERSIONS, "BASELINE", true));
    assertEquals(1, TestJdbc.count(db, "SELECT count(*) FROM event_journal"));
  }

  /**
   * Leaves {@code db} as the hand-written runner Flyway replaced did, at {@code version} (at most
   * {@link #REPLACED_RUNNER_LAST_VERSION}): the shipped scripts up to that version applied, each
   * recorded in its table with the SHA-256 of its text; and one API key in it. Returns the version.
   */
  static long migrateAsTheReplacedRunnerDid(DatabaseSettings db, long version) {
    TestJdbc.update(db, "CREATE TABLE " + SchemaMigrator.LEGACY_VERSION_TABLE
        + " (version INTEGER NOT NULL PRIMARY KEY,"
        + " description VARCHAR(200) NOT NULL,"
        + " checksum VARCHAR(64) NOT NULL,"
        + " applied_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL)");
    for (Path script : MigrationFolder.shippedScripts(db.dialect())) {
      if (MigrationFolder.version(script) <= version) {
        String sql = MigrationFolder.read(script).replace("\r\n", "\n");
        String name = script.getFileName().toString();
        TestJdbc.update(db, sql);
        TestJdbc.update(db, "INSERT INTO " + SchemaMigrator.LEGACY_VERSION_TABLE
                + " (version, description, checksum) VALUES (?, ?, ?)",
            MigrationFolder.version(script),
            name.substring(name.indexOf("__") + 2, name.length() - ".sql".length()), sha256(sql));
      }
    }
    TestJdbc.update(db, "INSERT INTO api_keys (key_id, tenant, scopes, key_hash, created_at)"
        + " VALUES (?, ?, ?, ?, ?)", "k1", "acme", "read", "a".repeat(64),
        Timestamp.from(Instant.parse("2025-01-01T00:00:00Z")));
    return version;
  }

  /** The shipped versions newer than {@code version}, in order. */
  static List<Long> shippedAfter(DatabaseSettings db, long version) {
    return shippedVersions(db).stream().filter(shipped -> shipped > version).toList();
  }

  static List<Long> shippedVersions(DatabaseSettings db) {
    return MigrationFolder.shippedScripts(db.dialect()).stream()
        .map(script -> (long) MigrationFolder.version(script)).toList();
  }

  static List<Long> versions(MigrateResult result) {
    return result.migrations.stream().map(migration -> Long.valueOf(migration.version)).toList();
  }

  private static List<Long> appliedVersions(DatabaseSettings db) {
    return TestJdbc.queryLongs(db, APPLIED_VERSIONS, "SQL", true);
  }

  private static long nextVersion(DatabaseSettings db) {
    List<Long> shipped = shippedVersions(db);
    return shipped.get(shipped.size() - 1) + 1;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

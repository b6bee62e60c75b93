package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseSettingsTest {

  @Test
  void defaultsToAnEmbeddedH2FileUnderTheDataDirectoryWithWriteDelayZero(@TempDir Path dir) {
    DatabaseSettings db =
        fromConfig(Map.of("data-dir", dir.toString()));

    assertEquals(Dialect.H2, db.dialect());
    assertEquals("jdbc:h2:file:" + dir.toAbsolutePath() + "/jobcluster;WRITE_DELAY=0;"
        + "DATABASE_TO_UPPER=FALSE;DB_CLOSE_ON_EXIT=FALSE", db.url());
    assertEquals("sa", db.user());
    assertEquals("", db.password());
  }

  @Test
  void defaultDataDirectoryIsDataInTheWorkingDirectory() {
    DatabaseSettings db = fromConfig(Map.of("url", " "));

    String expected = Path.of("data").toAbsolutePath().normalize() + "/jobcluster;";
    assertTrue(db.url().startsWith("jdbc:h2:file:" + expected), db.url());
  }

  @Test
  void postgresUrlGetsBatchedInsertsAndTimeoutsOfSeconds() {
    DatabaseSettings db = fromConfig(Map.of(
        "url", "jdbc:postgresql://db.internal:5432/jobs",
        "user", "jobcluster",
        "password", "s3cret"));

    assertEquals(Dialect.POSTGRES, db.dialect());
    assertEquals("jdbc:postgresql://db.internal:5432/jobs?reWriteBatchedInserts=true"
        + "&connectTimeout=5&loginTimeout=10&socketTimeout=60", db.url());
    assertEquals("jobcluster", db.user());
    assertEquals("s3cret", db.password());
  }

  @Test
  void keepsOptionsThePostgresUrlAlreadySets() {
    DatabaseSettings db = DatabaseSettings.postgres(
        "jdbc:postgresql://db/jobs?socketTimeout=600&reWriteBatchedInserts=false", "u", "p");

    assertEquals("jdbc:postgresql://db/jobs?socketTimeout=600&reWriteBatchedInserts=false"
        + "&connectTimeout=5&loginTimeout=10", db.url());
  }

  @Test
  void normalisingAgainChangesNothing() {
    DatabaseSettings postgres = DatabaseSettings.postgres("jdbc:postgresql://db/jobs?", "u", "p");
    DatabaseSettings h2 = new DatabaseSettings("jdbc:h2:mem:jobs;", null, null);

    assertEquals(postgres, new DatabaseSettings(postgres.url(), "u", "p"));
    assertEquals(h2, new DatabaseSettings(h2.url(), "", ""));
    assertEquals("jdbc:h2:mem:jobs;WRITE_DELAY=0;DATABASE_TO_UPPER=FALSE;DB_CLOSE_ON_EXIT=FALSE",
        h2.url());
  }

  @Test
  void givenH2UrlGetsTheRequiredOptionsAndTheDefaultUser() {
    DatabaseSettings db = fromConfig(Map.of(
        "url", "jdbc:h2:file:/var/lib/jobcluster/db;db_close_on_exit=true"));

    assertEquals("jdbc:h2:file:/var/lib/jobcluster/db;db_close_on_exit=true;WRITE_DELAY=0;"
        + "DATABASE_TO_UPPER=FALSE", db.url());
    assertEquals("sa", db.user());
  }

  @Test
  void refusesH2UrlsThatWouldDelayWritesOrUpperCaseTables() {
    IllegalArgumentException delay = assertThrows(IllegalArgumentException.class,
        () -> new DatabaseSettings("jdbc:h2:file:/x/db;WRITE_DELAY=500", "sa", ""));
    assertTrue(delay.getMessage().contains("WRITE_DELAY=0"), delay.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> new DatabaseSettings("jdbc:h2:mem:x;database_to_upper=true", "sa", ""));
  }

  @Test
  void passwordNeverAppearsInToStringOrRedactedUrl() {
    DatabaseSettings db = DatabaseSettings.postgres(
        "jdbc:postgresql://db/jobs?user=x&password=urlSecret", "jobcluster", "s3cret");

    assertFalse(db.toString().contains("s3cret"), db.toString());
    assertFalse(db.toString().contains("urlSecret"), db.toString());
    assertTrue(db.toString().contains("password=***"), db.toString());
    assertFalse(db.redactedUrl().contains("urlSecret"), db.redactedUrl());
  }

  @Test
  void rejectsDatabasesOtherThanPostgresAndH2WithoutShowingThePassword() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> fromConfig(Map.of("url", "jdbc:mysql://db/jobs?password=hunter2")));

    assertTrue(e.getMessage().contains("jdbc:postgresql"), e.getMessage());
    assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
  }

  @Test
  void postgresFactoryRejectsOtherUrls() {
    assertThrows(IllegalArgumentException.class,
        () -> DatabaseSettings.postgres("jdbc:h2:mem:x", "sa", ""));
  }

  @Test
  void h2DataDirectoryMustNotContainTheSettingsSeparator() {
    assertThrows(IllegalArgumentException.class, () -> DatabaseSettings.h2(Path.of("/tmp/a;b")));
  }

  /** A {@code jobcluster.database} block: the node's defaults, then {@code values}. */
  private static DatabaseSettings fromConfig(Map<String, String> values) {
    Config defaults = ConfigFactory.parseMap(Map.of("url", "", "user", "", "password", "", "data-dir", "./data"));
    return DatabaseSettings.fromConfig(ConfigFactory.parseMap(values).withFallback(defaults));
  }
}

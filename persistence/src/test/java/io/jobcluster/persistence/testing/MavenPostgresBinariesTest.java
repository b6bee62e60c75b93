package io.jobcluster.persistence.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The test tooling on a machine without the system's PostgreSQL package: the binaries come from
 * Maven Central (the build puts this platform's artifact on the classpath), are extracted once,
 * and run a real server. Runs in every build, so CI covers this path beside the system binaries.
 */
class MavenPostgresBinariesTest {

  @Test
  void runsARealServerFromTheBinariesOnMavenCentral() throws Exception {
    PostgresBinaries binaries = MavenPostgresBinaries.extracted()
        .orElseThrow(() -> new AssertionError(MavenPostgresBinaries.archiveName() + " is not on the test classpath"));
    assertTrue(Files.isExecutable(binaries.initdb()));
    assertTrue(Files.isExecutable(binaries.pgCtl()));

    try (PostgresServer server = PostgresServer.create(binaries)) {
      server.start();
      DatabaseSettings db = server.createDatabase("maven_binaries_probe");
      try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE probe (id INT PRIMARY KEY)");
        statement.execute("INSERT INTO probe VALUES (7)");
        try (ResultSet rows = statement.executeQuery("SELECT current_setting('server_version'), (SELECT id FROM probe)")) {
          assertTrue(rows.next());
          assertTrue(rows.getString(1).startsWith("16."), rows.getString(1));
          assertEquals(7, rows.getInt(2));
        }
      }
    }
  }

  @Test
  void extractsOnceAndReusesTheBinaries() throws Exception {
    PostgresBinaries first = MavenPostgresBinaries.extracted().orElseThrow();
    FileTime extractedAt = Files.getLastModifiedTime(first.binDirectory().getParent());

    PostgresBinaries again = MavenPostgresBinaries.extracted().orElseThrow();

    assertEquals(first, again);
    assertEquals(extractedAt, Files.getLastModifiedTime(again.binDirectory().getParent()), "not extracted a second time");
  }
}

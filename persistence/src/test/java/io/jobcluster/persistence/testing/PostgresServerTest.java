package io.jobcluster.persistence.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.DatabaseSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServerTest {

  @Test
  void keepsCommittedDataAndItsPortAcrossStopAndStart() throws SQLException {
    Path directory;
    try (PostgresServer server = PostgresServer.started()) {
      directory = server.directory();
      int port = server.port();
      DatabaseSettings db = server.createDatabase("durability_probe");
      execute(db, "CREATE TABLE jobs (id TEXT PRIMARY KEY)");
      execute(db, "INSERT INTO jobs VALUES ('accepted-before-stop')");

      server.stop();
      assertFalse(server.isRunning());
      assertThrows(SQLException.class, () -> execute(db, "SELECT 1"));

      server.start();
      assertTrue(server.isRunning());
      assertEquals(port, server.port());
      assertEquals("accepted-before-stop", queryString(db, "SELECT id FROM jobs"));

      server.restart();
      assertEquals("accepted-before-stop", queryString(db, "SELECT id FROM jobs"));
    }
    assertFalse(Files.exists(directory), "close() deletes the server's directory");
  }

  @Test
  void runsWithDurableSettingsAndRoomForSeveralNodes() throws SQLException {
    try (PostgresServer server = PostgresServer.started()) {
      DatabaseSettings db = server.settings("postgres");

      assertEquals("on", queryString(db, "SHOW fsync"));
      assertEquals(String.valueOf(PostgresServer.MAX_CONNECTIONS),
          queryString(db, "SHOW max_connections"));
      assertEquals("127.0.0.1", queryString(db, "SHOW listen_addresses"));
      assertTrue(db.url().startsWith("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres"));
    }
  }

  @Test
  void namesThePackageToInstallWhenTheBinariesAreMissing(@TempDir Path emptyDirectory) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PostgresServer.create(List.of(emptyDirectory)));

    assertTrue(e.getMessage().startsWith("PostgreSQL server binaries not found (initdb/pg_ctl); "
        + "install them with: apt-get install postgresql"), e.getMessage());
  }

  @Test
  void findsTheNewestInstalledVersionFirst(@TempDir Path debianRoot) throws IOException {
    for (String version : List.of("9.6", "16", "15", "notes")) {
      Path bin = Files.createDirectories(debianRoot.resolve(version).resolve("bin"));
      for (String program : List.of("initdb", "pg_ctl")) {
        Files.createFile(bin.resolve(program), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      }
    }
    Files.delete(debianRoot.resolve("16").resolve("bin").resolve("pg_ctl"));

    List<Path> searchPath = PostgresBinaries.debianVersionDirectories(debianRoot);

    assertEquals(List.of("16", "15", "9.6", "notes"), searchPath.stream().map(bin -> bin.getParent().getFileName().toString()).toList());
    assertEquals(debianRoot.resolve("15").resolve("bin"), PostgresBinaries.locate(searchPath).binDirectory(),
        "the newest version that has both programs");
  }

  @Test
  void findsSomeBinariesOnEveryMachineTheSystemsOrMavenCentrals() {
    PostgresBinaries binaries = PostgresBinaries.find();

    assertTrue(Files.isExecutable(binaries.initdb()));
    assertTrue(Files.isExecutable(binaries.pgCtl()));
  }

  @Test
  void refusesToStartAfterClose() {
    PostgresServer server = PostgresServer.create();
    server.close();
    server.close();

    assertThrows(IllegalStateException.class, server::start);
  }

  private static void execute(DatabaseSettings db, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String queryString(DatabaseSettings db, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertTrue(rows.next(), sql);
      return rows.getString(1);
    }
  }
}

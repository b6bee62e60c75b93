package io.jobcluster.persistence.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresExtensionTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void givesTheClassAFreshDatabaseNamedAfterIt() throws SQLException {
    DatabaseSettings db = POSTGRES.settings();

    assertTrue(db.url().contains("/postgresextensiontest_"), db.url());
    assertEquals(db.url().substring(db.url().lastIndexOf('/') + 1, db.url().indexOf('?')),
        queryString(db, "SELECT current_database()"));
    assertEquals("0", queryString(db,
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
  }

  @Test
  void sharesOneRunningServerAndCanHandOutMoreDatabases() throws SQLException {
    PostgresServer server = POSTGRES.server();
    DatabaseSettings other = POSTGRES.newDatabase("extra");

    assertTrue(server.isRunning());
    assertTrue(POSTGRES.settings().url().contains(":" + server.port() + "/"));
    assertNotEquals(POSTGRES.settings(), other);
    assertEquals("1", queryString(other, "SELECT 1"));
  }

  @Test
  void resolvesSettingsAndServerParameters(DatabaseSettings settings, PostgresServer server) {
    assertEquals(POSTGRES.settings(), settings);
    assertSame(POSTGRES.server(), server);
  }

  @Test
  void externalServerGetsPerClassDatabasesButNoServerControl() throws SQLException {
    DatabaseSettings admin = POSTGRES.server().settings("postgres");
    TestDatabaseProvider external = TestDatabaseProvider.forEnvironment(Map.of(
        TestDatabaseProvider.ENV_URL, admin.url(),
        TestDatabaseProvider.ENV_USER, admin.user()));
    DatabaseSettings db = external.createDatabase("ExternalCase");
    try {
      assertEquals("1", queryString(db, "SELECT 1"));
      UnsupportedOperationException e =
          assertThrows(UnsupportedOperationException.class, external::server);
      assertTrue(e.getMessage().contains("JOBCLUSTER_TEST_DB_URL is set"), e.getMessage());
    } finally {
      external.close();
    }
    assertThrows(SQLException.class, () -> queryString(db, "SELECT 1"));
  }

  @Test
  void explainsHowToRegisterWhenUsedTooEarly() {
    PostgresExtension unregistered = new PostgresExtension(Map.of());

    IllegalStateException e = assertThrows(IllegalStateException.class, unregistered::settings);
    assertTrue(e.getMessage().contains("@RegisterExtension"), e.getMessage());
  }

  @Nested
  class NestedTests {
    @Test
    void shareTheOuterClassDatabase() {
      assertTrue(POSTGRES.settings().url().contains("/postgresextensiontest_"));
    }
  }

  private static String queryString(DatabaseSettings db, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getString(1);
    }
  }
}

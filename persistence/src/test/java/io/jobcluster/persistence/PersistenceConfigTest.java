package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PersistenceConfigTest {

  private static final String SLICK_DB = "pekko-persistence-jdbc.shared-databases.slick.db";
  private static final List<String> PLUGINS = List.of(
      "jdbc-journal", "jdbc-snapshot-store", "jdbc-read-journal", "jdbc-durable-state-store");
  private static final Pattern CLASS_NAME =
      Pattern.compile("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");

  private final DatabaseSettings postgres =
      DatabaseSettings.postgres("jdbc:postgresql://db/jobs", "jobcluster", "p\"a$s{}\\w");

  @Test
  void overlayWiresEveryPluginToTheSharedPostgresPool() {
    Config config = TestNodeConfig.load(postgres);

    assertEquals("jdbc-journal", config.getString("pekko.persistence.journal.plugin"));
    assertEquals("jdbc-snapshot-store", config.getString("pekko.persistence.snapshot-store.plugin"));
    assertEquals("jdbc-durable-state-store", config.getString("pekko.persistence.state.plugin"));
    for (String plugin : PLUGINS) {
      assertEquals("slick", config.getString(plugin + ".use-shared-db"), plugin);
    }
    assertEquals("slick.jdbc.PostgresProfile$",
        config.getString("pekko-persistence-jdbc.shared-databases.slick.profile"));
    assertEquals(postgres.url(), config.getString(SLICK_DB + ".url"));
    assertEquals("jobcluster", config.getString(SLICK_DB + ".user"));
    assertEquals("p\"a$s{}\\w", config.getString(SLICK_DB + ".password"));
    assertEquals("org.postgresql.Driver", config.getString(SLICK_DB + ".driver"));
  }

  @Test
  void theProjectionOffsetStoreSpeaksTheDatabasesDialect() {
    assertEquals("postgres-dialect", TestNodeConfig.load(postgres).getString("pekko.projection.jdbc.dialect"));
    assertEquals("h2-dialect", TestNodeConfig.load(DatabaseSettings.h2(Path.of("target/unused")))
        .getString("pekko.projection.jdbc.dialect"));
    assertEquals("h2-dialect", ConfigFactory.load(ConfigFactory.parseResourcesAnySyntax("persistence"))
        .getString("pekko.projection.jdbc.dialect"));
  }

  @Test
  void poolFailsFastAndJournalBuffersWellAboveConcurrentWriters() {
    Config config = TestNodeConfig.load(postgres);

    assertAll(
        () -> assertTrue(config.getInt(SLICK_DB + ".connectionTimeout") <= 5000),
        () -> assertTrue(config.getInt(SLICK_DB + ".validationTimeout")
            < config.getInt(SLICK_DB + ".connectionTimeout")),
        () -> assertEquals(config.getInt(SLICK_DB + ".maxConnections"),
            config.getInt(SLICK_DB + ".numThreads")),
        () -> assertTrue(config.getInt("jdbc-journal.bufferSize") >= 10000),
        () -> assertTrue(config.getInt("jdbc-journal.batchSize") > 0),
        () -> assertTrue(config.getInt("jdbc-journal.parallelism")
            < config.getInt(SLICK_DB + ".maxConnections")));
  }

  @Test
  void theFreshJournalIsTheJournalWithTheDaoThatKnowsNewJobsHaveNoEvents() {
    Config config = TestNodeConfig.load(postgres);
    Config fresh = PersistenceConfig.freshJournal(config);

    assertEquals("io.jobcluster.persistence.journal.FreshJournalDao", fresh.getString("dao"));
    assertEquals(config.getConfig("jdbc-journal").withoutPath("dao"), fresh.withoutPath("dao"));
  }

  @Test
  void persistenceConfResolvesOnItsOwnToTheEmbeddedH2Default() {
    Config config = ConfigFactory.load(ConfigFactory.parseResourcesAnySyntax("persistence"));

    String url = config.getString(SLICK_DB + ".url");
    assertEquals("slick.jdbc.H2Profile$",
        config.getString("pekko-persistence-jdbc.shared-databases.slick.profile"));
    // The default must be exactly what DatabaseSettings would make of it.
    assertEquals(url, new DatabaseSettings(url, "sa", "").url());
    assertEquals(DatabaseSettings.h2(Path.of("data")).url().replace(
        Path.of("data").toAbsolutePath().normalize().toString(), "./data"), url);
  }

  @Test
  void everyClassNameTheConfigReferencesLoads() {
    for (DatabaseSettings db : List.of(postgres, DatabaseSettings.h2(Path.of("target/unused")))) {
      Config config = TestNodeConfig.load(db);
      Set<String> classNames = new TreeSet<>();
      for (String root : List.of("pekko-persistence-jdbc", "jdbc-journal", "jdbc-snapshot-store",
          "jdbc-read-journal", "jdbc-durable-state-store")) {
        collectClassNames(config.getConfig(root), classNames);
      }

      assertTrue(classNames.contains(db.dialect().slickProfile()), classNames.toString());
      assertTrue(classNames.contains(db.dialect().driverClass()), classNames.toString());
      assertTrue(classNames.contains(
          "org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal"), classNames.toString());
      for (String className : classNames) {
        assertDoesNotThrow(() -> Class.forName(className), className);
      }
    }
  }

  private static void collectClassNames(Config config, Set<String> into) {
    config.entrySet().forEach(entry -> {
      if (entry.getValue().valueType() == ConfigValueType.STRING) {
        String value = (String) entry.getValue().unwrapped();
        if (CLASS_NAME.matcher(value).matches()) {
          into.add(value);
        }
      }
    });
  }
}

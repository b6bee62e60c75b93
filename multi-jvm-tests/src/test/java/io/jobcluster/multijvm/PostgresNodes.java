package io.jobcluster.multijvm;

import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.util.Map;

/**
 * The one place that adapts the persistence module's PostgreSQL test tooling to node settings;
 * tests register {@link PostgresExtension} themselves and pass it here.
 */
final class PostgresNodes {
  private PostgresNodes() {}

  /** Environment pointing every node at the test class's throwaway database. */
  static Map<String, String> env(PostgresExtension postgres) {
    DatabaseSettings db = postgres.settings();
    return NodeEnv.database(db.url(), db.user(), db.password());
  }
}

package io.jobcluster.multijvm;

import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import java.net.InetSocketAddress;
import java.net.URI;
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

  /** As {@link #env(PostgresExtension)}, reaching the server at {@code hostPort} (a relay to it) instead. */
  static Map<String, String> env(PostgresExtension postgres, String hostPort) {
    DatabaseSettings db = postgres.settings();
    URI url = jdbcUri(db);
    return NodeEnv.database("jdbc:postgresql://" + hostPort + url.getRawPath()
        + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()), db.user(), db.password());
  }

  /** Where the test class's database server listens. */
  static InetSocketAddress address(PostgresExtension postgres) {
    URI url = jdbcUri(postgres.settings());
    return new InetSocketAddress(url.getHost(), url.getPort());
  }

  private static URI jdbcUri(DatabaseSettings db) {
    if (!db.url().startsWith("jdbc:postgresql://")) {
      throw new IllegalStateException("not a PostgreSQL URL: " + db.url());
    }
    return URI.create(db.url().substring("jdbc:".length()));
  }
}

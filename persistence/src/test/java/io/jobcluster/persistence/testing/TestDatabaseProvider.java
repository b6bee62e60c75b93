package io.jobcluster.persistence.testing;

import io.jobcluster.persistence.DatabaseSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where {@link PostgresExtension} gets its databases: its own server, or an external one. */
interface TestDatabaseProvider extends ExtensionContext.Store.CloseableResource {

  String ENV_URL = "JOBCLUSTER_TEST_DB_URL";
  String ENV_USER = "JOBCLUSTER_TEST_DB_USER";
  String ENV_PASSWORD = "JOBCLUSTER_TEST_DB_PASSWORD";

  DatabaseSettings createDatabase(String hint);

  PostgresServer server();

  /** Releases what the provider made (the server, or the databases it created). */
  @Override
  void close();

  /** The provider {@code env} asks for: the external server of JOBCLUSTER_TEST_DB_URL, if set. */
  static TestDatabaseProvider forEnvironment(Map<String, String> env) {
    String url = env.get(ENV_URL);
    if (url == null || url.isBlank()) {
      return new LocalServer(PostgresServer.started());
    }
    String user = env.getOrDefault(ENV_USER, PostgresServer.SUPERUSER);
    return new ExternalServer(DatabaseSettings.postgres(url, user, env.get(ENV_PASSWORD)));
  }

  /** A throwaway server of this JVM, stopped by the JUnit run or, failing that, JVM exit. */
  final class LocalServer implements TestDatabaseProvider {
    private final PostgresServer server;
    private final Thread shutdownHook;

    LocalServer(PostgresServer server) {
      this.server = server;
      this.shutdownHook = new Thread(server::close, "postgres-test-server-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    @Override
    public DatabaseSettings createDatabase(String hint) {
      return server.createDatabase(PostgresDatabases.uniqueName(hint));
    }

    @Override
    public PostgresServer server() {
      return server;
    }

    @Override
    public void close() {
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyExiting) {
        // The hook is running or about to; close() is idempotent.
      }
    }
  }

  /** A server given by JOBCLUSTER_TEST_DB_URL; the databases made on it are dropped at the end. */
  final class ExternalServer implements TestDatabaseProvider {
    private static final Logger log = LoggerFactory.getLogger(ExternalServer.class);
    private final DatabaseSettings admin;
    private final List<String> created = new ArrayList<>();

    ExternalServer(DatabaseSettings admin) {
      this.admin = admin;
    }

    @Override
    public synchronized DatabaseSettings createDatabase(String hint) {
      String name = PostgresDatabases.uniqueName(hint);
      DatabaseSettings settings = PostgresDatabases.create(admin, name);
      created.add(name);
      return settings;
    }

    @Override
    public PostgresServer server() {
      throw new UnsupportedOperationException(ENV_URL + " is set, so tests use the external "
          + "PostgreSQL at " + admin.redactedUrl() + ", which they cannot stop or start; "
          + "server() is only available with the extension's own server (unset " + ENV_URL
          + ").");
    }

    @Override
    public synchronized void close() {
      for (String name : created) {
        try {
          PostgresDatabases.drop(admin, name);
        } catch (RuntimeException e) {
          log.warn("Could not drop test database {}", name, e);
        }
      }
      created.clear();
    }
  }
}

package io.jobcluster.persistence.testing;

import io.jobcluster.persistence.DatabaseSettings;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL for tests: one throwaway {@link PostgresServer} per test JVM, shared by all
 * test classes and stopped when the JUnit run ends, and a fresh database per test class.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
 * ... SchemaMigrator.migrate(POSTGRES.settings());
 * }</pre>
 *
 * <p>With {@code @ExtendWith(PostgresExtension.class)}, test methods and constructors can take a
 * {@link DatabaseSettings} (the class's database) or a {@link PostgresServer} parameter.
 *
 * <p>{@code JOBCLUSTER_TEST_DB_URL} (a database on an existing server, with optional
 * {@code JOBCLUSTER_TEST_DB_USER}, default {@code postgres}, and {@code _PASSWORD}) replaces the
 * throwaway server: databases are then created on that server and dropped at the end, and
 * {@link #server()} is unavailable.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  private final Map<String, String> env;
  private volatile TestDatabaseProvider provider;
  private volatile DatabaseSettings classDatabase;

  public PostgresExtension() {
    this(System.getenv());
  }

  PostgresExtension(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    TestDatabaseProvider shared = providerFor(context);
    provider = shared;
    // Looked up through the parents too, so @Nested classes share their outer class's database.
    classDatabase = context.getStore(NAMESPACE).getOrComputeIfAbsent(
        DatabaseSettings.class,
        key -> shared.createDatabase(context.getRequiredTestClass().getSimpleName()),
        DatabaseSettings.class);
  }

  /** The database of the current test class, created empty before its first test. */
  public DatabaseSettings settings() {
    DatabaseSettings settings = classDatabase;
    if (settings == null) {
      throw notStarted();
    }
    return settings;
  }

  /** Another empty database, for tests that need one of their own. */
  public DatabaseSettings newDatabase(String hint) {
    return requireProvider().createDatabase(hint);
  }

  /**
   * The throwaway server, to stop and start it.
   *
   * @throws UnsupportedOperationException when JOBCLUSTER_TEST_DB_URL points at another server
   */
  public PostgresServer server() {
    return requireProvider().server();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == DatabaseSettings.class || type == PostgresServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getParameter().getType() == PostgresServer.class) {
      return providerFor(context).server();
    }
    DatabaseSettings settings =
        context.getStore(NAMESPACE).get(DatabaseSettings.class, DatabaseSettings.class);
    if (settings == null) {
      beforeAll(context);
      return classDatabase;
    }
    return settings;
  }

  private TestDatabaseProvider providerFor(ExtensionContext context) {
    // The root store outlives every test class and closes its resources when the run ends.
    String key = TestDatabaseProvider.class.getName() + ":"
        + env.getOrDefault(TestDatabaseProvider.ENV_URL, "local");
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(
        key, unused -> TestDatabaseProvider.forEnvironment(env), TestDatabaseProvider.class);
  }

  private TestDatabaseProvider requireProvider() {
    TestDatabaseProvider current = provider;
    if (current == null) {
      throw notStarted();
    }
    return current;
  }

  private static IllegalStateException notStarted() {
    return new IllegalStateException("PostgresExtension has not run yet: register it on a "
        + "static field (@RegisterExtension static final PostgresExtension POSTGRES = ...) or "
        + "with @ExtendWith, and use it from tests or @BeforeEach, not from static initialisers.");
  }
}

package io.jobcluster.node.auth;

import io.jobcluster.protocol.InvalidRequestException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The {@code api_keys} table: issue, revoke, look up and list keys. Plain JDBC on an auto-commit
 * pool, run on {@code executor} (a blocking dispatcher); every value is a parameter. Database
 * failures fail the stage with {@link ApiKeyStoreException}; validation failures with
 * {@link InvalidRequestException} naming the field.
 */
public final class ApiKeyStore {
  static final Pattern TENANT = Pattern.compile("[a-z0-9_-]{1,64}");
  static final int MAX_DESCRIPTION = 255;

  private static final String COLUMNS = "key_id, tenant, scopes, description, created_at, revoked_at";

  private final DataSource dataSource;
  private final Executor executor;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final LongAdder lookups = new LongAdder();

  public ApiKeyStore(DataSource dataSource, Executor executor, Clock clock) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Issues a key for {@code tenant} with {@code scopes}; the answer holds the only copy of the plaintext.
   *
   * @param description free text for operators, may be null
   */
  public CompletionStage<IssuedApiKey> issue(String tenant, Set<Scope> scopes, String description) {
    try {
      validTenant(tenant);
      if (Principal.ADMIN_TENANT.equals(tenant)) {
        throw new InvalidRequestException("tenant", "'" + Principal.ADMIN_TENANT + "' is reserved for the admin key");
      }
      if (scopes == null || scopes.isEmpty() || scopes.stream().anyMatch(Objects::isNull)) {
        throw new InvalidRequestException("scopes", "at least one scope is required");
      }
      if (description != null && description.length() > MAX_DESCRIPTION) {
        throw new InvalidRequestException("description", "at most " + MAX_DESCRIPTION + " characters");
      }
      if (description != null && description.indexOf('\u0000') >= 0) {
        // PostgreSQL text cannot hold NUL: the insert would fail as if the database were down.
        throw new InvalidRequestException("description", "must not contain NUL");
      }
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    ApiKey.Generated key = ApiKey.generate(random);
    Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return run("issue", connection -> {
      insert(connection, key, tenant, scopes, description, createdAt);
      return new IssuedApiKey(key.keyId(), tenant, scopes, key.plaintext(), createdAt);
    });
  }

  /** Revokes a key; revoking it again changes nothing. Answers whether the key exists. */
  public CompletionStage<Boolean> revoke(String keyId) {
    return revoke(keyId, null);
  }

  /**
   * Revokes a key of {@code tenant} (null: of any tenant); revoking it again changes nothing.
   * Answers whether such a key exists: another tenant's key is left alone and answers false.
   */
  public CompletionStage<Boolean> revoke(String keyId, String tenant) {
    if (!ApiKey.isKeyId(keyId)) {
      // No key has it, and the database is spared text it may refuse (PostgreSQL refuses NUL).
      return CompletableFuture.completedFuture(false);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return run("revoke", connection -> revoke(connection, keyId, tenant, now));
  }

  /** The key stored with {@code keyHash} (see {@link ApiKey#hash}), revoked or not. */
  public CompletionStage<Optional<ApiKeyInfo>> findByHash(String keyHash) {
    lookups.increment();
    return run("findByHash", connection -> select(connection, "SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?", keyHash)
        .stream().findFirst());
  }

  /** How many times {@link #findByHash} was called: what reached the database to authenticate. */
  public long lookups() {
    return lookups.sum();
  }

  /** A tenant's keys, revoked ones included, oldest first; no hashes or secrets. */
  public CompletionStage<List<ApiKeyInfo>> list(String tenant) {
    try {
      validTenant(tenant);
    } catch (InvalidRequestException e) {
      return CompletableFuture.failedFuture(e);
    }
    return run("list", connection -> select(connection,
        "SELECT " + COLUMNS + " FROM api_keys WHERE tenant = ? ORDER BY created_at, key_id", tenant));
  }

  private static void validTenant(String tenant) {
    if (tenant == null || !TENANT.matcher(tenant).matches()) {
      throw new InvalidRequestException("tenant", "must match " + TENANT.pattern());
    }
  }

  @FunctionalInterface
  private interface Statement<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> CompletionStage<T> run(String name, Statement<T> statement) {
    return CompletableFuture.supplyAsync(() -> {
      try (Connection connection = dataSource.getConnection()) {
        return statement.run(connection);
      } catch (SQLException e) {
        throw new ApiKeyStoreException("api key " + name + " failed: " + e.getMessage(), e);
      }
    }, executor);
  }

  private static void insert(Connection connection, ApiKey.Generated key, String tenant, Set<Scope> scopes, String description,
      Instant createdAt) throws SQLException {
    String sql = "INSERT INTO api_keys (key_id, tenant, scopes, key_hash, created_at, description) VALUES (?, ?, ?, ?, ?, ?)";
    try (PreparedStatement insert = connection.prepareStatement(sql)) {
      insert.setString(1, key.keyId());
      insert.setString(2, tenant);
      insert.setString(3, Scope.toColumn(scopes));
      insert.setString(4, key.hash());
      insert.setObject(5, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
      if (description == null) {
        insert.setNull(6, Types.VARCHAR);
      } else {
        insert.setString(6, description);
      }
      insert.executeUpdate();
    }
  }

  private static boolean revoke(Connection connection, String keyId, String tenant, Instant now) throws SQLException {
    // A null tenant matches every tenant: (? IS NULL OR tenant = ?), both bound.
    try (PreparedStatement update = connection.prepareStatement(
        "UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL AND (CAST(? AS VARCHAR(64)) IS NULL OR tenant = ?)")) {
      update.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      update.setString(2, keyId);
      update.setString(3, tenant);
      update.setString(4, tenant);
      if (update.executeUpdate() > 0) {
        return true;
      }
    }
    return select(connection, "SELECT " + COLUMNS + " FROM api_keys WHERE key_id = ?", keyId).stream()
        .anyMatch(key -> tenant == null || key.tenant().equals(tenant));
  }

  private static List<ApiKeyInfo> select(Connection connection, String sql, String parameter) throws SQLException {
    List<ApiKeyInfo> keys = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, parameter);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          keys.add(new ApiKeyInfo(rows.getString("key_id"), rows.getString("tenant"), Scope.fromColumn(rows.getString("scopes")),
              rows.getString("description"), instant(rows, "created_at"), instant(rows, "revoked_at")));
        }
      }
    }
    return keys;
  }

  private static Instant instant(ResultSet rows, String column) throws SQLException {
    OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}

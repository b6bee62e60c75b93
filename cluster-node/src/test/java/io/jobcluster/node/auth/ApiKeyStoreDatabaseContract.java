package io.jobcluster.node.auth;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.node.job.MutableClock;
import com.zaxxer.hikari.HikariDataSource;
import io.jobcluster.node.auth.AuthResult.Authenticated;
import io.jobcluster.node.auth.AuthResult.Denied;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.SchemaMigrator;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link ApiKeyStore} and {@link Authenticator} on a real database; subclasses supply it. Cache
 * expiry is driven by a {@link MutableClock}, never by sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiKeyStoreDatabaseContract {
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final String ADMIN_KEY = "admin-key-0123456789-abcdefghijklmnop";

  private HikariDataSource pool;
  private ExecutorService executor;
  private MutableClock clock;
  private ApiKeyStore store;
  private Authenticator authenticator;

  protected abstract DatabaseSettings database();

  @BeforeAll
  void startPool() {
    DatabaseSettings db = database();
    SchemaMigrator.migrate(db);
    pool = ApiKeys.pool(db, new SimpleMeterRegistry());
    executor = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  void stopPool() {
    executor.shutdownNow();
    pool.close();
  }

  @BeforeEach
  void emptyTable() throws SQLException {
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate("DELETE FROM api_keys");
    }
    clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.123456789Z"));
    store = new ApiKeyStore(pool, executor, clock);
    authenticator = new Authenticator(store, ADMIN_KEY, clock, TTL, 100);
  }

  @Test
  void issuedKeyAuthenticatesWithBearerAndWithXApiKey() {
    IssuedApiKey key = await(store.issue("acme", EnumSet.of(Scope.SUBMIT, Scope.READ), "ci pipeline"));

    Principal expected = new Principal("acme", key.keyId(), Set.of(Scope.SUBMIT, Scope.READ));
    assertEquals(expected, principal(authenticate("Bearer " + key.plaintext(), null)));
    assertEquals(expected, principal(authenticate("bearer " + key.plaintext(), null)));
    assertEquals(expected, principal(authenticate("BEARER  " + key.plaintext() + " ", null)));
    assertEquals(expected, principal(authenticate(null, key.plaintext())));
    assertEquals(expected, principal(authenticate("Bearer " + key.plaintext(), key.plaintext())));
    assertTrue(expected.require(Scope.SUBMIT));
    assertFalse(expected.require(Scope.WORK));
    assertFalse(expected.isOperator());
    assertEquals(Instant.parse("2026-03-01T10:00:00.123456Z"), key.createdAt());
  }

  @Test
  void revokedKeyIsRefusedOnceTheCachedLookupExpires() {
    IssuedApiKey key = await(store.issue("acme", Set.of(Scope.WORK), null));
    assertInstanceOf(Authenticated.class, authenticate(null, key.plaintext()));

    assertTrue(await(store.revoke(key.keyId())));
    assertTrue(await(store.revoke(key.keyId())), "revoking again answers that the key exists");

    // Within the TTL the cached principal still answers: revocation is not instant.
    clock.advance(TTL.minusSeconds(1));
    assertInstanceOf(Authenticated.class, authenticate(null, key.plaintext()));
    clock.advance(Duration.ofSeconds(1));
    assertUnauthorized(Authenticator.INVALID, authenticate(null, key.plaintext()));

    // A fresh authenticator (another node, a restart) refuses it at once.
    Authenticator fresh = new Authenticator(store, null, clock, TTL, 100);
    assertUnauthorized(Authenticator.INVALID, await(fresh.authenticate("Bearer " + key.plaintext(), null)));
  }

  @Test
  void aRevocationBoundToATenantLeavesAnotherTenantsKeyAlone() {
    IssuedApiKey acme = await(store.issue("acme", Set.of(Scope.READ), null));
    assertFalse(await(store.revoke(acme.keyId(), "globex")), "as if there were no such key");
    assertInstanceOf(Authenticated.class, authenticate(null, acme.plaintext()));
    assertTrue(await(store.revoke(acme.keyId(), "acme")));
    assertTrue(await(store.revoke(acme.keyId(), "acme")), "revoking again answers that the key exists");
    assertFalse(await(store.revoke(acme.keyId(), "globex")));
    assertNotNull(await(store.list("acme")).get(0).revokedAt());
  }

  @Test
  void aRevocationNoticeDropsTheKeyFromTheCacheAtOnce() {
    IssuedApiKey key = await(store.issue("acme", Set.of(Scope.WORK), null));
    assertInstanceOf(Authenticated.class, authenticate(null, key.plaintext()));
    assertTrue(await(store.revoke(key.keyId())));
    authenticator.revoked(key.keyId());
    assertUnauthorized(Authenticator.INVALID, authenticate(null, key.plaintext()));
  }

  @Test
  void aLookupThatOverlapsARevocationIsAnsweredButNotCached() {
    IssuedApiKey key = await(store.issue("acme", Set.of(Scope.READ), null));
    List<Runnable> held = new ArrayList<>();
    Authenticator overlapping = new Authenticator(new ApiKeyStore(pool, held::add, clock), null, clock, TTL, 100);
    CompletionStage<AuthResult> first = overlapping.authenticate(null, key.plaintext());
    assertEquals(1, held.size(), "the lookup waits in its executor");
    overlapping.revoked(key.keyId());
    held.remove(0).run();
    assertInstanceOf(Authenticated.class, await(first), "the lookup began before the revocation");

    assertTrue(await(store.revoke(key.keyId())));
    CompletionStage<AuthResult> second = overlapping.authenticate(null, key.plaintext());
    assertEquals(1, held.size(), "not cached: the key is looked up again");
    held.remove(0).run();
    assertUnauthorized(Authenticator.INVALID, await(second));
  }

  @Test
  void anUnknownKeyIsRefusedFromMemoryUntilItsTtlPasses() {
    Authenticator remembering = new Authenticator(store, null, clock, TTL, Duration.ofSeconds(5), 100);
    String unknown = "jc_0123456789abcdef_" + "D".repeat(43);
    assertUnauthorized(Authenticator.INVALID, await(remembering.authenticate(null, unknown)));
    long lookups = store.lookups();
    clock.advance(Duration.ofSeconds(4));
    assertUnauthorized(Authenticator.INVALID, await(remembering.authenticate("Bearer " + unknown, null)));
    assertEquals(lookups, store.lookups(), "refused from memory");
    clock.advance(Duration.ofSeconds(1));
    assertUnauthorized(Authenticator.INVALID, await(remembering.authenticate(null, unknown)));
    assertEquals(lookups + 1, store.lookups(), "forgotten after 5 s: looked up again");

    // Remembered by the whole key's hash: a real key with the same key id is not held back.
    IssuedApiKey real = await(store.issue("acme", Set.of(Scope.READ), null));
    String guess = "jc_" + real.keyId() + "_" + "E".repeat(43);
    assertUnauthorized(Authenticator.INVALID, await(remembering.authenticate(null, guess)));
    assertInstanceOf(Authenticated.class, await(remembering.authenticate(null, real.plaintext())));
  }

  @Test
  void cacheIsBoundedLeastRecentlyUsedFirst() {
    Authenticator small = new Authenticator(store, null, clock, TTL, 1);
    IssuedApiKey first = await(store.issue("acme", Set.of(Scope.READ), null));
    IssuedApiKey second = await(store.issue("acme", Set.of(Scope.READ), null));
    assertInstanceOf(Authenticated.class, await(small.authenticate(null, first.plaintext())));
    assertInstanceOf(Authenticated.class, await(small.authenticate(null, second.plaintext())));
    await(store.revoke(first.keyId()));
    await(store.revoke(second.keyId()));

    // The first key was evicted, so its revocation shows at once; the second is still cached.
    assertUnauthorized(Authenticator.INVALID, await(small.authenticate(null, first.plaintext())));
    assertInstanceOf(Authenticated.class, await(small.authenticate(null, second.plaintext())));
  }

  @Test
  void revokingAnUnknownKeyAnswersFalse() {
    assertFalse(await(store.revoke("0123456789abcdef")));
    assertFalse(await(store.revoke("\u0000")), "no key id holds NUL (which PostgreSQL would refuse)");
    assertFalse(await(store.revoke("0123456789ABCDEF")));
    assertFalse(await(store.revoke("k".repeat(10_000))));
  }

  @Test
  void unknownAndRevokedKeysGetTheSameAnswer() {
    IssuedApiKey revoked = await(store.issue("acme", Set.of(Scope.READ), null));
    await(store.revoke(revoked.keyId()));
    String unknown = ApiKey.generate(new java.security.SecureRandom()).plaintext();

    Denied forRevoked = assertUnauthorized(Authenticator.INVALID, authenticate("Bearer " + revoked.plaintext(), null));
    Denied forUnknown = assertUnauthorized(Authenticator.INVALID, authenticate("Bearer " + unknown, null));
    assertEquals(forRevoked, forUnknown);
  }

  @Test
  void missingMalformedEmptyAndConflictingCredentialsAreRefused() {
    IssuedApiKey key = await(store.issue("acme", Set.of(Scope.READ), null));
    IssuedApiKey other = await(store.issue("acme", Set.of(Scope.READ), null));

    assertUnauthorized(Authenticator.MISSING, authenticate(null, null));
    assertUnauthorized(Authenticator.MALFORMED, authenticate("", null));
    assertUnauthorized(Authenticator.MALFORMED, authenticate("Bearer", null));
    assertUnauthorized(Authenticator.MALFORMED, authenticate("Bearer ", null));
    assertUnauthorized(Authenticator.MALFORMED, authenticate("Basic " + key.plaintext(), null));
    assertUnauthorized(Authenticator.MALFORMED, authenticate(key.plaintext(), null));
    assertUnauthorized(Authenticator.MALFORMED, authenticate("Bearer a b", null));
    assertUnauthorized(Authenticator.MALFORMED, authenticate(null, ""));
    assertUnauthorized(Authenticator.MALFORMED, authenticate(null, "   "));
    assertUnauthorized(Authenticator.CONFLICTING, authenticate("Bearer " + key.plaintext(), other.plaintext()));
    assertUnauthorized(Authenticator.INVALID, authenticate("Bearer not-a-key", null));
    assertUnauthorized(Authenticator.INVALID, authenticate(null, key.plaintext() + "x"));
    assertUnauthorized(Authenticator.INVALID, authenticate(null, key.plaintext().toUpperCase()));
  }

  @Test
  void adminKeyAuthenticatesAsTheAdminTenantWithEveryScope() {
    Principal admin = principal(authenticate("Bearer " + ADMIN_KEY, null));
    assertEquals(new Principal(Principal.ADMIN_TENANT, Principal.ADMIN_KEY_ID, EnumSet.allOf(Scope.class)), admin);
    assertTrue(admin.isOperator());
    assertEquals(admin, principal(authenticate(null, ADMIN_KEY)));
    assertUnauthorized(Authenticator.INVALID, authenticate(null, ADMIN_KEY + "0"));

    Authenticator withoutAdmin = new Authenticator(store, null, clock, TTL, 100);
    assertUnauthorized(Authenticator.INVALID, await(withoutAdmin.authenticate(null, ADMIN_KEY)));
  }

  @Test
  void databaseStoresOnlyTheHashOfTheKey() throws SQLException {
    IssuedApiKey key = await(store.issue("acme", Set.of(Scope.SUBMIT), "stored hashed"));
    String secret = key.plaintext().substring(("jc_" + key.keyId() + "_").length());

    List<String> cells = new ArrayList<>();
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT * FROM api_keys")) {
      ResultSetMetaData meta = rows.getMetaData();
      while (rows.next()) {
        for (int column = 1; column <= meta.getColumnCount(); column++) {
          cells.add(String.valueOf(rows.getObject(column)));
        }
      }
    }
    assertTrue(cells.contains(ApiKey.hash(key.plaintext())), "the key's SHA-256 is stored");
    assertTrue(cells.contains(key.keyId()));
    for (String cell : cells) {
      assertFalse(cell.contains(key.plaintext()), "plaintext key in " + cell);
      assertFalse(cell.contains(secret), "secret in " + cell);
    }
    assertFalse(key.toString().contains(secret), "toString masks the key");
  }

  @Test
  void findByHashAnswersTheStoredKey() {
    IssuedApiKey key = await(store.issue("acme", Set.of(Scope.READ, Scope.WORK), null));
    ApiKeyInfo info = await(store.findByHash(ApiKey.hash(key.plaintext()))).orElseThrow();
    assertEquals(new ApiKeyInfo(key.keyId(), "acme", Set.of(Scope.READ, Scope.WORK), null, key.createdAt(), null), info);
    assertTrue(await(store.findByHash(ApiKey.hash("jc_nothing"))).isEmpty());
  }

  @Test
  void listShowsATenantsKeysWithoutSecrets() {
    IssuedApiKey first = await(store.issue("acme", Set.of(Scope.READ), "first"));
    clock.advance(Duration.ofSeconds(1));
    IssuedApiKey second = await(store.issue("acme", Set.of(Scope.SUBMIT, Scope.ADMIN), null));
    await(store.issue("globex", Set.of(Scope.READ), null));
    clock.advance(Duration.ofSeconds(1));
    await(store.revoke(first.keyId()));

    List<ApiKeyInfo> keys = await(store.list("acme"));
    assertEquals(List.of(first.keyId(), second.keyId()), keys.stream().map(ApiKeyInfo::keyId).toList());
    assertEquals("first", keys.get(0).description());
    assertEquals(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS), keys.get(0).revokedAt());
    assertTrue(keys.get(0).revoked());
    assertNull(keys.get(1).revokedAt());
    assertEquals(Set.of(Scope.SUBMIT, Scope.ADMIN), keys.get(1).scopes());
    String listed = keys.toString();
    assertFalse(listed.contains(first.plaintext()) || listed.contains(second.plaintext()));
    assertFalse(listed.contains(ApiKey.hash(first.plaintext())) || listed.contains(ApiKey.hash(second.plaintext())));
    assertTrue(await(store.list("nobody")).isEmpty());
  }

  @Test
  void validationErrorsNameTheField() {
    assertEquals("tenant", invalidField(store.issue("Acme", Set.of(Scope.READ), null)));
    assertEquals("tenant", invalidField(store.issue("", Set.of(Scope.READ), null)));
    assertEquals("tenant", invalidField(store.issue(null, Set.of(Scope.READ), null)));
    assertEquals("tenant", invalidField(store.issue("a".repeat(65), Set.of(Scope.READ), null)));
    assertEquals("tenant", invalidField(store.issue("a b", Set.of(Scope.READ), null)));
    assertEquals("tenant", invalidField(store.issue(Principal.ADMIN_TENANT, Set.of(Scope.READ), null)));
    assertEquals("scopes", invalidField(store.issue("acme", Set.of(), null)));
    assertEquals("scopes", invalidField(store.issue("acme", null, null)));
    assertEquals("description", invalidField(store.issue("acme", Set.of(Scope.READ), "d".repeat(256))));
    assertEquals("description", invalidField(store.issue("acme", Set.of(Scope.READ), "nul\u0000inside")));
    assertEquals("tenant", invalidField(store.list("ACME")));
    assertNotNull(await(store.issue("a".repeat(64), Set.of(Scope.READ), null)));
    assertNotNull(await(store.issue("tenant_1-x", Set.of(Scope.READ), "d".repeat(255))));
  }

  @Test
  void keysCarry256RandomBitsAndAreUniqueOver1000Issues() {
    List<CompletionStage<IssuedApiKey>> issued = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      issued.add(store.issue("bulk", Set.of(Scope.WORK), null));
    }
    Set<String> plaintexts = new HashSet<>();
    Set<String> keyIds = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (CompletionStage<IssuedApiKey> stage : issued) {
      IssuedApiKey key = await(stage);
      plaintexts.add(key.plaintext());
      keyIds.add(key.keyId());
      String secret = key.plaintext().substring(("jc_" + key.keyId() + "_").length());
      assertEquals(32, Base64.getUrlDecoder().decode(secret).length, "256-bit secret");
      assertFalse(secret.endsWith("="), "no padding");
      secrets.add(secret);
    }
    assertEquals(1000, plaintexts.size());
    assertEquals(1000, keyIds.size());
    assertEquals(1000, secrets.size());
    assertEquals(1000, await(store.list("bulk")).size());
  }

  @Test
  void databaseFailureFailsTheStageInsteadOfDenying() {
    HikariDataSource closed = ApiKeys.pool(database(), new SimpleMeterRegistry());
    closed.close();
    ApiKeyStore broken = new ApiKeyStore(closed, executor, clock);
    Authenticator failing = new Authenticator(broken, null, clock, TTL, 100);
    String key = ApiKey.generate(new java.security.SecureRandom()).plaintext();
    ExecutionException failure = assertThrows(ExecutionException.class,
        () -> failing.authenticate(null, key).toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertInstanceOf(ApiKeyStoreException.class, failure.getCause());
  }

  private AuthResult authenticate(String authorization, String xApiKey) {
    return await(authenticator.authenticate(authorization, xApiKey));
  }

  private static Principal principal(AuthResult result) {
    return assertInstanceOf(Authenticated.class, result).principal();
  }

  private static Denied assertUnauthorized(String message, AuthResult result) {
    Denied denied = assertInstanceOf(Denied.class, result);
    assertEquals(ErrorCode.UNAUTHORIZED, denied.code());
    assertEquals(message, denied.message());
    return denied;
  }

  private static String invalidField(CompletionStage<?> stage) {
    ExecutionException failure = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(10, TimeUnit.SECONDS));
    return assertInstanceOf(InvalidRequestException.class, failure.getCause()).field();
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage failed", e);
    }
  }
}

package io.jobcluster.node.auth;

import io.jobcluster.node.auth.AuthResult.Authenticated;
import io.jobcluster.node.auth.AuthResult.Denied;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request's {@code Authorization} and {@code X-API-Key} header values into a
 * {@link Principal} or a denial. Accepts {@code Authorization: Bearer <key>} (scheme
 * case-insensitive) or {@code X-API-Key: <key>}; both at once must carry the same key.
 *
 * <p>Unknown and revoked keys get the same answer, so a caller learns nothing about which keys
 * exist. Positive lookups are cached for {@code ttl} (bounded to {@code maxEntries}, least
 * recently used out first) so requests do not each hit the database; a revocation reaches every
 * node's cache through {@link KeyRevocations} ({@link #revoked}), and {@code ttl} is only the
 * backstop for a notice that was lost. A well-formed key the store does not know (or knows as
 * revoked) is remembered for {@code unknownKeyTtl}, so repeating it does not reach the database
 * again. That memory is by the hash of the whole key, so it never holds back a key issued later:
 * nobody can have presented a key before it was issued (256 random bits), and a made-up secret
 * beside a real key's id is another hash. A database failure fails the stage with
 * {@link ApiKeyStoreException} (503, not 401) and is not remembered.
 */
public final class Authenticator {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_UNKNOWN_KEY_TTL = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  /** The admin key must carry at least this much: it opens every tenant. */
  public static final int MIN_ADMIN_KEY_LENGTH = 32;

  static final String MISSING = "missing API key: send Authorization: Bearer <key> or X-API-Key: <key>";
  static final String MALFORMED = "malformed credentials";
  static final String CONFLICTING = "Authorization and X-API-Key carry different keys";
  static final String INVALID = "invalid or revoked API key";

  private static final Logger log = LoggerFactory.getLogger(Authenticator.class);
  private static final Pattern AUTHORIZATION = Pattern.compile("([A-Za-z]+) +(\\S+)");

  private final ApiKeyStore store;
  // Only the admin key's hash is kept; the caller's string is not retained.
  private final byte[] adminKeyHash;
  private final Clock clock;
  private final Duration ttl;
  private final Duration unknownKeyTtl;
  private final Map<String, Cached> cache;
  private final Map<String, Unknown> unknown;
  // Counts revocations seen; a lookup that overlapped one does not fill a cache (it may predate it).
  private final AtomicLong changes = new AtomicLong();

  private record Cached(Principal principal, Instant expiresAt) {}

  /** A key the store did not accept, by hash. */
  private record Unknown(Instant expiresAt) {}

  /** An authenticator with the default caches (30 s, unknown keys 5 s, 10,000 keys each). */
  public Authenticator(ApiKeyStore store, String adminKey) {
    this(store, adminKey, Clock.systemUTC(), DEFAULT_TTL, DEFAULT_UNKNOWN_KEY_TTL, DEFAULT_MAX_ENTRIES);
  }

  /** An authenticator that does not remember unknown keys. */
  public Authenticator(ApiKeyStore store, String adminKey, Clock clock, Duration ttl, int maxEntries) {
    this(store, adminKey, clock, ttl, Duration.ZERO, maxEntries);
  }

  /**
   * @param adminKey the value of {@code JOBCLUSTER_ADMIN_KEY}; null for no admin key
   * @param unknownKeyTtl how long a key the store refused is refused again without asking it; zero: always ask
   * @throws IllegalArgumentException when the admin key is shorter than {@link #MIN_ADMIN_KEY_LENGTH}
   */
  public Authenticator(ApiKeyStore store, String adminKey, Clock clock, Duration ttl, Duration unknownKeyTtl, int maxEntries) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.unknownKeyTtl = Objects.requireNonNull(unknownKeyTtl, "unknownKeyTtl");
    if (adminKey != null && adminKey.strip().length() < MIN_ADMIN_KEY_LENGTH) {
      throw new IllegalArgumentException("the admin key must be at least " + MIN_ADMIN_KEY_LENGTH + " characters");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.adminKeyHash = adminKey == null ? null : ApiKey.sha256(adminKey.strip());
    this.cache = lru(maxEntries);
    this.unknown = lru(maxEntries);
  }

  private static <V> Map<String, V> lru(int maxEntries) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /**
   * Authenticates a request.
   *
   * @param authorization the {@code Authorization} header value, or null when absent
   * @param xApiKey the {@code X-API-Key} header value, or null when absent
   */
  public CompletionStage<AuthResult> authenticate(String authorization, String xApiKey) {
    Credential credential = credential(authorization, xApiKey);
    if (credential instanceof Refused refused) {
      return CompletableFuture.completedFuture(refused.denied());
    }
    return authenticate(((Presented) credential).key());
  }

  private CompletionStage<AuthResult> authenticate(String key) {
    if (adminKeyHash != null && ApiKey.matches(key, adminKeyHash)) {
      return CompletableFuture.completedFuture(new Authenticated(Principal.operator()));
    }
    Optional<String> keyId = ApiKey.keyIdOf(key);
    if (keyId.isEmpty()) {
      return CompletableFuture.completedFuture(Denied.unauthorized(INVALID));
    }
    String hash = ApiKey.hash(key);
    Principal cached = cached(hash);
    if (cached != null) {
      return CompletableFuture.completedFuture(new Authenticated(cached));
    }
    if (knownUnknown(hash)) {
      return CompletableFuture.completedFuture(Denied.unauthorized(INVALID));
    }
    long changesBefore = changes.get();
    return store.findByHash(hash).thenApply(found -> lookedUp(hash, keyId.get(), found, changesBefore));
  }

  /**
   * Whether these headers carry the operator's key or a key this node holds as valid, so
   * authenticating them asks no database (the gateway lets them past a client address's exhausted limit).
   */
  public boolean isCached(String authorization, String xApiKey) {
    if (credential(authorization, xApiKey) instanceof Presented presented) {
      String key = presented.key();
      return (adminKeyHash != null && ApiKey.matches(key, adminKeyHash)) || (ApiKey.keyIdOf(key).isPresent() && cached(ApiKey.hash(key)) != null);
    }
    return false;
  }

  private AuthResult lookedUp(String hash, String keyId, Optional<ApiKeyInfo> found, long changesBefore) {
    // The row was found by this hash; the key id check only guards against a corrupted row. A row of the
    // reserved tenant cannot be issued; should one be in the table anyway, it is not the operator.
    if (found.isEmpty() || found.get().revoked() || !found.get().keyId().equals(keyId) || Principal.ADMIN_TENANT.equals(found.get().tenant())) {
      log.debug("API key refused keyId={}", keyId);
      if (!unknownKeyTtl.isZero()) {
        remember(unknown, hash, new Unknown(clock.instant().plus(unknownKeyTtl)), changesBefore);
      }
      return Denied.unauthorized(INVALID);
    }
    ApiKeyInfo info = found.get();
    Principal principal = new Principal(info.tenant(), info.keyId(), info.scopes());
    remember(cache, hash, new Cached(principal, clock.instant().plus(ttl)), changesBefore);
    return new Authenticated(principal);
  }

  /** Caches an answer, unless a revocation arrived while it was looked up (the answer may predate it). */
  private <V> void remember(Map<String, V> map, String hash, V value, long changesBefore) {
    synchronized (this) {
      if (changes.get() == changesBefore) {
        map.put(hash, value);
      }
    }
  }

  /** The key {@code keyId} was revoked (on any node): this node refuses it from now on. */
  public void revoked(String keyId) {
    synchronized (this) {
      changes.incrementAndGet();
      cache.values().removeIf(entry -> entry.principal().keyId().equals(keyId));
    }
  }

  private boolean knownUnknown(String hash) {
    return live(unknown, hash, Unknown::expiresAt) != null;
  }

  private Principal cached(String hash) {
    Cached entry = live(cache, hash, Cached::expiresAt);
    return entry == null ? null : entry.principal();
  }

  /** The entry for {@code hash} while it has not expired; an expired one is dropped. */
  private <V> V live(Map<String, V> map, String hash, Function<V, Instant> expiresAt) {
    synchronized (this) {
      V entry = map.get(hash);
      if (entry != null && !clock.instant().isBefore(expiresAt.apply(entry))) {
        map.remove(hash);
        return null;
      }
      return entry;
    }
  }

  private sealed interface Credential {}

  private record Presented(String key) implements Credential {}

  private record Refused(Denied denied) implements Credential {}

  private static Credential credential(String authorization, String xApiKey) {
    if (authorization == null && xApiKey == null) {
      return new Refused(Denied.unauthorized(MISSING));
    }
    String fromAuthorization = authorization == null ? null : bearer(authorization);
    String fromHeader = xApiKey == null ? null : xApiKey.strip();
    if ((authorization != null && fromAuthorization == null) || (fromHeader != null && fromHeader.isEmpty())) {
      return new Refused(Denied.unauthorized(MALFORMED));
    }
    if (fromAuthorization != null && fromHeader != null && !fromAuthorization.equals(fromHeader)) {
      return new Refused(Denied.unauthorized(CONFLICTING));
    }
    return new Presented(fromAuthorization != null ? fromAuthorization : fromHeader);
  }

  /** The key of a {@code Bearer} Authorization value; null when the value is anything else. */
  private static String bearer(String authorization) {
    Matcher matcher = AUTHORIZATION.matcher(authorization.strip());
    return matcher.matches() && matcher.group(1).equalsIgnoreCase("bearer") ? matcher.group(2) : null;
  }
}

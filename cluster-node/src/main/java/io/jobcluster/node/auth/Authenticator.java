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
 * recently used out first) so requests do not each hit the database: <b>a revoked key keeps
 * working on a node for up to {@code ttl}</b> (30 s by default). Negative answers are not cached.
 * A database failure fails the stage with {@link ApiKeyStoreException} (503, not 401).
 */
public final class Authenticator {
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
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
  private final Map<String, Cached> cache;

  private record Cached(Principal principal, Instant expiresAt) {}

  /** An authenticator with the default cache (30 s, 10,000 keys). */
  public Authenticator(ApiKeyStore store, String adminKey) {
    this(store, adminKey, Clock.systemUTC(), DEFAULT_TTL, DEFAULT_MAX_ENTRIES);
  }

  /**
   * @param adminKey the value of {@code JOBCLUSTER_ADMIN_KEY}; null for no admin key
   * @throws IllegalArgumentException when the admin key is shorter than {@link #MIN_ADMIN_KEY_LENGTH}
   */
  public Authenticator(ApiKeyStore store, String adminKey, Clock clock, Duration ttl, int maxEntries) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (adminKey != null && adminKey.strip().length() < MIN_ADMIN_KEY_LENGTH) {
      throw new IllegalArgumentException("the admin key must be at least " + MIN_ADMIN_KEY_LENGTH + " characters");
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive");
    }
    this.adminKeyHash = adminKey == null ? null : ApiKey.sha256(adminKey.strip());
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
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
      return CompletableFuture.completedFuture(new Authenticated(Principal.admin()));
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
    return store.findByHash(hash).thenApply(found -> lookedUp(hash, keyId.get(), found));
  }

  private AuthResult lookedUp(String hash, String keyId, Optional<ApiKeyInfo> found) {
    // The row was found by this hash; the key id check only guards against a corrupted row.
    if (found.isEmpty() || found.get().revoked() || !found.get().keyId().equals(keyId)) {
      log.debug("API key refused keyId={}", keyId);
      return Denied.unauthorized(INVALID);
    }
    ApiKeyInfo info = found.get();
    Principal principal = new Principal(info.tenant(), info.keyId(), info.scopes());
    synchronized (cache) {
      cache.put(hash, new Cached(principal, clock.instant().plus(ttl)));
    }
    return new Authenticated(principal);
  }

  /** Drops a revoked key from this node's cache at once; other nodes stop accepting it within the cache's TTL. */
  public void forget(String keyId) {
    synchronized (cache) {
      cache.values().removeIf(entry -> entry.principal().keyId().equals(keyId));
    }
  }

  private Principal cached(String hash) {
    synchronized (cache) {
      Cached entry = cache.get(hash);
      if (entry == null) {
        return null;
      }
      if (!clock.instant().isBefore(entry.expiresAt())) {
        cache.remove(hash);
        return null;
      }
      return entry.principal();
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

package io.jobcluster.node.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The key format {@code jc_<keyId>_<secret>}: {@code keyId} is 16 lower-case hex characters (a
 * public id for lists, logs and revocation), {@code secret} 32 random bytes from
 * {@link SecureRandom}, base64url without padding (43 characters, 256 bits).
 *
 * <p>Only the SHA-256 of the whole key is stored. A plain hash without a slow KDF (bcrypt,
 * scrypt, argon2) is right here: slow KDFs protect low-entropy passwords from guessing, and
 * nobody can guess 256 random bits, so a fast hash keeps the per-request check cheap at no loss.
 */
public final class ApiKey {
  static final String PREFIX = "jc_";
  static final int KEY_ID_BYTES = 8;
  static final int SECRET_BYTES = 32;

  // base64url may contain '_', so the key id (hex, never '_') is what separates the parts.
  private static final Pattern FORMAT = Pattern.compile("jc_([0-9a-f]{16})_([A-Za-z0-9_-]{43})");
  private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
  private static final Base64.Encoder SECRET_ENCODING = Base64.getUrlEncoder().withoutPadding();

  private ApiKey() {}

  /** A new key: its public id, the plaintext to hand out once, and the hash to store. */
  record Generated(String keyId, String plaintext, String hash) {
    @Override
    public String toString() {
      return "Generated[keyId=" + keyId + ", plaintext=***, hash=" + hash + "]";
    }
  }

  static Generated generate(SecureRandom random) {
    byte[] id = new byte[KEY_ID_BYTES];
    random.nextBytes(id);
    String keyId = HexFormat.of().formatHex(id);
    String plaintext = PREFIX + keyId + "_" + newSecret(random);
    return new Generated(keyId, plaintext, hash(plaintext));
  }

  /** {@value #SECRET_BYTES} random bytes, base64url without padding: the secret part of every key Jobcluster makes. */
  public static String newSecret(SecureRandom random) {
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    return SECRET_ENCODING.encodeToString(secret);
  }

  /** Whether {@code keyId} has the form every key id has. */
  static boolean isKeyId(String keyId) {
    return KEY_ID.matcher(keyId).matches();
  }

  /** The key id of a well-formed key; empty for anything else. */
  static Optional<String> keyIdOf(String key) {
    Matcher matcher = FORMAT.matcher(key);
    return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  /** Lower-case hex SHA-256 of the key's UTF-8 bytes, as the {@code api_keys.key_hash} column keeps it. */
  public static String hash(String key) {
    return HexFormat.of().formatHex(sha256(key));
  }

  static byte[] sha256(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Whether {@code key} hashes to {@code expectedHash}, in time independent of where they differ. */
  static boolean matches(String key, byte[] expectedHash) {
    return MessageDigest.isEqual(sha256(key), expectedHash);
  }
}

package io.jobcluster.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
  @Test
  void generatedKeyHasTheDocumentedFormatAndItsHash() {
    ApiKey.Generated key = ApiKey.generate(new SecureRandom());
    assertTrue(key.plaintext().matches("jc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}"), key.plaintext());
    assertEquals(Optional.of(key.keyId()), ApiKey.keyIdOf(key.plaintext()));
    assertEquals(key.hash(), ApiKey.hash(key.plaintext()));
    assertTrue(key.hash().matches("[0-9a-f]{64}"));
    assertFalse(key.toString().contains(key.plaintext()));
  }

  @Test
  void hashIsTheHexSha256OfTheWholeKey() {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKey.hash("abc"));
  }

  @Test
  void matchesComparesHashes() {
    assertTrue(ApiKey.matches("abc", ApiKey.sha256("abc")));
    assertFalse(ApiKey.matches("abd", ApiKey.sha256("abc")));
  }

  @Test
  void malformedKeysHaveNoKeyId() {
    assertEquals(Optional.empty(), ApiKey.keyIdOf("jc_0123456789abcdef_short"));
    assertEquals(Optional.empty(), ApiKey.keyIdOf("xx_0123456789abcdef_" + "a".repeat(43)));
    assertEquals(Optional.empty(), ApiKey.keyIdOf("jc_0123456789ABCDEF_" + "a".repeat(43)));
    assertEquals(Optional.of("0123456789abcdef"), ApiKey.keyIdOf("jc_0123456789abcdef_" + "_".repeat(43)));
  }

  @Test
  void authenticatorRefusesAShortAdminKeyAndAnEmptyCache() {
    ApiKeyStore store = new ApiKeyStore(new HikariDataSource(), Runnable::run, Clock.systemUTC());
    assertThrows(IllegalArgumentException.class, () -> new Authenticator(store, "short"));
    assertThrows(IllegalArgumentException.class, () -> new Authenticator(store, null, Clock.systemUTC(), Duration.ofSeconds(1), 0));
  }
}

package io.jobcluster.node.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jobcluster.node.auth.AuthResult.Authenticated;
import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.SchemaMigrator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeysTest {
  @TempDir
  Path dataDir;

  @Test
  void initStartsAStoreAndAnAuthenticatorOnTheSystem() throws Exception {
    DatabaseSettings db = DatabaseSettings.h2(dataDir);
    SchemaMigrator.migrate(db);
    ActorTestKit testKit = ActorTestKit.create("api-keys");
    try {
      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      ApiKeys keys = ApiKeys.start(testKit.system(), db, "admin-key-0123456789-abcdefghijklmnop", meters);
      IssuedApiKey key = keys.store().issue("acme", Set.of(Scope.SUBMIT), null).toCompletableFuture().get(10, TimeUnit.SECONDS);
      AuthResult result = keys.authenticator().authenticate("Bearer " + key.plaintext(), null).toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertEquals("acme", assertInstanceOf(Authenticated.class, result).principal().tenant());
      assertNotNull(meters.find("hikaricp.connections.active").tag("pool", ApiKeys.POOL_NAME).gauge(), "the pool reports its connections");
    } finally {
      testKit.shutdownTestKit();
    }
  }
}

package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstStartAdminKeyTest {

  @Test
  void onlyTheEmbeddedDefaultWithoutAKeyMakesOne(@TempDir Path dataDir) {
    Map<String, String> embedded = Map.of("jobcluster.database.data-dir", dataDir.toString());

    assertTrue(FirstStartAdminKey.forEmbeddedNode(NodeConfig.settings(ConfigFactory.parseMap(embedded))).isPresent());
    assertTrue(FirstStartAdminKey.forEmbeddedNode(NodeConfig.settings(ConfigFactory.parseMap(Map.of(
        "jobcluster.database.data-dir", dataDir.resolve("given").toString(),
        "jobcluster.admin-key", "k".repeat(40))))).isEmpty(), "a configured key wins");
    assertTrue(FirstStartAdminKey.forEmbeddedNode(NodeConfig.settings(ConfigFactory.parseMap(Map.of(
        "jobcluster.database.data-dir", dataDir.resolve("pg").toString(),
        "jobcluster.database.url", "jdbc:postgresql://127.0.0.1:5432/jobcluster")))).isEmpty(), "a cluster's nodes share the operator's key");
    assertFalse(Files.exists(dataDir.resolve("given")));
    assertFalse(Files.exists(dataDir.resolve("pg")));
  }

  @Test
  void keepsOneKeyAndShowsItOnlyWhenItWasMade(@TempDir Path dataDir) {
    Path file = dataDir.resolve("nested").resolve(FirstStartAdminKey.FILE_NAME);

    FirstStartAdminKey made = FirstStartAdminKey.readOrCreate(file);
    FirstStartAdminKey kept = FirstStartAdminKey.readOrCreate(file);

    assertTrue(made.created());
    assertFalse(kept.created());
    assertEquals(made.key(), kept.key());
    assertTrue(made.key().length() >= 32, made.key());
    assertTrue(made.banner("http://127.0.0.1:8080").contains(made.key()));
    assertFalse(kept.banner("http://127.0.0.1:8080").contains(made.key()));
    assertTrue(kept.banner("http://127.0.0.1:8080").contains("$(cat " + file + ")"));
    assertFalse(made.toString().contains(made.key()), "no secret in toString");
  }
}

package io.jobcluster.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Loads config the way the node does, from a test application file that includes persistence. */
final class TestNodeConfig {
  private TestNodeConfig() {}

  static Config load(DatabaseSettings db) {
    return ConfigFactory.load(PersistenceConfig.forDatabase(db)
        .withFallback(ConfigFactory.parseResourcesAnySyntax("jobcluster-test-node")));
  }
}

package io.jobcluster.persistence;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class ClusterSecretStoreH2Test extends ClusterSecretStoreContract {
  @TempDir Path dataDirectory;
  private final AtomicInteger databases = new AtomicInteger();

  @Override
  DatabaseSettings emptyDatabase() {
    return DatabaseSettings.h2(dataDirectory.resolve("node-" + databases.incrementAndGet()));
  }
}

package io.jobcluster.node.readmodel;

import io.jobcluster.persistence.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2ReadModelDatabaseTest extends ReadModelDatabaseContract {
  @TempDir
  static Path dataDir;

  @Override
  protected DatabaseSettings database() {
    return DatabaseSettings.h2(dataDir);
  }
}

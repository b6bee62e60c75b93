package io.jobcluster.node;

import io.jobcluster.persistence.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2RetentionTest extends RetentionEndToEndContract {
  @TempDir
  static Path dataDir;

  @Override
  protected DatabaseSettings database() {
    return DatabaseSettings.h2(dataDir);
  }
}

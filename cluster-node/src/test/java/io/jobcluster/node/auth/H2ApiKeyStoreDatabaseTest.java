package io.jobcluster.node.auth;

import io.jobcluster.persistence.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2ApiKeyStoreDatabaseTest extends ApiKeyStoreDatabaseContract {
  @TempDir
  static Path dataDir;

  @Override
  protected DatabaseSettings database() {
    return DatabaseSettings.h2(dataDir);
  }
}

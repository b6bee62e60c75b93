package io.jobcluster.node;

import io.jobcluster.persistence.DatabaseSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The embedded default: an H2 file database, as a single node without PostgreSQL uses it. */
class H2JobRecoveryTest extends JobRecoveryContract {
  @TempDir
  static Path dataDir;

  @Override
  protected DatabaseSettings database() {
    return DatabaseSettings.h2(dataDir);
  }
}

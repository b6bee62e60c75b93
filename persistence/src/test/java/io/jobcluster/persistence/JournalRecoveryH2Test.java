package io.jobcluster.persistence;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JournalRecoveryH2Test extends JournalRecoveryContract {

  @TempDir Path dataDirectory;

  @Override
  DatabaseSettings migratedDatabase() {
    DatabaseSettings db = DatabaseSettings.h2(dataDirectory);
    SchemaMigrator.migrate(db);
    return db;
  }
}

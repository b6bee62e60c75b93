package io.jobcluster.persistence;

import io.jobcluster.persistence.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class JournalRecoveryPostgresTest extends JournalRecoveryContract {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @Override
  DatabaseSettings migratedDatabase() {
    SchemaMigrator.migrate(POSTGRES.settings());
    return POSTGRES.settings();
  }
}

package io.jobcluster.persistence;

import io.jobcluster.persistence.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterSecretStorePostgresTest extends ClusterSecretStoreContract {
  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  @Override
  DatabaseSettings emptyDatabase() {
    return POSTGRES.newDatabase("secret");
  }
}

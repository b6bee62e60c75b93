package io.jobcluster.node.readmodel;

import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresReadModelDatabaseTest extends ReadModelDatabaseContract {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Override
  protected DatabaseSettings database() {
    return POSTGRES.settings();
  }
}

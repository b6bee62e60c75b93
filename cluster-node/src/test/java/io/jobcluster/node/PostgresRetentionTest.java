package io.jobcluster.node;

import io.jobcluster.persistence.DatabaseSettings;
import io.jobcluster.persistence.testing.PostgresExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresRetentionTest extends RetentionEndToEndContract {
  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Override
  protected DatabaseSettings database() {
    return POSTGRES.settings();
  }
}

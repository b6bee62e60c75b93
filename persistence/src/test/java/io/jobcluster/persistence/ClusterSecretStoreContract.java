package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The stored cluster secret on every dialect; subclasses supply empty databases. */
abstract class ClusterSecretStoreContract {

  /** A new, empty database. */
  abstract DatabaseSettings emptyDatabase();

  @Test
  void theFirstReadDrawsASecretAndEveryLaterReadAnswersTheSame() {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);

    byte[] first = ClusterSecretStore.readOrCreate(db);
    byte[] again = ClusterSecretStore.readOrCreate(db);

    assertEquals(32, first.length);
    assertArrayEquals(first, again);
    assertEquals(1, TestJdbc.count(db, "SELECT count(*) FROM jobcluster_cluster_secret"));
  }

  @Test
  void nodesStartingTogetherAllGetTheOneSecretStored() throws Exception {
    DatabaseSettings db = emptyDatabase();
    SchemaMigrator.migrate(db);

    List<CompletableFuture<byte[]>> nodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      nodes.add(CompletableFuture.supplyAsync(() -> ClusterSecretStore.readOrCreate(db), runnable -> new Thread(runnable).start()));
    }
    byte[] stored = ClusterSecretStore.readOrCreate(db);
    for (CompletableFuture<byte[]> node : nodes) {
      assertArrayEquals(stored, node.get(60, TimeUnit.SECONDS));
    }
    assertEquals(1, TestJdbc.count(db, "SELECT count(*) FROM jobcluster_cluster_secret"));
  }
}

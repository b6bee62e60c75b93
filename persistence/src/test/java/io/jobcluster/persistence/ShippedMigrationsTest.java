package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ShippedMigrationsTest {

  @Test
  void everyDialectShipsTheSameVersions() {
    List<List<String>> names = Stream.of(Dialect.values())
        .map(dialect -> MigrationFolder.shippedScripts(dialect).stream()
            .map(Path::getFileName).map(Path::toString).toList())
        .toList();

    assertEquals(names.get(0), names.get(1));
    assertEquals("V1__pekko_persistence_jdbc.sql", names.get(0).get(0));
  }
}

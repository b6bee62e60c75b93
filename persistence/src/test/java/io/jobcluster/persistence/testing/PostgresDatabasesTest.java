package io.jobcluster.persistence.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PostgresDatabasesTest {

  @Test
  void uniqueNamesAreValidDistinctAndReadable() {
    String first = PostgresDatabases.uniqueName("SchemaMigrator$Nested Test");
    String second = PostgresDatabases.uniqueName("SchemaMigrator$Nested Test");

    assertNotEquals(first, second);
    assertTrue(first.matches("schemamigrator_nested_test_[0-9a-f]+"), first);
    assertTrue(PostgresDatabases.uniqueName("9lives").startsWith("db_9lives_"));
    assertTrue(PostgresDatabases.uniqueName("x".repeat(100)).length() <= 63);
  }

  @Test
  void replacesTheDatabaseOfAUrlAndKeepsItsParameters() {
    assertEquals("jdbc:postgresql://db:5432/other?ssl=true&user=x",
        PostgresDatabases.withDatabase("jdbc:postgresql://db:5432/postgres?ssl=true&user=x",
            "other"));
    assertEquals("jdbc:postgresql://db/other",
        PostgresDatabases.withDatabase("jdbc:postgresql://db", "other"));
    assertThrows(IllegalArgumentException.class,
        () -> PostgresDatabases.withDatabase("jdbc:postgresql:postgres", "other"));
  }
}

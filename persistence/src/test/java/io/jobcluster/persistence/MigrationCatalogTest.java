package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MigrationCatalogTest {

  @TempDir Path root;

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void indexListsExactlyTheShippedMigrationFiles(Dialect dialect)
      throws IOException, URISyntaxException {
    URL folder = getClass().getClassLoader().getResource(dialect.migrationFolder());
    List<String> files;
    try (Stream<Path> paths = Files.list(Path.of(folder.toURI()))) {
      files = paths.map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".sql")).sorted().toList();
    }

    List<String> listed = MigrationCatalog.load(dialect, getClass().getClassLoader()).stream()
        .map(script -> script.migration().resource())
        .map(resource -> resource.substring(resource.lastIndexOf('/') + 1))
        .sorted().toList();

    assertEquals(files, listed);
  }

  @Test
  void everyDialectShipsTheSameVersions() {
    List<List<String>> versions = Stream.of(Dialect.values())
        .map(dialect -> MigrationCatalog.load(dialect, getClass().getClassLoader()).stream()
            .map(script -> script.migration().version() + " " + script.migration().description())
            .toList())
        .toList();

    assertEquals(versions.get(0), versions.get(1));
    assertEquals("1 pekko_persistence_jdbc", versions.get(0).get(0));
  }

  @Test
  void ordersMigrationsByVersionNotByListing() {
    MigrationFolder folder = new MigrationFolder(root, Dialect.H2)
        .write(MigrationCatalog.INDEX, "# newest first\nV10__ten.sql\n\nV2__two.sql\n")
        .write("V10__ten.sql", "SELECT 10")
        .write("V2__two.sql", "SELECT 2");

    List<Migration> migrations =
        folder.load().stream().map(MigrationCatalog.Script::migration).toList();

    assertEquals(List.of(2, 10), migrations.stream().map(Migration::version).toList());
    assertEquals("db/h2/V10__ten.sql", migrations.get(1).resource());
    assertEquals(MigrationCatalog.checksum("SELECT 10"), migrations.get(1).checksum());
  }

  @Test
  void checksumIgnoresWindowsLineEndings() {
    assertEquals(MigrationCatalog.checksum("SELECT 1;\nSELECT 2;\n"),
        MigrationCatalog.checksum("SELECT 1;\r\nSELECT 2;\r\n"));
    assertEquals(64, MigrationCatalog.checksum("").length());
  }

  @Test
  void rejectsAMigrationNotNamedByTheConvention() {
    MigrationFolder folder = new MigrationFolder(root, Dialect.H2)
        .write(MigrationCatalog.INDEX, "v2_jobs.sql\n")
        .write("v2_jobs.sql", "SELECT 1");

    assertMessage(folder, "is not named V<version>__<description>.sql");
  }

  @Test
  void rejectsTwoMigrationsWithTheSameVersion() {
    MigrationFolder folder = new MigrationFolder(root, Dialect.H2)
        .write(MigrationCatalog.INDEX, "V2__jobs.sql\nV2__stats.sql\n")
        .write("V2__jobs.sql", "SELECT 1")
        .write("V2__stats.sql", "SELECT 2");

    assertMessage(folder, "Two migrations have version 2");
  }

  @Test
  void rejectsAListedMigrationThatIsMissing() {
    MigrationFolder folder = new MigrationFolder(root, Dialect.POSTGRES)
        .write(MigrationCatalog.INDEX, "V3__gone.sql\n");

    assertMessage(folder, "db/postgres/V3__gone.sql is missing");
  }

  @Test
  void rejectsAFolderWithoutIndexOrWithAnEmptyOne() {
    assertMessage(new MigrationFolder(root, Dialect.H2), "db/h2/migrations.txt is missing");
    assertMessage(new MigrationFolder(root, Dialect.H2).write(MigrationCatalog.INDEX, "# none\n"),
        "lists no migration");
  }

  private static void assertMessage(MigrationFolder folder, String expected) {
    SchemaMigrationException e = assertThrows(SchemaMigrationException.class, folder::load);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}

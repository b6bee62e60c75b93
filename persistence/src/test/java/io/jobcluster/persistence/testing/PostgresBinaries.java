package io.jobcluster.persistence.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Where the machine's PostgreSQL server programs ({@code initdb}, {@code pg_ctl}) are. */
public record PostgresBinaries(Path binDirectory) {

  public static final String NOT_FOUND =
      "PostgreSQL server binaries not found (initdb/pg_ctl); install them with: "
          + "apt-get install postgresql";

  /**
   * The system's binaries when it has them, else those from Maven Central for this OS and
   * architecture ({@link MavenPostgresBinaries}); {@code -Djobcluster.test.postgres-binaries=maven}
   * takes the Maven ones first.
   *
   * @throws IllegalStateException naming what to install when neither exists
   */
  public static PostgresBinaries find() {
    List<Path> searchPath = defaultSearchPath();
    if (MavenPostgresBinaries.preferred()) {
      return MavenPostgresBinaries.extracted().orElseGet(() -> locate(searchPath));
    }
    try {
      return locate(searchPath);
    } catch (IllegalStateException missing) {
      return MavenPostgresBinaries.extracted().orElseThrow(() -> new IllegalStateException(missing.getMessage()
          + "; no PostgreSQL binaries from Maven Central for this machine either (" + MavenPostgresBinaries.archiveName()
          + " is not on the test classpath: the root pom's postgres-binaries profiles know Linux and macOS on x86_64 and arm64)"));
    }
  }

  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  /** Debian's {@code /usr/lib/postgresql/<version>/bin}, newest version first, then the PATH. */
  public static List<Path> defaultSearchPath() {
    List<Path> searchPath = new ArrayList<>(debianVersionDirectories(DEBIAN_ROOT));
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          searchPath.add(Path.of(entry));
        }
      }
    }
    return searchPath;
  }

  /** The first directory of {@code searchPath} holding both programs. */
  public static PostgresBinaries locate(List<Path> searchPath) {
    for (Path directory : searchPath) {
      if (Files.isExecutable(directory.resolve("initdb"))
          && Files.isExecutable(directory.resolve("pg_ctl"))) {
        return new PostgresBinaries(directory);
      }
    }
    throw new IllegalStateException(NOT_FOUND + " (searched: " + searchPath + ")");
  }

  public Path initdb() {
    return binDirectory.resolve("initdb");
  }

  public Path pgCtl() {
    return binDirectory.resolve("pg_ctl");
  }

  /** {@code <root>/<version>/bin}, newest version first. */
  static List<Path> debianVersionDirectories(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .sorted(Comparator.comparing(PostgresBinaries::versionOf).reversed())
          .map(version -> version.resolve("bin"))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** "15" or "9.6" as a comparable number; anything else sorts last. */
  private static Double versionOf(Path directory) {
    try {
      return Double.parseDouble(directory.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1.0;
    }
  }
}

package io.jobcluster.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A folder of migration scripts of its own, to add or change scripts; a Flyway location. */
final class MigrationFolder {
  private final Path folder;

  private MigrationFolder(Path folder) {
    this.folder = folder;
  }

  /** The scripts this module ships for {@code dialect}, copied verbatim into {@code root}. */
  static MigrationFolder copyOfShipped(Path root, Dialect dialect) {
    MigrationFolder copy = new MigrationFolder(root.resolve(dialect.migrationFolder()));
    for (Path script : shippedScripts(dialect)) {
      copy.write(script.getFileName().toString(), read(script));
    }
    return copy;
  }

  /** The shipped scripts of {@code dialect} in version order (the test classpath is a folder). */
  static List<Path> shippedScripts(Dialect dialect) {
    URL folder = MigrationFolder.class.getClassLoader().getResource(dialect.migrationFolder());
    try (Stream<Path> paths = Files.list(Path.of(folder.toURI()))) {
      return paths.filter(path -> path.getFileName().toString().endsWith(".sql"))
          .sorted(Comparator.comparingInt(MigrationFolder::version))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The version of a script named {@code V<version>__<description>.sql}. */
  static int version(Path script) {
    String name = script.getFileName().toString();
    return Integer.parseInt(name.substring(1, name.indexOf("__")));
  }

  static String read(Path script) {
    try {
      return Files.readString(script);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  MigrationFolder write(String name, String content) {
    try {
      Files.createDirectories(folder);
      Files.writeString(folder.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Every script with its line endings turned into CRLF, as a Windows checkout has them. */
  MigrationFolder withWindowsLineEndings() {
    try (Stream<Path> scripts = Files.list(folder)) {
      scripts.forEach(script -> write(script.getFileName().toString(),
          read(script).replace("\r\n", "\n").replace("\n", "\r\n")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** This folder as a Flyway location. */
  String location() {
    return "filesystem:" + folder;
  }
}

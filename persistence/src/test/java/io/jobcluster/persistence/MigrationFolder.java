package io.jobcluster.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** A classpath of its own holding a dialect's migration folder, to add or change migrations. */
final class MigrationFolder {
  private final Path root;
  private final Dialect dialect;

  MigrationFolder(Path root, Dialect dialect) {
    this.root = root;
    this.dialect = dialect;
  }

  /** The folder with the migrations this module ships, copied verbatim. */
  static MigrationFolder copyOfShipped(Path root, Dialect dialect) {
    MigrationFolder folder = new MigrationFolder(root, dialect);
    ClassLoader shipped = MigrationFolder.class.getClassLoader();
    String index = folder.dialect.migrationFolder() + "/" + MigrationCatalog.INDEX;
    try (InputStream in = shipped.getResourceAsStream(index)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      folder.write(MigrationCatalog.INDEX, text);
      for (String line : text.split("\n")) {
        if (line.startsWith("V")) {
          try (InputStream script =
              shipped.getResourceAsStream(dialect.migrationFolder() + "/" + line.strip())) {
            folder.write(line.strip(), new String(script.readAllBytes(),
                StandardCharsets.UTF_8));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return folder;
  }

  /** Adds {@code name} with {@code sql} and lists it in the index. */
  MigrationFolder add(String name, String sql) {
    write(name, sql);
    try {
      Files.writeString(file(MigrationCatalog.INDEX), name + "\n",
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  MigrationFolder write(String name, String content) {
    try {
      Files.createDirectories(file(name).getParent());
      Files.writeString(file(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** A loader that sees only this folder (and the JDK), not the module's own migrations. */
  ClassLoader classLoader() {
    try {
      return new URLClassLoader(new URL[] {root.toUri().toURL()}, null);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  List<MigrationCatalog.Script> load() {
    return MigrationCatalog.load(dialect, classLoader());
  }

  private Path file(String name) {
    return root.resolve(dialect.migrationFolder()).resolve(name);
  }
}

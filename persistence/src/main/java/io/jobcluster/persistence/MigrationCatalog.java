package io.jobcluster.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migrations a dialect ships: the files its folder's {@value #INDEX} lists, in version
 * order. An index rather than a folder listing because classpath folders cannot be listed
 * reliably inside (shaded) jars.
 */
final class MigrationCatalog {

  static final String INDEX = "migrations.txt";
  static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]{0,8})__([A-Za-z0-9_]+)\\.sql");

  /** A migration with its SQL text, which stays out of the public record (and its toString). */
  record Script(Migration migration, String sql) {}

  private MigrationCatalog() {}

  static List<Script> load(Dialect dialect, ClassLoader loader) {
    String folder = dialect.migrationFolder();
    String index = read(loader, folder + "/" + INDEX);
    TreeMap<Integer, Script> byVersion = new TreeMap<>();
    for (String line : index.split("\n")) {
      String name = line.strip();
      if (name.isEmpty() || name.startsWith("#")) {
        continue;
      }
      Script script = script(loader, folder, name);
      Script previous = byVersion.put(script.migration().version(), script);
      if (previous != null) {
        throw new SchemaMigrationException("Two migrations have version "
            + script.migration().version() + ": " + previous.migration().resource() + " and "
            + script.migration().resource());
      }
    }
    if (byVersion.isEmpty()) {
      throw new SchemaMigrationException(folder + "/" + INDEX + " lists no migration");
    }
    return List.copyOf(byVersion.values());
  }

  /** SHA-256 of the script with line endings unified, so a checkout with CRLF matches too. */
  static String checksum(String sql) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(unifyLineEndings(sql).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

  private static Script script(ClassLoader loader, String folder, String name) {
    Matcher matcher = FILE_NAME.matcher(name);
    if (!matcher.matches()) {
      throw new SchemaMigrationException("Migration " + folder + "/" + name
          + " is not named V<version>__<description>.sql");
    }
    String resource = folder + "/" + name;
    String sql = unifyLineEndings(read(loader, resource));
    Migration migration = new Migration(
        Integer.parseInt(matcher.group(1)), matcher.group(2), resource, checksum(sql));
    return new Script(migration, sql);
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new SchemaMigrationException("Classpath resource " + resource + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new SchemaMigrationException("Cannot read classpath resource " + resource, e);
    }
  }

  private static String unifyLineEndings(String text) {
    return text.replace("\r\n", "\n");
  }
}

package io.jobcluster.node;

import com.typesafe.config.Config;
import io.jobcluster.node.auth.ApiKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The admin key a node on the embedded default makes for itself, so a newcomer's first start gives
 * a node they can use at once. Only with no database URL (embedded H2, one node, a local file) and
 * no {@code JOBCLUSTER_ADMIN_KEY}: the key is created once in the data directory, readable by its
 * owner only, and reused by every later start; deleting the file makes a new one at the next start.
 * A node on PostgreSQL never makes one: a cluster's nodes must share one key, which the operator gives.
 *
 * @param key the admin key
 * @param file where it is kept
 * @param created whether this start made it (the key is shown once, then only where it is kept)
 */
public record FirstStartAdminKey(String key, Path file, boolean created) {
  static final String FILE_NAME = "admin-key";

  /**
   * The key for a node configured by {@code jobcluster} (the resolved {@code jobcluster} block), or
   * empty when the node is not on the embedded default or was given a key.
   */
  public static Optional<FirstStartAdminKey> forEmbeddedNode(Config jobcluster) {
    if (!jobcluster.getString("admin-key").isBlank() || !jobcluster.getString("database.url").isBlank()) {
      return Optional.empty();
    }
    return Optional.of(readOrCreate(Path.of(jobcluster.getString("database.data-dir")).toAbsolutePath().normalize().resolve(FILE_NAME)));
  }

  static FirstStartAdminKey readOrCreate(Path file) {
    try {
      Files.createDirectories(file.getParent());
      String key = newKey();
      try {
        // Created with owner-only permissions, never widened afterwards: no moment in which others may read it.
        Files.writeString(Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
            key + "\n", StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        return new FirstStartAdminKey(key, file, true);
      } catch (FileAlreadyExistsException kept) {
        return new FirstStartAdminKey(Files.readString(file, StandardCharsets.UTF_8).strip(), file, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot keep the admin key in " + file, e);
    }
  }

  /** {@code jc_admin_} and 256 random bits: well above the admin key's 32-character minimum. */
  private static String newKey() {
    return "jc_admin_" + ApiKey.newSecret(new SecureRandom());
  }

  /** What the console shows at start: the key only when just created, then a {@code curl} that reads it from its file. */
  public String banner(String httpBase) {
    String curl = "curl -s -H \"Authorization: Bearer $(cat " + file + ")\" -H 'Content-Type: application/json' \\\n"
        + "       -d '{\"type\":\"noop\"}' " + httpBase + "/v1/jobs";
    String head = created
        ? "Created an admin key for this node (shown once; kept in " + file + ", readable by you only):\n  " + key + "\n"
        : "Admin key: kept in " + file + " (readable by you only).\n";
    return "\n" + head + "Submit a job:\n  " + curl + "\n";
  }

  /** No secret: the key itself is never part of this text. */
  @Override
  public String toString() {
    return "FirstStartAdminKey[file=" + file + ", created=" + created + "]";
  }
}

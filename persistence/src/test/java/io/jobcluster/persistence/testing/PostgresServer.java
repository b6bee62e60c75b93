package io.jobcluster.persistence.testing;

import io.jobcluster.persistence.DatabaseSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server from the machine's binaries: its own cluster in a fresh temp
 * directory, on a free 127.0.0.1 port, trust authentication, fsync on (tests check durability).
 * {@link #stop()} and {@link #start()} again keep the data directory and the port, so tests can
 * take the database away and bring it back. When the JVM runs as root the server runs as the
 * {@code postgres} OS user (PostgreSQL refuses root).
 */
public final class PostgresServer implements AutoCloseable {

  public static final String SUPERUSER = "postgres";
  public static final int MAX_CONNECTIONS = 300;

  private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(20);
  private static final String OS_USER = "postgres";

  private final PostgresBinaries binaries;
  private final Path baseDirectory;
  private final Path dataDirectory;
  private final Path serverLog;
  private final Path commandLog;
  private final int port;
  private final boolean runAsPostgresUser;
  private boolean initialised;
  private boolean running;
  private boolean closed;

  private PostgresServer(PostgresBinaries binaries, Path baseDirectory, int port,
      boolean runAsPostgresUser) {
    this.binaries = binaries;
    this.baseDirectory = baseDirectory;
    this.dataDirectory = baseDirectory.resolve("data");
    this.serverLog = baseDirectory.resolve("postgres.log");
    this.commandLog = baseDirectory.resolve("commands.log");
    this.port = port;
    this.runAsPostgresUser = runAsPostgresUser;
  }

  /** A server from the system's binaries, else those from Maven Central ({@link PostgresBinaries#find()}); not started yet. */
  public static PostgresServer create() {
    return create(PostgresBinaries.find());
  }

  /** A server from the first directory of {@code searchPath} holding initdb and pg_ctl. */
  public static PostgresServer create(List<Path> searchPath) {
    return create(PostgresBinaries.locate(searchPath));
  }

  /** A server run by {@code binaries}, not started yet. */
  public static PostgresServer create(PostgresBinaries binaries) {
    boolean asPostgres = MavenPostgresBinaries.runsAsRoot();
    try {
      // Under /tmp: short enough for the unix socket path, and traversable by postgres.
      Path parent = Files.isDirectory(Path.of("/tmp"))
          ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
      Path base = Files.createTempDirectory(parent, "jobcluster-pg-");
      if (asPostgres) {
        giveToPostgresUser(base);
      }
      return new PostgresServer(binaries, base, freePort(), asPostgres);
    } catch (UserPrincipalNotFoundException e) {
      throw new IllegalStateException("Running as root, the server must run as the '" + OS_USER
          + "' OS user (PostgreSQL refuses root), which does not exist: run the tests as another user, or create it with "
          + "'useradd --system --user-group --home-dir /var/lib/postgresql " + OS_USER + "' (apt-get install postgresql creates it too)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare a PostgreSQL directory", e);
    }
  }

  /** Creates a server and starts it. */
  public static PostgresServer started() {
    PostgresServer server = create();
    try {
      server.start();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Starts the server (initialising its cluster the first time) and waits until it answers. */
  public synchronized void start() {
    requireOpen();
    if (running) {
      return;
    }
    long startedAt = System.nanoTime();
    if (!initialised) {
      initialise();
    }
    run("start", binaries.pgCtl().toString(), "-D", dataDirectory.toString(),
        "-l", serverLog.toString(), "-w", "-t", String.valueOf(READY_TIMEOUT.toSeconds()),
        "start");
    awaitConnectable();
    running = true;
    log.info("PostgreSQL started port={} dir={} ms={}", port, baseDirectory,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
  }

  /** Fast shutdown: open sessions are cut, committed data stays in the data directory. */
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    run("stop", binaries.pgCtl().toString(), "-D", dataDirectory.toString(),
        "-m", "fast", "-w", "-t", String.valueOf(COMMAND_TIMEOUT.toSeconds()), "stop");
    log.info("PostgreSQL stopped port={}", port);
  }

  /** {@link #stop()} then {@link #start()}: same data, same port. */
  public void restart() {
    stop();
    start();
  }

  public synchronized boolean isRunning() {
    return running;
  }

  public int port() {
    return port;
  }

  /** The temp directory holding the data directory and the server log. */
  public Path directory() {
    return baseDirectory;
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** Settings for {@code database} on this server as the superuser. */
  public DatabaseSettings settings(String database) {
    return DatabaseSettings.postgres(jdbcUrl(database), SUPERUSER, "");
  }

  /** Creates database {@code name} ({@code [a-z_][a-z0-9_]*}) and returns settings for it. */
  public DatabaseSettings createDatabase(String name) {
    return PostgresDatabases.create(settings("postgres"), name);
  }

  /** Stops the server and deletes its directory; safe to call more than once. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      stop();
    } catch (RuntimeException e) {
      log.warn("PostgreSQL did not stop cleanly port={}", port, e);
    } finally {
      closed = true;
      deleteRecursively(baseDirectory);
    }
  }

  private void initialise() {
    run("initdb", binaries.initdb().toString(), "-D", dataDirectory.toString(),
        "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale",
        // Skips syncing the fresh cluster's files only; the server itself runs with fsync on.
        "--no-sync");
    String settings = String.join("\n",
        "",
        "# jobcluster test server",
        "port = " + port,
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = '" + baseDirectory + "'",
        "max_connections = " + MAX_CONNECTIONS,
        "fsync = on",
        "synchronous_commit = on",
        "");
    try {
      Files.writeString(dataDirectory.resolve("postgresql.conf"), settings,
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot configure PostgreSQL in " + dataDirectory, e);
    }
    initialised = true;
  }

  private void awaitConnectable() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("connectTimeout", "2");
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), properties)) {
        if (connection.isValid((int) READY_TIMEOUT.toSeconds())) {
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      // pg_ctl -w already waited for readiness; polling only covers a window right after it.
      LockSupport.parkNanos(READY_POLL_INTERVAL.toNanos());
    }
    throw failure("PostgreSQL on port " + port + " did not accept connections within "
        + READY_TIMEOUT.toSeconds() + " s: " + (last == null ? "" : last.getMessage()));
  }

  private void run(String what, String... command) {
    List<String> full = new ArrayList<>();
    if (runAsPostgresUser) {
      full.addAll(List.of("runuser", "-u", OS_USER, "--"));
    }
    full.addAll(List.of(command));
    try {
      Process process = new ProcessBuilder(full)
          .directory(baseDirectory.toFile())
          .redirectErrorStream(true)
          // A file, not a pipe: the postmaster inherits it and outlives pg_ctl.
          .redirectOutput(ProcessBuilder.Redirect.appendTo(commandLog.toFile()))
          .start();
      if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw failure(what + " timed out after " + COMMAND_TIMEOUT.toSeconds() + " s: " + full);
      }
      if (process.exitValue() != 0) {
        throw failure(what + " failed with exit code " + process.exitValue() + ": " + full);
      }
    } catch (IOException e) {
      throw failure(what + " could not run " + full + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(what + " was interrupted");
    }
  }

  private IllegalStateException failure(String message) {
    return new IllegalStateException(message
        + "\n--- tail of " + serverLog + " ---\n" + tail(serverLog)
        + "\n--- tail of " + commandLog + " ---\n" + tail(commandLog));
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("PostgreSQL server on port " + port + " was closed");
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no " + file.getFileName() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void giveToPostgresUser(Path directory) throws IOException {
    UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
    GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
    PosixFileAttributeView view =
        Files.getFileAttributeView(directory, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName(OS_USER));
    view.setGroup(group);
  }

  /** Deletes a directory tree (a server's, or any other a test made); failures are logged, not thrown. */
  public static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      log.warn("Could not delete PostgreSQL directory {}", directory, e);
    }
  }
}

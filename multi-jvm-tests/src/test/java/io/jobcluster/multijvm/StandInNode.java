package io.jobcluster.multijvm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A stand-in for the node, to test the harness itself without a built node: the same address
 * variables, ready line and health endpoints. Cluster membership is a toy: every node of a
 * cluster writes its pid into {@code STANDIN_CLUSTER_DIR}, and members are the live pids there.
 *
 * <p>Knobs: {@code STANDIN_READY_AFTER_MS} delays readiness, {@code STANDIN_EXIT_CODE} exits at
 * once with that code ({@code STANDIN_NON_SEED_EXIT_CODE}: only where it is not the first seed),
 * {@code STANDIN_HANG_ON_SHUTDOWN=true} never finishes shutting down.
 * Its output stands in for the node's log, hence plain standard output.
 */
public final class StandInNode {
  private StandInNode() {}

  public static void main(String[] args) throws Exception {
    String exitCode = System.getenv("STANDIN_EXIT_CODE");
    if (exitCode != null) {
      System.err.println("stand-in failing on purpose with code " + exitCode);
      System.exit(Integer.parseInt(exitCode));
    }
    String httpAddress = env(NodeEnv.HTTP_HOST, "127.0.0.1") + ":" + env(NodeEnv.HTTP_PORT, "8080");
    String clusterAddress = env(NodeEnv.CLUSTER_HOST, "127.0.0.1") + ":" + env(NodeEnv.CLUSTER_PORT, "25520");
    String seeds = env(NodeEnv.SEED_NODES, clusterAddress);
    System.out.println("stand-in seeds=" + seeds);
    String nonSeedExitCode = System.getenv("STANDIN_NON_SEED_EXIT_CODE");
    if (nonSeedExitCode != null && !seeds.startsWith(clusterAddress)) {
      System.err.println("stand-in non-seed failing on purpose with code " + nonSeedExitCode);
      System.exit(Integer.parseInt(nonSeedExitCode));
    }

    // Held open for the life of the process, so a port handed out twice shows as a bind failure.
    ServerSocket clusterSocket = new ServerSocket(port(clusterAddress), 50, InetAddress.getByName(host(clusterAddress)));
    Path clusterDir = Path.of(env("STANDIN_CLUSTER_DIR", "."));
    Files.createDirectories(clusterDir);
    Files.writeString(clusterDir.resolve("member-" + clusterSocket.getLocalPort()), Long.toString(ProcessHandle.current().pid()));

    AtomicBoolean ready = new AtomicBoolean();
    HttpServer http = HttpServer.create(new InetSocketAddress(host(httpAddress), port(httpAddress)), 50);
    http.createContext("/health/live", exchange -> respond(exchange, 200, "{\"status\":\"live\"}"));
    http.createContext("/health/ready", exchange -> answerReadiness(exchange, ready.get(), clusterDir));
    http.start();

    boolean hang = Boolean.parseBoolean(env("STANDIN_HANG_ON_SHUTDOWN", "false"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping(hang)));
    Executors.newSingleThreadScheduledExecutor().schedule(() -> {
      ready.set(true);
      System.out.println("Jobcluster node ready http=" + httpAddress + " cluster=" + clusterAddress);
    }, Long.parseLong(env("STANDIN_READY_AFTER_MS", "0")), TimeUnit.MILLISECONDS);
    new CountDownLatch(1).await();
  }

  private static void answerReadiness(HttpExchange exchange, boolean ready, Path clusterDir) throws IOException {
    if (ready) {
      respond(exchange, 200, "{\"status\":\"ready\",\"members\":" + members(clusterDir) + "}");
    } else {
      respond(exchange, 503, "{\"status\":\"starting\"}");
    }
  }

  private static void stopping(boolean hang) {
    System.out.println("stand-in node stopping");
    if (hang) {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long members(Path clusterDir) throws IOException {
    try (Stream<Path> files = Files.list(clusterDir)) {
      return files.filter(file -> file.getFileName().toString().startsWith("member-"))
          .filter(StandInNode::isLivePid)
          .count();
    }
  }

  private static boolean isLivePid(Path file) {
    try {
      long pid = Long.parseLong(Files.readString(file).trim());
      return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false; // being rewritten by a restarting member
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static String host(String address) {
    return address.substring(0, address.lastIndexOf(':'));
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}

package io.jobcluster.node.worker.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https with the connection pinned to the checked address: the handler connects to 127.0.0.1 but
 * still sends the host name (SNI, Host) and verifies the certificate against it. The server's
 * certificate names {@code pinned.test} only, made with the JDK's keytool for this run.
 */
class HttpHandlerTlsTest {

  private static final char[] PASSWORD = "changeit".toCharArray();

  @TempDir
  static Path dir;

  private static ActorSystem<Void> system;
  private static ExecutorService serverThreads;
  private static ScheduledExecutorService scheduler;
  private static HttpsServer server;
  private static SSLContext clientTls;

  @BeforeAll
  static void start() throws Exception {
    KeyStore keys = selfSignedFor("pinned.test");
    SSLContext serverTls = SSLContext.getInstance("TLS");
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, PASSWORD);
    serverTls.init(keyManagers.getKeyManagers(), null, null);
    clientTls = SSLContext.getInstance("TLS");
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    trusted.setCertificateEntry("server", keys.getCertificate("server"));
    trust.init(trusted);
    clientTls.init(null, trust.getTrustManagers(), null);

    serverThreads = Executors.newCachedThreadPool();
    scheduler = Executors.newSingleThreadScheduledExecutor();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    server.setExecutor(serverThreads);
    server.createContext("/", exchange -> {
      byte[] body = ("host " + exchange.getRequestHeaders().getFirst("Host")).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    system = ActorSystem.create(Behaviors.empty(), "http-tls-test");
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    serverThreads.shutdownNow();
    scheduler.shutdownNow();
    system.terminate();
  }

  @Test
  void aPinnedHttpsCallVerifiesTheCertificateAgainstTheHostName() {
    HandlerResult result = call("pinned.test");

    assertEquals(new HandlerResult.Success("{\"status\":200,\"body\":\"host pinned.test:" + server.getAddress().getPort() + "\"}"), result);
  }

  @Test
  void aCertificateForAnotherNameIsRefusedThoughTheAddressIsTheSame() {
    HandlerResult.Failure failure = assertInstanceOf(HandlerResult.Failure.class, call("other.test"));

    assertTrue(failure.error().startsWith("http call failed: SSLHandshakeException"), failure.error());
    assertTrue(failure.error().contains("other.test"), failure.error());
  }

  /** A call to https://{host}:port/ where {@code host} resolves to the server's 127.0.0.1 and is allowed. */
  private HandlerResult call(String host) {
    AddressPolicy.Resolver toLoopback = name -> new InetAddress[] {InetAddress.getLoopbackAddress()};
    HttpHandler handler = HttpHandler.create(system,
        HttpJobSettings.defaults().withPolicy(AddressPolicy.allowing(List.of(host))), toLoopback, clientTls);
    String payload = "{\"url\":\"https://" + host + ":" + server.getAddress().getPort() + "/\"}";
    return Results.await(handler.handle(new TestJobContext("http", payload, scheduler)));
  }

  /** A PKCS12 key store holding a self-signed certificate whose only name is {@code host}. */
  private static KeyStore selfSignedFor(String host) throws IOException, InterruptedException, java.security.GeneralSecurityException {
    Path file = dir.resolve("server.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=" + host, "-ext", "SAN=dns:" + host, "-validity", "2", "-keystore", file.toString(), "-storetype", "PKCS12",
        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, "keytool failed: " + output);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      keys.load(in, PASSWORD);
    }
    return keys;
  }
}

package io.jobcluster.node.cli;

import io.jobcluster.protocol.client.JobclusterClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where the tool connects and with which key, resolved once per command. Each setting comes from the
 * first source that has it: command-line flag, environment variable, configuration file, default.
 * The key is held here only: it is never printed, and goes to the server in the Authorization header.
 */
record CliSettings(URI url, String apiKey, String keySource, Path trustStore, Path trustStorePasswordFile, Path caCert,
    Duration requestTimeout) {

  static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8080");
  static final String ENV_URL = "JOBCLUSTER_URL";
  static final String ENV_API_KEY = "JOBCLUSTER_API_KEY";
  static final String ENV_API_KEY_FILE = "JOBCLUSTER_API_KEY_FILE";
  static final String ENV_CA_CERT = "JOBCLUSTER_CA_CERT";
  static final String ENV_TRUST_STORE = "JOBCLUSTER_TRUST_STORE";
  static final String ENV_TRUST_STORE_PASSWORD_FILE = "JOBCLUSTER_TRUST_STORE_PASSWORD_FILE";
  static final String ENV_CONFIG = "JOBCLUSTER_CLI_CONFIG";

  @Override
  public String toString() {
    return "CliSettings[url=" + url + ", key from " + keySource + "]";
  }

  /** Resolves the settings from {@code flags}, then {@code environment}, then the configuration file. */
  static CliSettings resolve(GlobalOptions flags, CliEnvironment environment) {
    Properties file = CliConfigFile.load(flags.config, environment);
    Function<String, String> fromFile = key -> blankToNull(file.getProperty(key));
    String url = first(flags.url, environment.get(ENV_URL), fromFile.apply("url"), DEFAULT_URL.toString());
    KeyChoice key = KeyChoice.first(
        new KeyChoice(flags.apiKey, null, "--api-key"),
        new KeyChoice(null, flags.apiKeyFile, "--api-key-file"),
        new KeyChoice(environment.get(ENV_API_KEY), null, ENV_API_KEY),
        new KeyChoice(null, environment.get(ENV_API_KEY_FILE), ENV_API_KEY_FILE),
        new KeyChoice(fromFile.apply("api-key"), null, "api-key in " + CliConfigFile.describe(flags.config, environment)),
        new KeyChoice(null, fromFile.apply("api-key-file"), "api-key-file in " + CliConfigFile.describe(flags.config, environment)));
    return new CliSettings(parseUrl(url), key == null ? null : key.read(), key == null ? "nowhere" : key.source(),
        path(first(flags.trustStore, environment.get(ENV_TRUST_STORE), fromFile.apply("trust-store"))),
        path(first(flags.trustStorePasswordFile, environment.get(ENV_TRUST_STORE_PASSWORD_FILE), fromFile.apply("trust-store-password-file"))),
        path(first(flags.caCert, environment.get(ENV_CA_CERT), fromFile.apply("ca-cert"))),
        Duration.ofSeconds(flags.requestTimeoutSeconds));
  }

  /** A client for these settings; without a key it throws, naming where a key can be given. */
  JobclusterClient client() {
    if (apiKey == null) {
      throw new ExitCodes.MissingKeyException("no API key: give --api-key-file FILE, set " + ENV_API_KEY + " or " + ENV_API_KEY_FILE
          + ", or put api-key-file in the configuration file (see 'jobcluster --help')");
    }
    JobclusterClient.Builder builder = JobclusterClient.builder().baseUri(url).apiKey(apiKey).requestTimeout(requestTimeout);
    if (trustStore != null || caCert != null) {
      builder.sslContext(TrustMaterial.sslContext(trustStore, trustStorePasswordFile, caCert));
    }
    return builder.build();
  }

  private static URI parseUrl(String text) {
    try {
      URI uri = new URI(text.strip());
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("--url must be an http:// or https:// address such as " + DEFAULT_URL + ", got " + text);
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("--url is not a URL: " + e.getMessage(), e);
    }
  }

  private static Path path(String text) {
    return text == null ? null : Path.of(text);
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** A key given as itself or as a file that holds it, and where it was given. */
  private record KeyChoice(String key, String file, String source) {
    static KeyChoice first(KeyChoice... choices) {
      for (KeyChoice choice : choices) {
        if (blankToNull(choice.key) != null || blankToNull(choice.file) != null) {
          return choice;
        }
      }
      return null;
    }

    String read() {
      if (key != null) {
        return key.strip();
      }
      try (InputStream in = Files.newInputStream(Path.of(file))) {
        String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          throw new IllegalArgumentException("the API key file " + file + " (" + source + ") is empty");
        }
        return text;
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the API key file " + file + " (" + source + "): " + e.getMessage(), e);
      }
    }
  }
}

package io.jobcluster.persistence;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the journal lives: a JDBC URL with its credentials. The URL is normalised on
 * construction so every instance carries the options the node relies on (see {@link #url()}).
 */
public record DatabaseSettings(String url, String user, String password) {

  /** User of the embedded H2 database; H2 makes the creator of a new file database its admin. */
  public static final String H2_USER = "sa";

  /**
   * PostgreSQL options added when the URL does not set them. Batched inserts are rewritten into
   * multi-row INSERTs (the journal writes in batches). Connecting and logging in fail within
   * seconds so a database outage surfaces as errors, not as hung callers. The socket timeout
   * frees connections stuck on a vanished server or network; every statement the node runs
   * takes milliseconds, so a minute only ever cuts off a dead peer. Migrations, which may
   * legitimately run longer, raise it on their own connection.
   */
  static final Map<String, String> POSTGRES_DEFAULTS =
      orderedMap(
          "reWriteBatchedInserts", "true",
          "connectTimeout", "5",
          "loginTimeout", "10",
          "socketTimeout", "60");

  /**
   * H2 options added when the URL does not set them. WRITE_DELAY=0 writes every commit to the
   * file before acknowledging it (the 500 ms default lost acknowledged events on kill -9).
   * DATABASE_TO_UPPER=FALSE because pekko-persistence-jdbc creates quoted lower-case tables but
   * also runs unquoted SQL against them (durable state). DB_CLOSE_ON_EXIT=FALSE keeps H2's own
   * shutdown hook from closing the database while Pekko's coordinated shutdown (another hook)
   * still persists; a database that is not closed cleanly loses nothing that was committed.
   */
  static final Map<String, String> H2_DEFAULTS =
      orderedMap(
          "WRITE_DELAY", "0",
          "DATABASE_TO_UPPER", "FALSE",
          "DB_CLOSE_ON_EXIT", "FALSE");

  private static final Pattern PASSWORD_IN_URL =
      Pattern.compile("(?i)(password=)[^&;]*");

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    user = user == null ? "" : user;
    password = password == null ? "" : password;
    url = normalise(url.strip());
  }

  /**
   * Settings from the node's {@code jobcluster.database} block: {@code url}, {@code user},
   * {@code password}; an empty URL means the embedded H2 under {@code data-dir}.
   */
  public static DatabaseSettings fromConfig(Config database) {
    String url = nonBlank(database.getString("url"));
    if (url == null) {
      return h2(Path.of(database.getString("data-dir")));
    }
    String defaultUser = Dialect.fromUrl(url) == Dialect.H2 ? H2_USER : "";
    String user = nonBlank(database.getString("user"));
    return new DatabaseSettings(url, user == null ? defaultUser : user, database.getString("password"));
  }

  public static DatabaseSettings postgres(String url, String user, String password) {
    if (Dialect.fromUrl(url) != Dialect.POSTGRES) {
      throw new IllegalArgumentException("Not a PostgreSQL URL: " + redact(url));
    }
    return new DatabaseSettings(url, user, password);
  }

  /** The embedded single-node database: an H2 file {@code jobcluster} in {@code dataDir}. */
  public static DatabaseSettings h2(Path dataDir) {
    String dir = dataDir.toAbsolutePath().normalize().toString();
    if (dir.contains(";")) {
      // H2 reads ';' as the start of the settings, so the path would be cut short.
      throw new IllegalArgumentException("The H2 data directory must not contain ';': " + dir);
    }
    return new DatabaseSettings("jdbc:h2:file:" + dir + "/jobcluster", H2_USER, "");
  }

  public Dialect dialect() {
    return Dialect.fromUrl(url);
  }

  /** The URL with any password parameter masked, for logs and error messages. */
  public String redactedUrl() {
    return redact(url);
  }

  /** Masks the password, which must never reach a log line or an exception message. */
  @Override
  public String toString() {
    return "DatabaseSettings[dialect=" + dialect() + ", url=" + redactedUrl() + ", user=" + user
        + ", password=***]";
  }

  static String redact(String url) {
    return PASSWORD_IN_URL.matcher(url).replaceAll("$1***");
  }

  private static String normalise(String url) {
    return switch (Dialect.fromUrl(url)) {
      case POSTGRES -> withPostgresDefaults(url);
      case H2 -> withH2Defaults(url);
    };
  }

  private static String withPostgresDefaults(String url) {
    int query = url.indexOf('?');
    String present = query < 0 ? "" : url.substring(query + 1);
    StringBuilder result = new StringBuilder(url);
    String separator = query < 0 ? "?" : (present.isEmpty() || present.endsWith("&") ? "" : "&");
    for (Map.Entry<String, String> option : POSTGRES_DEFAULTS.entrySet()) {
      if (!hasKey(present, "&", option.getKey(), false)) {
        result.append(separator).append(option.getKey()).append('=').append(option.getValue());
        separator = "&";
      }
    }
    return result.toString();
  }

  private static String withH2Defaults(String url) {
    int settings = url.indexOf(';');
    String present = settings < 0 ? "" : url.substring(settings + 1);
    requireUnlessAbsent(url, present, "WRITE_DELAY", "0");
    requireUnlessAbsent(url, present, "DATABASE_TO_UPPER", "FALSE");
    StringBuilder result = new StringBuilder(url);
    if (!url.endsWith(";")) {
      result.append(';');
    }
    for (Map.Entry<String, String> option : H2_DEFAULTS.entrySet()) {
      if (!hasKey(present, ";", option.getKey(), true)) {
        result.append(option.getKey()).append('=').append(option.getValue()).append(';');
      }
    }
    // Without the trailing separator the URL reads like the plugin's own examples.
    return result.substring(0, result.length() - 1);
  }

  /** The node cannot run safely on H2 with these set otherwise, so such a URL is refused. */
  private static void requireUnlessAbsent(String url, String settings, String key, String value) {
    for (String setting : settings.split(";")) {
      int eq = setting.indexOf('=');
      if (eq > 0 && setting.substring(0, eq).strip().equalsIgnoreCase(key)
          && !setting.substring(eq + 1).strip().equalsIgnoreCase(value)) {
        throw new IllegalArgumentException(
            "H2 URL must have " + key + "=" + value + " (or leave it out): " + redact(url));
      }
    }
  }

  private static boolean hasKey(String options, String separator, String key, boolean ignoreCase) {
    for (String option : options.split(Pattern.quote(separator))) {
      int eq = option.indexOf('=');
      String name = (eq < 0 ? option : option.substring(0, eq)).strip();
      if (ignoreCase ? name.equalsIgnoreCase(key) : name.equals(key)) {
        return true;
      }
    }
    return false;
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static Map<String, String> orderedMap(String... keysAndValues) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return Collections.unmodifiableMap(map);
  }
}

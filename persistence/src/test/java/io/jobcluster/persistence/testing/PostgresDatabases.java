package io.jobcluster.persistence.testing;

import io.jobcluster.persistence.DatabaseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Creating and dropping databases on a PostgreSQL server through an admin connection. */
final class PostgresDatabases {

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final int PREFIX_LENGTH = 40;

  private PostgresDatabases() {}

  /**
   * A fresh, valid database name for {@code hint} (e.g. a test class name): lower case, only
   * {@code [a-z0-9_]}, with a random suffix so test JVMs sharing one server never collide.
   */
  static String uniqueName(String hint) {
    String base = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    base = base.replaceAll("^_+|_+$", "");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "db_" + base;
    }
    if (base.length() > PREFIX_LENGTH) {
      base = base.substring(0, PREFIX_LENGTH);
    }
    return base + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
  }

  /** Creates {@code name} on the server {@code admin} points at; returns settings for it. */
  static DatabaseSettings create(DatabaseSettings admin, String name) {
    // A database name is an identifier, which JDBC cannot bind: only validated names get here.
    execute(admin, "CREATE DATABASE \"" + requireValid(name) + "\"");
    return new DatabaseSettings(withDatabase(admin.url(), name), admin.user(), admin.password());
  }

  /** Drops {@code name}, closing whatever connections tests left open to it. */
  static void drop(DatabaseSettings admin, String name) {
    execute(admin, "DROP DATABASE IF EXISTS \"" + requireValid(name) + "\" WITH (FORCE)");
  }

  /** {@code url} with its database replaced by {@code database}; the parameters are kept. */
  static String withDatabase(String url, String database) {
    String prefix = "jdbc:postgresql://";
    if (!url.startsWith(prefix)) {
      throw new IllegalArgumentException(
          "Expected a jdbc:postgresql://host[:port]/database URL, got " + redact(url));
    }
    int query = url.indexOf('?');
    String beforeQuery = query < 0 ? url : url.substring(0, query);
    String parameters = query < 0 ? "" : url.substring(query);
    int slash = beforeQuery.indexOf('/', prefix.length());
    String hosts = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
    return hosts + "/" + database + parameters;
  }

  private static String requireValid(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Not a plain PostgreSQL database name: " + name);
    }
    return name;
  }

  private static void execute(DatabaseSettings admin, String sql) {
    Properties properties = new Properties();
    properties.setProperty("user", admin.user());
    if (!admin.password().isEmpty()) {
      properties.setProperty("password", admin.password());
    }
    try (Connection connection = DriverManager.getConnection(admin.url(), properties);
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          sql + " failed on " + admin.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}

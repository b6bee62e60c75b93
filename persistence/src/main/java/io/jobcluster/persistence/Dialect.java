package io.jobcluster.persistence;

import java.util.Locale;

/** The databases the node can journal to, with what Slick, JDBC and the migrations need of each. */
public enum Dialect {
  POSTGRES("jdbc:postgresql:", "slick.jdbc.PostgresProfile$", "org.postgresql.Driver", "postgres"),
  H2("jdbc:h2:", "slick.jdbc.H2Profile$", "org.h2.Driver", "h2");

  private final String urlPrefix;
  private final String slickProfile;
  private final String driverClass;
  private final String migrationFolder;

  Dialect(String urlPrefix, String slickProfile, String driverClass, String migrationFolder) {
    this.urlPrefix = urlPrefix;
    this.slickProfile = slickProfile;
    this.driverClass = driverClass;
    this.migrationFolder = migrationFolder;
  }

  /** The dialect a JDBC URL speaks; anything but PostgreSQL and H2 is rejected. */
  public static Dialect fromUrl(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    for (Dialect dialect : values()) {
      if (lower.startsWith(dialect.urlPrefix)) {
        return dialect;
      }
    }
    throw new IllegalArgumentException(
        "Unsupported database URL (expected jdbc:postgresql:... or jdbc:h2:...): "
            + DatabaseSettings.redact(url));
  }

  /** Fully qualified Slick profile object, as pekko-persistence-jdbc's {@code profile} wants it. */
  public String slickProfile() {
    return slickProfile;
  }

  public String driverClass() {
    return driverClass;
  }

  /** Classpath folder of this dialect's migrations, e.g. {@code db/postgres}. */
  public String migrationFolder() {
    return "db/" + migrationFolder;
  }
}

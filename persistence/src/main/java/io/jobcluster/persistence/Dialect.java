package io.jobcluster.persistence;

import java.util.Locale;

/** The databases the node can journal to, with what Slick, JDBC and the migrations need of each. */
public enum Dialect {
  POSTGRES("jdbc:postgresql:", "slick.jdbc.PostgresProfile$", "org.postgresql.Driver", "postgres", "postgres-dialect"),
  H2("jdbc:h2:", "slick.jdbc.H2Profile$", "org.h2.Driver", "h2", "h2-dialect");

  private final String urlPrefix;
  private final String slickProfile;
  private final String driverClass;
  private final String migrationFolder;
  private final String projectionDialect;

  Dialect(String urlPrefix, String slickProfile, String driverClass, String migrationFolder, String projectionDialect) {
    this.urlPrefix = urlPrefix;
    this.slickProfile = slickProfile;
    this.driverClass = driverClass;
    this.migrationFolder = migrationFolder;
    this.projectionDialect = projectionDialect;
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

  /** The dialect name pekko-projection-jdbc's {@code pekko.projection.jdbc.dialect} wants. */
  public String projectionDialect() {
    return projectionDialect;
  }

  /** Classpath folder of this dialect's migrations, e.g. {@code db/postgres}. */
  public String migrationFolder() {
    return "db/" + migrationFolder;
  }
}

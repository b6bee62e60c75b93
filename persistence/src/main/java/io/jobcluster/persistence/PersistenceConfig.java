package io.jobcluster.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.jobcluster.persistence.journal.FreshJournalDao;
import java.util.Map;

/**
 * The database part of the node's configuration. The static wiring (plugins, pool, journal
 * tuning) lives in the classpath resource {@value #RESOURCE}; this class only supplies the
 * {@code jobcluster.db} values it refers to, so that a config built as
 * {@code ConfigFactory.load(PersistenceConfig.forDatabase(db).withFallback(application))}
 * journals to {@code db}.
 */
public final class PersistenceConfig {

  /** Classpath resource holding the static wiring; the node's application.conf includes it. */
  public static final String RESOURCE = "persistence.conf";

  private PersistenceConfig() {}

  /**
   * The journal plugin that new jobs start on, derived from the resolved {@code jdbc-journal}: the same
   * tables and settings, with {@link FreshJournalDao}, which knows that a job submitted under a
   * freshly drawn id has no events yet, so such a job costs no read.
   */
  public static Config freshJournal(Config resolved) {
    return resolved.getConfig("jdbc-journal").withValue("dao", ConfigValueFactory.fromAnyRef(FreshJournalDao.class.getName()));
  }

  /**
   * An unresolved overlay setting {@code jobcluster.db.{url,user,password,profile,driver,projection-dialect}};
   * the last one becomes {@code pekko.projection.jdbc.dialect} (the read model's offset store).
   */
  public static Config forDatabase(DatabaseSettings db) {
    // parseMap rather than HOCON text: a password may hold any character and must not be parsed.
    return ConfigFactory.parseMap(
        Map.of(
            "jobcluster.db.url", db.url(),
            "jobcluster.db.user", db.user(),
            "jobcluster.db.password", db.password(),
            "jobcluster.db.profile", db.dialect().slickProfile(),
            "jobcluster.db.driver", db.dialect().driverClass(),
            "jobcluster.db.projection-dialect", db.dialect().projectionDialect()),
        "jobcluster database " + db.dialect());
  }
}

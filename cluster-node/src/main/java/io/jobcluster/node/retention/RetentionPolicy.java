package io.jobcluster.node.retention;

import com.typesafe.config.Config;
import io.jobcluster.node.readmodel.FinishedJobs.Cutoffs;
import io.jobcluster.protocol.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How long finished jobs are kept: COMPLETED ones for {@code completed}, FAILED, CANCELLED and
 * EXPIRED ones for {@code other}; a tenant may have its own pair (a missing half is the default's).
 */
public record RetentionPolicy(Periods defaults, Map<String, Periods> tenants) {

  /** The two retention periods of one tenant, or of every tenant without its own. */
  public record Periods(Duration completed, Duration other) {
    public Duration of(JobStatus status) {
      return status == JobStatus.COMPLETED ? completed : other;
    }

    /** The finish instants before which jobs are removed at {@code now}. */
    public Cutoffs cutoffs(Instant now) {
      return new Cutoffs(now.minus(completed), now.minus(other));
    }
  }

  public RetentionPolicy {
    tenants = Map.copyOf(tenants);
  }

  public Periods periodsOf(String tenant) {
    return tenant == null ? defaults : tenants.getOrDefault(tenant, defaults);
  }

  /** The cutoffs of every tenant with its own periods at {@code now}. */
  public Map<String, Cutoffs> tenantCutoffs(Instant now) {
    Map<String, Cutoffs> cutoffs = new TreeMap<>();
    tenants.forEach((tenant, periods) -> cutoffs.put(tenant, periods.cutoffs(now)));
    return cutoffs;
  }

  /**
   * Reads the {@code jobcluster.retention} section: {@code completed}, {@code other} and
   * {@code tenants { "<tenant>" { completed = 1d, other = 14d } }}.
   *
   * @throws IllegalArgumentException naming the setting when a period is malformed
   */
  public static RetentionPolicy fromConfig(Config retention) {
    Periods defaults = new Periods(RetentionPeriod.parse("jobcluster.retention.completed", retention.getString("completed")),
        RetentionPeriod.parse("jobcluster.retention.other", retention.getString("other")));
    Map<String, Periods> tenants = new TreeMap<>();
    Config overrides = retention.getConfig("tenants");
    for (String tenant : overrides.root().keySet()) {
      Config own = overrides.getConfig("\"" + tenant + "\"");
      String prefix = "jobcluster.retention.tenants." + tenant + ".";
      tenants.put(tenant, new Periods(
          own.hasPath("completed") ? RetentionPeriod.parse(prefix + "completed", own.getString("completed")) : defaults.completed(),
          own.hasPath("other") ? RetentionPeriod.parse(prefix + "other", own.getString("other")) : defaults.other()));
    }
    return new RetentionPolicy(defaults, tenants);
  }
}

package io.jobcluster.node.limits;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.HashMap;
import java.util.Map;

/**
 * What one tenant may do: at most {@code maxActiveJobs} jobs not yet terminal, submissions at
 * {@code submitRate} per second across the cluster with bursts up to {@code submitBurst}, API
 * calls of any kind at {@code requestRate} per second with bursts up to {@code requestBurst}, and at
 * most {@code maxRunningJobs} jobs running at once on each queue (counted by the queue's dispatcher).
 */
public record TenantLimits(long maxActiveJobs, double submitRate, int submitBurst, double requestRate, int requestBurst, int maxRunningJobs) {
  /** Calls of any kind when only the submission limits are given: more than any tenant needs. */
  static final double UNLIMITED_REQUEST_RATE = 1e9;

  public TenantLimits {
    if (maxActiveJobs < 1 || submitRate <= 0 || submitBurst < 1 || requestRate <= 0 || requestBurst < 1 || maxRunningJobs < 1) {
      throw new IllegalArgumentException("tenant limits must be positive: " + maxActiveJobs + ", " + submitRate + ", " + submitBurst
          + ", " + requestRate + ", " + requestBurst + ", " + maxRunningJobs);
    }
  }

  /** Limits of jobs and submissions only; calls and running jobs are not limited. */
  public TenantLimits(long maxActiveJobs, double submitRate, int submitBurst) {
    this(maxActiveJobs, submitRate, submitBurst, UNLIMITED_REQUEST_RATE, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /** The limits of every tenant: {@code defaults}, and per tenant overrides of any of its keys. */
  public record Table(TenantLimits defaults, Map<String, TenantLimits> overrides) {
    public Table {
      overrides = Map.copyOf(overrides);
    }

    public TenantLimits of(String tenant) {
      return overrides.getOrDefault(tenant, defaults);
    }

    /** Reads {@code tenant-defaults} and {@code tenants.<name>} of the {@code jobcluster.limits} section. */
    public static Table fromConfig(Config limits) {
      Config defaultsConfig = limits.getConfig("tenant-defaults");
      TenantLimits defaults = read(defaultsConfig);
      Map<String, TenantLimits> overrides = new HashMap<>();
      Config tenants = limits.getConfig("tenants");
      for (Map.Entry<String, ConfigValue> tenant : tenants.root().entrySet()) {
        overrides.put(tenant.getKey(), read(tenants.getConfig("\"" + tenant.getKey() + "\"").withFallback(defaultsConfig)));
      }
      return new Table(defaults, overrides);
    }

    private static TenantLimits read(Config config) {
      return new TenantLimits(config.getLong("max-active-jobs"), config.getDouble("submit-rate"), config.getInt("submit-burst"),
          config.getDouble("request-rate"), config.getInt("request-burst"), config.getInt("max-running-jobs"));
    }
  }
}

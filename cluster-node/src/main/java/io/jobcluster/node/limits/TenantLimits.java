package io.jobcluster.node.limits;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import java.util.HashMap;
import java.util.Map;

/**
 * What one tenant may do: at most {@code maxActiveJobs} jobs not yet terminal, submissions at
 * {@code submitRate} per second across the cluster with bursts up to {@code submitBurst}, and at most
 * {@code maxRunningJobs} jobs running at once on each queue (counted by the queue's dispatcher).
 */
public record TenantLimits(long maxActiveJobs, double submitRate, int submitBurst, int maxRunningJobs) {

  public TenantLimits {
    if (maxActiveJobs < 1 || submitRate <= 0 || submitBurst < 1 || maxRunningJobs < 1) {
      throw new IllegalArgumentException("tenant limits must be positive: " + maxActiveJobs + ", " + submitRate + ", " + submitBurst + ", "
          + maxRunningJobs);
    }
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
          config.getInt("max-running-jobs"));
    }
  }
}

package io.jobcluster.node.worker.handler;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.jobcluster.node.NodeConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Job types an operator switched off ({@code jobcluster.job-types}): for every tenant, or for some
 * tenants only. A disabled type is refused at submission and fails without running when a worker
 * picks up a job submitted before the switch.
 *
 * @param everywhere types no tenant may use
 * @param byTenant per tenant, types disabled on top of {@code everywhere}
 */
public record DisabledJobTypes(Set<String> everywhere, Map<String, Set<String>> byTenant) {

  public DisabledJobTypes {
    everywhere = Set.copyOf(everywhere);
    Map<String, Set<String>> copy = new HashMap<>();
    byTenant.forEach((tenant, types) -> copy.put(tenant, Set.copyOf(types)));
    byTenant = Map.copyOf(copy);
  }

  public static DisabledJobTypes none() {
    return new DisabledJobTypes(Set.of(), Map.of());
  }

  /** Reads {@code disabled} and {@code tenants.<name>.disabled} of the {@code jobcluster.job-types} section. */
  public static DisabledJobTypes fromConfig(Config jobTypes) {
    Map<String, Set<String>> byTenant = new HashMap<>();
    Config tenants = jobTypes.getConfig("tenants");
    for (Map.Entry<String, ConfigValue> tenant : tenants.root().entrySet()) {
      byTenant.put(tenant.getKey(), Set.copyOf(NodeConfig.stringList(tenants.getConfig("\"" + tenant.getKey() + "\""), "disabled")));
    }
    return new DisabledJobTypes(Set.copyOf(NodeConfig.stringList(jobTypes, "disabled")), byTenant);
  }

  /**
   * Why {@code tenant} may not use {@code type}; empty when it may. A null tenant (an attempt handed
   * over by a node that did not say) is checked against {@code everywhere} only.
   */
  public Optional<String> refusal(String tenant, String type) {
    if (type == null) {
      return Optional.empty();
    }
    if (everywhere.contains(type)) {
      return Optional.of("job type '" + type + "' is disabled on this cluster");
    }
    if (tenant != null && byTenant.getOrDefault(tenant, Set.of()).contains(type)) {
      return Optional.of("job type '" + type + "' is disabled for tenant '" + tenant + "'");
    }
    return Optional.empty();
  }
}

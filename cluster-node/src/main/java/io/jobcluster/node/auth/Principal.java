package io.jobcluster.node.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who made a request: the tenant its key belongs to, the key's public id, and what it may do.
 *
 * @param keyId the key's public id; {@link #ADMIN_KEY_ID} for the provisioned admin key
 */
public record Principal(String tenant, String keyId, Set<Scope> scopes) {
  /** Tenant of the admin key from {@code JOBCLUSTER_ADMIN_KEY}; no issued key may use it. */
  public static final String ADMIN_TENANT = "admin";
  public static final String ADMIN_KEY_ID = "admin";

  public Principal {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(keyId, "keyId");
    scopes = Set.copyOf(scopes);
  }

  static Principal admin() {
    return new Principal(ADMIN_TENANT, ADMIN_KEY_ID, EnumSet.allOf(Scope.class));
  }

  /** Whether this principal holds {@code scope}; the gateway answers 403 when it does not. */
  public boolean require(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether this principal may administer keys and see every tenant. */
  public boolean isAdmin() {
    return scopes.contains(Scope.ADMIN);
  }

  /** The tenant whose jobs this principal may see, read and work on; null (every tenant) for an admin. */
  public String visibleTenant() {
    return isAdmin() ? null : tenant;
  }
}

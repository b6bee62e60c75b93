package io.jobcluster.node.auth;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who made a request: the tenant its key belongs to, the key's public id, and what it may do.
 *
 * <p>The one rule of roles lives here. The <b>operator</b> is the key from {@code
 * JOBCLUSTER_ADMIN_KEY} (tenant {@value #ADMIN_TENANT}, key id {@value #ADMIN_KEY_ID}, which no
 * issued key can have): it sees every tenant and manages every tenant's keys. Every other key
 * belongs to one tenant and sees only that tenant, whatever its scopes; its {@code admin} scope
 * makes it its tenant's <b>administrator</b>, who manages that tenant's keys and nothing else.
 *
 * @param keyId the key's public id; {@link #ADMIN_KEY_ID} for the operator's key
 */
public record Principal(String tenant, String keyId, Set<Scope> scopes) {
  /** Tenant of the operator's key from {@code JOBCLUSTER_ADMIN_KEY}; no issued key may use it. */
  public static final String ADMIN_TENANT = "admin";
  public static final String ADMIN_KEY_ID = "admin";

  public Principal {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(keyId, "keyId");
    scopes = Set.copyOf(scopes);
  }

  static Principal operator() {
    return new Principal(ADMIN_TENANT, ADMIN_KEY_ID, EnumSet.allOf(Scope.class));
  }

  /** Whether this principal holds {@code scope}; the gateway answers 403 when it does not. */
  public boolean require(Scope scope) {
    return scopes.contains(scope);
  }

  /** Whether this is the operator (the provisioned admin key): the whole cluster's view, every tenant's keys. */
  public boolean isOperator() {
    return ADMIN_TENANT.equals(tenant) && ADMIN_KEY_ID.equals(keyId);
  }

  /** The tenant whose jobs, counts, workers and leases this principal may see and touch; null (every tenant) for the operator only. */
  public String visibleTenant() {
    return isOperator() ? null : tenant;
  }

  /**
   * Whether this principal may issue, list and revoke keys of {@code keyTenant}: the operator for
   * every tenant (the store still refuses keys for the reserved tenant), a key with the {@code admin}
   * scope for its own tenant, any scope included.
   */
  public boolean managesKeysOf(String keyTenant) {
    return require(Scope.ADMIN) && (isOperator() || tenant.equals(keyTenant));
  }
}

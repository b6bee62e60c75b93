package io.jobcluster.node.http;

import io.jobcluster.node.auth.ApiKeyInfo;
import io.jobcluster.node.auth.ApiKeys;
import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.wire.IssueKeyRequest;
import io.jobcluster.protocol.wire.IssuedKey;
import io.jobcluster.protocol.wire.Items;
import io.jobcluster.protocol.wire.KeyInfo;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * {@code /v1/admin/keys}: issue (the key is shown once), list and revoke keys. The operator manages
 * every tenant's keys; a tenant's key with the {@code admin} scope manages its own tenant's keys only
 * ({@link Principal#managesKeysOf}): naming another tenant is {@code 403}, another tenant's key id
 * is {@code 404} as if it did not exist. Without {@code tenant}, a tenant administrator means its own.
 */
public final class AdminKeysApi {
  private final ApiKeys keys;

  public AdminKeysApi(ApiKeys keys) {
    this.keys = keys;
  }

  CompletionStage<HttpResponse> issue(Principal principal, String body) {
    IssueKeyRequest request = JsonCodec.read(body, IssueKeyRequest.class);
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String scope : request.scopes() == null ? List.<String>of() : request.scopes()) {
      scopes.add(Scope.fromWire(scope));
    }
    String tenant = tenantOf(principal, request.tenant());
    if (tenant != null && !principal.managesKeysOf(tenant)) {
      return CompletableFuture.completedFuture(otherTenant(principal));
    }
    return keys.store().issue(tenant, scopes, request.description()).thenApply(issued -> Responses.json(StatusCodes.CREATED,
        new IssuedKey(issued.keyId(), issued.tenant(), wire(issued.scopes()), issued.plaintext(), issued.createdAt())));
  }

  CompletionStage<HttpResponse> list(Principal principal, Map<String, String> parameters) {
    String tenant = tenantOf(principal, parameters.get("tenant"));
    if (tenant == null) {
      throw new InvalidRequestException("tenant", "is required");
    }
    if (!principal.managesKeysOf(tenant)) {
      return CompletableFuture.completedFuture(otherTenant(principal));
    }
    return keys.store().list(tenant)
        .thenApply(listed -> Responses.json(StatusCodes.OK, new Items<>(listed.stream().map(AdminKeysApi::keyInfo).toList())));
  }

  CompletionStage<HttpResponse> revoke(Principal principal, String keyId) {
    return keys.revoke(keyId, principal.visibleTenant()).thenApply(existed -> existed
        ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)
        : Responses.error(ErrorCode.NOT_FOUND, "no key with that id"));
  }

  /** The tenant a request names; a tenant administrator that names none means its own. */
  private static String tenantOf(Principal principal, String named) {
    return named != null || principal.isOperator() ? named : principal.tenant();
  }

  private static HttpResponse otherTenant(Principal principal) {
    return Responses.error(ErrorCode.FORBIDDEN, "this key manages the keys of tenant '" + principal.tenant() + "' only");
  }

  /** A key as listed: never its secret or hash. */
  private static KeyInfo keyInfo(ApiKeyInfo info) {
    return new KeyInfo(info.keyId(), info.tenant(), wire(info.scopes()), info.description(), info.createdAt(), info.revokedAt());
  }

  private static List<String> wire(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::wireName).toList();
  }
}

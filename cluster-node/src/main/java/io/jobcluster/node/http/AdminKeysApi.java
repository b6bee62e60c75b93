package io.jobcluster.node.http;

import io.jobcluster.node.auth.ApiKeyInfo;
import io.jobcluster.node.auth.ApiKeyStore;
import io.jobcluster.node.auth.Authenticator;
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
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** {@code /v1/admin/keys}: issue (the key is shown once), list and revoke tenant keys. */
public final class AdminKeysApi {
  private final ApiKeyStore store;
  private final Authenticator authenticator;

  public AdminKeysApi(ApiKeyStore store, Authenticator authenticator) {
    this.store = store;
    this.authenticator = authenticator;
  }


  CompletionStage<HttpResponse> issue(Principal principal, String body) {
    IssueKeyRequest request = JsonCodec.read(body, IssueKeyRequest.class);
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String scope : request.scopes() == null ? List.<String>of() : request.scopes()) {
      scopes.add(Scope.fromWire(scope));
    }
    return store.issue(request.tenant(), scopes, request.description()).thenApply(issued -> Responses.json(StatusCodes.CREATED,
        new IssuedKey(issued.keyId(), issued.tenant(), wire(issued.scopes()), issued.plaintext(), issued.createdAt())));
  }

  CompletionStage<HttpResponse> list(Principal principal, Map<String, String> parameters) {
    String tenant = parameters.get("tenant");
    if (tenant == null) {
      throw new InvalidRequestException("tenant", "is required");
    }
    return store.list(tenant).thenApply(keys -> Responses.json(StatusCodes.OK, new Items<>(keys.stream().map(AdminKeysApi::keyInfo).toList())));
  }

  CompletionStage<HttpResponse> revoke(Principal principal, String keyId) {
    return store.revoke(keyId).thenApply(existed -> {
      if (!existed) {
        return Responses.error(ErrorCode.NOT_FOUND, "no key with that id");
      }
      authenticator.forget(keyId);
      return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
    });
  }


  /** A key as listed: never its secret or hash. */
  private static KeyInfo keyInfo(ApiKeyInfo info) {
    return new KeyInfo(info.keyId(), info.tenant(), wire(info.scopes()), info.description(), info.createdAt(), info.revokedAt());
  }

  private static List<String> wire(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::wireName).toList();
  }
}

package io.jobcluster.node.http;

import io.jobcluster.node.auth.ApiKeyInfo;
import io.jobcluster.node.auth.ApiKeyStore;
import io.jobcluster.node.auth.Authenticator;
import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** {@code /v1/admin/keys}: issue (the key is shown once), list and revoke tenant keys. Admin scope only. */
public final class AdminKeysApi {
  private final ApiKeyStore store;
  private final Authenticator authenticator;

  public AdminKeysApi(ApiKeyStore store, Authenticator authenticator) {
    this.store = store;
    this.authenticator = authenticator;
  }

  /** The body of {@code POST /v1/admin/keys}. */
  record IssueKeyBody(String tenant, List<String> scopes, String description) {}

  /** A key as listed: never its secret or hash. */
  record KeyJson(String keyId, String tenant, List<String> scopes, String description, Instant createdAt, Instant revokedAt) {
    static KeyJson of(ApiKeyInfo info) {
      return new KeyJson(info.keyId(), info.tenant(), wire(info.scopes()), info.description(), info.createdAt(), info.revokedAt());
    }
  }

  /** A key just issued: the only answer that ever contains its plaintext. */
  record IssuedKeyJson(String keyId, String tenant, List<String> scopes, String key, Instant createdAt) {}

  CompletionStage<HttpResponse> issue(Principal principal, String body) {
    return ScopedCall.run(principal, Scope.ADMIN, () -> {
      IssueKeyBody request = JsonCodec.read(body, IssueKeyBody.class);
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String scope : request.scopes() == null ? List.<String>of() : request.scopes()) {
        scopes.add(Scope.fromWire(scope));
      }
      return store.issue(request.tenant(), scopes, request.description()).thenApply(issued -> Responses.json(StatusCodes.CREATED,
          new IssuedKeyJson(issued.keyId(), issued.tenant(), wire(issued.scopes()), issued.plaintext(), issued.createdAt())));
    });
  }

  CompletionStage<HttpResponse> list(Principal principal, Map<String, String> parameters) {
    return ScopedCall.run(principal, Scope.ADMIN, () -> {
      String tenant = parameters.get("tenant");
      if (tenant == null) {
        throw new InvalidRequestException("tenant", "is required");
      }
      return store.list(tenant).thenApply(keys -> Responses.json(StatusCodes.OK, Map.of("items", keys.stream().map(KeyJson::of).toList())));
    });
  }

  CompletionStage<HttpResponse> revoke(Principal principal, String keyId) {
    return ScopedCall.run(principal, Scope.ADMIN, () -> store.revoke(keyId).thenApply(existed -> {
      if (!existed) {
        return Responses.error(ErrorCode.NOT_FOUND, "no key with that id");
      }
      authenticator.forget(keyId);
      return HttpResponse.create().withStatus(StatusCodes.NO_CONTENT);
    }));
  }


  private static List<String> wire(Set<Scope> scopes) {
    return scopes.stream().sorted().map(Scope::wireName).toList();
  }
}

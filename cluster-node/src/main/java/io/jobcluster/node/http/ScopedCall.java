package io.jobcluster.node.http;

import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.auth.Scope;
import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.InvalidRequestException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/** Runs an API call for a principal: 403 without the scope it needs; bad input and failures become error answers. */
final class ScopedCall {
  private ScopedCall() {}

  static CompletionStage<HttpResponse> run(Principal principal, Scope scope, Supplier<CompletionStage<HttpResponse>> action) {
    if (!principal.require(scope)) {
      return CompletableFuture.completedFuture(
          Responses.error(ErrorCode.FORBIDDEN, "this key lacks the '" + scope.wireName() + "' scope"));
    }
    try {
      return action.get().exceptionally(Responses::failure);
    } catch (InvalidRequestException e) {
      return CompletableFuture.completedFuture(Responses.invalid(e));
    }
  }
}

package io.jobcluster.node.auth;

import io.jobcluster.protocol.ErrorCode;
import java.util.Objects;

/** The outcome of {@link Authenticator#authenticate}. */
public sealed interface AuthResult {

  /** The request carries a valid key. */
  record Authenticated(Principal principal) implements AuthResult {
    public Authenticated {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /** The request is refused; {@code message} is safe to show the caller and never contains the key. */
  record Denied(ErrorCode code, String message) implements AuthResult {
    public Denied {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }

    static Denied unauthorized(String message) {
      return new Denied(ErrorCode.UNAUTHORIZED, message);
    }
  }
}

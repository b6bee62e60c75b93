package io.jobcluster.protocol;

/** A request field failed validation; {@link #field()} names it for the error answer. */
public final class InvalidRequestException extends IllegalArgumentException {
  private final String field;

  public InvalidRequestException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  public String field() {
    return field;
  }
}

package io.jobcluster.node.http;

import io.jobcluster.protocol.ErrorCode;
import io.jobcluster.protocol.wire.ApiError;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Requests too malformed to reach the routes (bad URI, oversized headers, broken framing) get the
 * API's JSON error shape too. Configured as {@code pekko.http.server.parsing.error-handler}.
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {

  @Override
  public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    // The summary names the problem without echoing the request back.
    log.debug("refused a malformed request status={} problem={}", status.intValue(), info.summary());
    int answer = clientStatus(status.intValue());
    String code = answer == 413 ? ErrorCode.PAYLOAD_TOO_LARGE.code() : answer == 405 ? "method_not_allowed" : ErrorCode.INVALID_REQUEST.code();
    return Responses.json(StatusCodes.get(answer), ApiError.of(code, "the request is malformed: " + info.summary()));
  }

  /**
   * Whatever the parser refuses is the client's doing, so it gets a 4xx: an unknown method (the
   * parser's 501) is one this API does not take, an unknown HTTP version (505) a bad request.
   */
  static int clientStatus(int parserStatus) {
    if (parserStatus == 501) {
      return 405;
    }
    return parserStatus >= 500 ? 400 : parserStatus;
  }
}

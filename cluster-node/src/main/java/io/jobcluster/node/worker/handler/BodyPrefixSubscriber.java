package io.jobcluster.node.worker.handler;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the first {@code limit} bytes of a response body as text and stops reading there: a job
 * result holds a prefix, and a huge (or endless) response must not fill the heap.
 */
final class BodyPrefixSubscriber implements HttpResponse.BodySubscriber<String> {

  private static final Pattern CHARSET = Pattern.compile("charset=\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);

  private final int limit;
  private final Charset charset;
  private final ByteArrayOutputStream prefix = new ByteArrayOutputStream();
  private final CompletableFuture<String> body = new CompletableFuture<>();
  private Flow.Subscription subscription;

  /** A body handler keeping the first {@code limit} bytes, decoded with the response's charset. */
  static HttpResponse.BodyHandler<String> handler(int limit) {
    return info -> new BodyPrefixSubscriber(limit, charsetOf(info));
  }

  /** The charset the Content-Type names; UTF-8 when it names none or one this JVM lacks. */
  private static Charset charsetOf(HttpResponse.ResponseInfo info) {
    Matcher charset = CHARSET.matcher(info.headers().firstValue("Content-Type").orElse(""));
    if (!charset.find()) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(charset.group(1));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return StandardCharsets.UTF_8;
    }
  }

  private BodyPrefixSubscriber(int limit, Charset charset) {
    this.limit = limit;
    this.charset = charset;
  }

  @Override
  public CompletionStage<String> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    for (ByteBuffer buffer : buffers) {
      byte[] chunk = new byte[Math.min(buffer.remaining(), limit - prefix.size())];
      buffer.get(chunk);
      prefix.writeBytes(chunk);
    }
    if (prefix.size() == limit) {
      // Cancelling closes the connection; cheaper than draining a body nobody will read.
      subscription.cancel();
      complete();
    } else {
      subscription.request(1);
    }
  }

  @Override
  public void onError(Throwable error) {
    body.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    complete();
  }

  private void complete() {
    body.complete(prefix.toString(charset));
  }
}

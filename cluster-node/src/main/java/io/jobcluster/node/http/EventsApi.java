package io.jobcluster.node.http;

import io.jobcluster.node.auth.Principal;
import io.jobcluster.node.job.JobEntity;
import io.jobcluster.node.job.JobEventStreams;
import io.jobcluster.node.job.TagPosition;
import io.jobcluster.protocol.InvalidRequestException;
import io.jobcluster.protocol.JobIds;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.wire.TransitionEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * {@code GET /v1/jobs/{id}/events} and {@code GET /v1/events}: job transitions as Server-Sent Events
 * ({@code id:} the stream position, {@code event: transition}, {@code data:} a {@link TransitionEvent}),
 * with a comment line as heartbeat while nothing happens so proxies and clients keep the stream open.
 * A client that reconnects with {@code Last-Event-ID} gets what came after that event.
 */
public final class EventsApi {
  private static final ContentType EVENT_STREAM = MediaTypes.TEXT_EVENT_STREAM.toContentType();
  private static final ByteString HEARTBEAT = ByteString.fromString(": keep-alive\n\n");

  private final JobEventStreams streams;
  private final Duration heartbeat;
  private final int maxStreams;
  private final AtomicInteger open = new AtomicInteger();

  /**
   * @param heartbeat how long a stream stays silent before it sends a heartbeat
   * @param maxStreams streams this node serves at once; each polls the journal, so they are bounded
   */
  public EventsApi(JobEventStreams streams, Duration heartbeat, int maxStreams) {
    this.streams = streams;
    this.heartbeat = heartbeat;
    this.maxStreams = maxStreams;
  }

  /** One job's transitions, ending after it finishes; 404 for no such job of the caller's tenant. */
  CompletionStage<HttpResponse> job(Principal principal, String id, Optional<String> lastEventId) {
    if (!JobIds.isValid(id)) {
      return CompletableFuture.completedFuture(JobsApi.notFound(id));
    }
    long after = lastEventId.map(EventsApi::sequenceNr).orElse(0L);
    return streams.ofJob(principal.visibleTenant(), id, after)
        .thenApply(source -> source.map(this::stream).orElseGet(() -> JobsApi.notFound(id)));
  }

  /** The caller's tenant's transitions, filtered by {@code queue}, {@code type} and {@code status}; never ends. */
  CompletionStage<HttpResponse> tenant(Principal principal, Map<String, String> query, Optional<String> lastEventId) {
    JobStatus status = query.containsKey("status") ? JobsApi.status(query.get("status")) : null;
    Optional<TagPosition> after = lastEventId.map(text -> TagPosition.parse(text, JobEntity.TAG_SLICES));
    JobEventStreams.Filter filter = new JobEventStreams.Filter(principal.visibleTenant(), query.get("queue"), query.get("type"), status);
    return streams.ofTenant(filter, after).thenApply(this::stream);
  }

  private HttpResponse stream(Source<JobEventStreams.Positioned, NotUsed> events) {
    if (open.get() >= maxStreams) {
      return Responses.unavailable("this node is serving its limit of " + maxStreams + " event streams; try again");
    }
    // Counted while the stream runs (from materialization to termination), so a response whose
    // client left before the body started holds no place.
    Source<ByteString, NotUsed> bytes = events.map(EventsApi::encode)
        .keepAlive(heartbeat, () -> HEARTBEAT)
        .watchTermination((notUsed, done) -> {
          open.incrementAndGet();
          done.whenComplete((ignored, failure) -> open.decrementAndGet());
          return NotUsed.getInstance();
        });
    return HttpResponse.create().withStatus(StatusCodes.OK)
        .addHeader(RawHeader.create("Cache-Control", "no-cache"))
        .withEntity(HttpEntities.createChunked(EVENT_STREAM, bytes));
  }

  /** One event in the text/event-stream format; the JSON data holds no line breaks. */
  static ByteString encode(JobEventStreams.Positioned positioned) {
    String text = "id: " + positioned.position() + "\nevent: " + TransitionEvent.EVENT + "\ndata: " + JsonCodec.write(positioned.event())
        + "\n\n";
    return ByteString.fromArray(text.getBytes(StandardCharsets.UTF_8));
  }

  private static long sequenceNr(String lastEventId) {
    try {
      long value = Long.parseLong(lastEventId.trim());
      if (value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidRequestException("Last-Event-ID", "is not an id this stream sent");
  }
}

package io.jobcluster.protocol.client;

import io.jobcluster.protocol.wire.TransitionEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A stream of job transitions as the server sends them (Server-Sent Events of
 * {@code GET /v1/jobs/{id}/events} or {@code GET /v1/events}). {@link #next()} blocks until the next
 * transition; heartbeats are skipped. Keep the last event's {@link Event#id()} to resume after a
 * broken connection. Close it to stop reading.
 */
public final class EventStream implements AutoCloseable {
  /** One transition and its id, the position to resume after it ({@code Last-Event-ID}). */
  public record Event(String id, TransitionEvent transition) {}

  private final Stream<String> lines;
  private final Iterator<String> iterator;

  EventStream(Stream<String> lines) {
    this.lines = lines;
    this.iterator = lines.iterator();
  }

  /** The next transition; empty when the server ended the stream (a job's stream ends after the job finished). */
  public Optional<Event> next() {
    String id = null;
    String type = null;
    StringBuilder data = null;
    try {
      while (iterator.hasNext()) {
        String line = iterator.next();
        if (line.isEmpty()) {
          if (data != null && (type == null || TransitionEvent.EVENT.equals(type))) {
            return Optional.of(new Event(id, WireJson.MAPPER.readValue(data.toString(), TransitionEvent.class)));
          }
          type = null;
          data = null;
        } else if (line.startsWith("id:")) {
          id = value(line);
        } else if (line.startsWith("event:")) {
          type = value(line);
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder(value(line)) : data.append('\n').append(value(line));
        }
        // A line starting with ':' is a heartbeat (comment); other fields are not used.
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("an event could not be read: " + e.getMessage(), e);
    }
  }

  private static String value(String line) {
    String value = line.substring(line.indexOf(':') + 1);
    return value.startsWith(" ") ? value.substring(1) : value;
  }

  @Override
  public void close() {
    lines.close();
  }
}

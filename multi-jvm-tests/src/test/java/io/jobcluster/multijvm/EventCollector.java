package io.jobcluster.multijvm;

import io.jobcluster.protocol.client.EventStream;
import io.jobcluster.protocol.wire.TransitionEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads a job event stream ({@code GET /v1/events}) on a thread of its own until the server ends it,
 * the connection breaks (its node was killed) or the test closes it; keeps every transition with its
 * id, so a test can resume elsewhere after the last one.
 */
final class EventCollector implements AutoCloseable {
  private final EventStream stream;
  private final List<EventStream.Event> events = Collections.synchronizedList(new ArrayList<>());
  private final Thread reader;
  private volatile boolean ended;

  private EventCollector(EventStream stream) {
    this.stream = stream;
    this.reader = new Thread(this::read, "event-collector");
    reader.setDaemon(true);
    reader.start();
  }

  static EventCollector reading(EventStream stream) {
    return new EventCollector(stream);
  }

  private void read() {
    try {
      for (Optional<EventStream.Event> next = stream.next(); next.isPresent(); next = stream.next()) {
        events.add(next.get());
      }
    } catch (RuntimeException broken) {
      // the connection broke or the test closed the stream: either way, reading is over
    } finally {
      ended = true;
    }
  }

  /** Whether reading is over. */
  boolean ended() {
    return ended;
  }

  /** The id of the last transition read; null before the first. */
  String lastId() {
    synchronized (events) {
      return events.isEmpty() ? null : events.get(events.size() - 1).id();
    }
  }

  /** The transitions read so far, in order. */
  List<TransitionEvent> transitions() {
    synchronized (events) {
      return events.stream().map(EventStream.Event::transition).toList();
    }
  }

  @Override
  public void close() {
    stream.close();
  }
}

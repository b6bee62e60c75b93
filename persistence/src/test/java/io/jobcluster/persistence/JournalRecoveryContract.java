package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.junit.jupiter.api.Test;

/**
 * End to end on a real database: what one ActorSystem persists through the configured plugins,
 * a new ActorSystem on the same database recovers. Subclasses supply a migrated database.
 */
abstract class JournalRecoveryContract {

  /** Generous: the first write also opens the pool and warms up Slick. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int LOGS = 40;
  private static final int ENTRIES = 5;

  abstract DatabaseSettings migratedDatabase();

  @Test
  void eventsSnapshotsAndDurableStateWrittenByOneActorSystemAreRecoveredByTheNext() {
    DatabaseSettings db = migratedDatabase();
    String logId = "log-" + UUID.randomUUID();
    String noteId = "note-" + UUID.randomUUID();
    List<String> entries = List.of("submitted", "leased", "failed", "retried", "completed");

    ActorTestKit writer = ActorTestKit.create("journal-writer", TestNodeConfig.load(db));
    try {
      TestProbe<Done> done = writer.createTestProbe();
      ActorRef<AppendOnlyLog.Command> log = writer.spawn(AppendOnlyLog.create(logId));
      for (String entry : entries) {
        log.tell(new AppendOnlyLog.Append(entry, done.getRef()));
        done.expectMessage(TIMEOUT, Done.done());
      }
      ActorRef<Note.Command> note = writer.spawn(Note.create(noteId));
      note.tell(new Note.Write("draft", done.getRef()));
      done.expectMessage(TIMEOUT, Done.done());
      note.tell(new Note.Write("final", done.getRef()));
      done.expectMessage(TIMEOUT, Done.done());
    } finally {
      writer.shutdownTestKit();
    }

    ActorTestKit reader = ActorTestKit.create("journal-reader", TestNodeConfig.load(db));
    try {
      TestProbe<String> state = reader.createTestProbe();
      reader.spawn(AppendOnlyLog.create(logId)).tell(new AppendOnlyLog.Read(state.getRef()));
      state.expectMessage(TIMEOUT, String.join("|", entries));
      reader.spawn(Note.create(noteId)).tell(new Note.Read(state.getRef()));
      state.expectMessage(TIMEOUT, "final");
    } finally {
      reader.shutdownTestKit();
    }

    assertEquals(entries.size(), TestJdbc.count(db,
        "SELECT count(*) FROM event_journal WHERE persistence_id = ?", logId));
    assertTrue(TestJdbc.count(db,
        "SELECT count(*) FROM snapshot WHERE persistence_id = ?", logId) >= 1);
    assertEquals(2, TestJdbc.count(db,
        "SELECT revision FROM durable_state WHERE persistence_id = ?", noteId));
  }

  /**
   * Tagged events written by many entities at once (so the journal batches them) land with one tag
   * row each, in sequence-number order per entity, and come back complete by tag and on recovery.
   */
  @Test
  void concurrentTaggedWritesAreCompleteOrderedAndReadableByTag() throws Exception {
    DatabaseSettings db = migratedDatabase();
    String tag = "log-" + UUID.randomUUID().toString().substring(0, 8);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < LOGS; i++) {
      ids.add(tag + "-" + i);
    }

    ActorTestKit writer = ActorTestKit.create("tagged-writer", TestNodeConfig.load(db));
    try {
      TestProbe<Done> done = writer.createTestProbe();
      List<ActorRef<AppendOnlyLog.Command>> logs = ids.stream().map(id -> writer.spawn(AppendOnlyLog.tagged(id, tag))).toList();
      // Every log's next entry is sent before any answer arrives, so writes of many entities share batches.
      for (int entry = 0; entry < ENTRIES; entry++) {
        for (ActorRef<AppendOnlyLog.Command> log : logs) {
          log.tell(new AppendOnlyLog.Append("e" + entry, done.getRef()));
        }
      }
      for (int i = 0; i < LOGS * ENTRIES; i++) {
        done.expectMessage(TIMEOUT, Done.done());
      }

      List<EventEnvelope> byTag = PersistenceQuery.get(writer.system())
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier())
          .currentEventsByTag(tag, Offset.noOffset())
          .runFold(new ArrayList<EventEnvelope>(), (all, envelope) -> { all.add(envelope); return all; }, writer.system())
          .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(LOGS * ENTRIES, byTag.size());
      Map<String, Long> lastSeqNr = new HashMap<>();
      for (EventEnvelope envelope : byTag) {
        long previous = lastSeqNr.getOrDefault(envelope.persistenceId(), 0L);
        assertEquals(previous + 1, envelope.sequenceNr(), "events of " + envelope.persistenceId() + " in sequence order");
        assertEquals("e" + previous, envelope.event());
        lastSeqNr.put(envelope.persistenceId(), envelope.sequenceNr());
      }
    } finally {
      writer.shutdownTestKit();
    }

    assertEquals(LOGS * ENTRIES, TestJdbc.count(db, "SELECT count(*) FROM event_tag WHERE tag = ?", tag));
    assertEquals(0, TestJdbc.count(db, "SELECT count(*) FROM event_journal a JOIN event_journal b"
        + " ON a.persistence_id = b.persistence_id AND a.sequence_number < b.sequence_number AND a.ordering > b.ordering"
        + " WHERE a.persistence_id LIKE ?", tag + "-%"), "ordering follows the sequence number within every entity");

    ActorTestKit reader = ActorTestKit.create("tagged-reader", TestNodeConfig.load(db));
    try {
      TestProbe<String> state = reader.createTestProbe();
      reader.spawn(AppendOnlyLog.tagged(ids.get(LOGS - 1), tag)).tell(new AppendOnlyLog.Read(state.getRef()));
      state.expectMessage(TIMEOUT, "e0|e1|e2|e3|e4");
    } finally {
      reader.shutdownTestKit();
    }
  }
}

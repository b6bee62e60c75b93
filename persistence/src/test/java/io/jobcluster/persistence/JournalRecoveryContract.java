package io.jobcluster.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * End to end on a real database: what one ActorSystem persists through the configured plugins,
 * a new ActorSystem on the same database recovers. Subclasses supply a migrated database.
 */
abstract class JournalRecoveryContract {

  /** Generous: the first write also opens the pool and warms up Slick. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

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
}

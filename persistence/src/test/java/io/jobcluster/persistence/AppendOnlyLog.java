package io.jobcluster.persistence;

import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * Test entity: appends entries as String events (serialised by Pekko's built-in string
 * serializer) and snapshots every three, so recovery reads both journal and snapshot store.
 * The state is the entries joined by '|'.
 */
final class AppendOnlyLog extends EventSourcedBehavior<AppendOnlyLog.Command, String, String> {

  sealed interface Command {}

  record Append(String entry, ActorRef<Done> replyTo) implements Command {}

  record Read(ActorRef<String> replyTo) implements Command {}

  private final Set<String> tags;

  private AppendOnlyLog(String id, Set<String> tags) {
    super(PersistenceId.ofUniqueId(id));
    this.tags = tags;
  }

  static Behavior<Command> create(String id) {
    return new AppendOnlyLog(id, Set.of());
  }

  /** Every event tagged with {@code tag}, as the job entity tags its events for the read model. */
  static Behavior<Command> tagged(String id, String tag) {
    return new AppendOnlyLog(id, Set.of(tag));
  }

  @Override
  public Set<String> tagsFor(String event) {
    return tags;
  }

  @Override
  public String emptyState() {
    return "";
  }

  @Override
  public CommandHandler<Command, String, String> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Append.class, this::onAppend)
        .onCommand(Read.class, this::onRead)
        .build();
  }

  @Override
  public EventHandler<String, String> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(String.class, AppendOnlyLog::appended)
        .build();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(3, 2);
  }

  private Effect<String, String> onAppend(Append command) {
    return Effect().persist(command.entry()).thenReply(command.replyTo(), state -> Done.done());
  }

  private Effect<String, String> onRead(String state, Read command) {
    return Effect().reply(command.replyTo(), state);
  }

  private static String appended(String state, String entry) {
    return state.isEmpty() ? entry : state + "|" + entry;
  }
}

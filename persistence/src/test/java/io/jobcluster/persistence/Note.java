package io.jobcluster.persistence;

import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.state.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.state.javadsl.DurableStateBehavior;
import org.apache.pekko.persistence.typed.state.javadsl.Effect;

/** Test entity on the durable state store: a String that each write replaces. */
final class Note extends DurableStateBehavior<Note.Command, String> {

  sealed interface Command {}

  record Write(String text, ActorRef<Done> replyTo) implements Command {}

  record Read(ActorRef<String> replyTo) implements Command {}

  private Note(String id) {
    super(PersistenceId.ofUniqueId(id));
  }

  static Behavior<Command> create(String id) {
    return new Note(id);
  }

  @Override
  public String emptyState() {
    return "";
  }

  @Override
  public CommandHandler<Command, String> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Write.class, this::onWrite)
        .onCommand(Read.class, this::onRead)
        .build();
  }

  private Effect<String> onWrite(Write command) {
    return Effect().persist(command.text()).thenReply(command.replyTo(), state -> Done.done());
  }

  private Effect<String> onRead(String state, Read command) {
    return Effect().reply(command.replyTo(), state);
  }
}

package io.jobcluster.node.schedule;

import io.jobcluster.protocol.CborSerializable;
import java.util.List;
import java.util.TreeSet;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * The ids of one tenant's schedules (a persistent, sharded actor per tenant), for listing. An id is
 * added before its schedule is created and removed after it is deleted, so the directory holds every
 * schedule and perhaps a few ids of schedules that do not exist; the listing leaves those out.
 */
public final class ScheduleDirectory
    extends EventSourcedBehaviorWithEnforcedReplies<ScheduleDirectory.Command, ScheduleDirectory.Event, ScheduleDirectory.Ids> {

  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "ScheduleDirectory");

  public sealed interface Command extends CborSerializable {}

  /** Add {@code id}; answered when it is stored. */
  public record Add(String id, ActorRef<Done> replyTo) implements Command {}

  public record Remove(String id, ActorRef<Done> replyTo) implements Command {}

  public record ListIds(ActorRef<Listed> replyTo) implements Command {}

  /** The tenant's schedule ids, sorted. */
  public record Listed(List<String> ids) implements CborSerializable {}

  public sealed interface Event extends CborSerializable {}

  public record Added(String id) implements Event {}

  public record Removed(String id) implements Event {}

  /** The state: the ids, sorted. */
  public record Ids(TreeSet<String> ids) implements CborSerializable {
    Ids apply(Event event) {
      TreeSet<String> next = new TreeSet<>(ids);
      if (event instanceof Added added) {
        next.add(added.id());
      } else {
        next.remove(((Removed) event).id());
      }
      return new Ids(next);
    }
  }

  private ScheduleDirectory(String tenant) {
    super(PersistenceId.of(TYPE_KEY.name(), tenant));
  }

  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(TYPE_KEY, entityContext -> create(entityContext.getEntityId())));
  }

  public static Behavior<Command> create(String tenant) {
    return new ScheduleDirectory(tenant);
  }

  @Override
  public Ids emptyState() {
    return new Ids(new TreeSet<>());
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public EventHandler<Ids, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(Ids::apply);
  }

  @Override
  public CommandHandlerWithReply<Command, Event, Ids> commandHandler() {
    return this::onCommand;
  }

  private ReplyEffect<Event, Ids> onCommand(Ids state, Command command) {
    if (command instanceof Add add) {
      return state.ids().contains(add.id()) ? Effect().reply(add.replyTo(), Done.getInstance())
          : Effect().persist(new Added(add.id())).thenReply(add.replyTo(), next -> Done.getInstance());
    } else if (command instanceof Remove remove) {
      return !state.ids().contains(remove.id()) ? Effect().reply(remove.replyTo(), Done.getInstance())
          : Effect().persist(new Removed(remove.id())).thenReply(remove.replyTo(), next -> Done.getInstance());
    }
    ListIds list = (ListIds) command;
    return Effect().reply(list.replyTo(), new Listed(List.copyOf(state.ids())));
  }
}

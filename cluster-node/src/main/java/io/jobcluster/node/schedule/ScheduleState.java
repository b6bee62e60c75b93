package io.jobcluster.node.schedule;

import io.jobcluster.protocol.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A schedule's state, folded from its events.
 *
 * @param definition null before creation
 * @param nextFireAt null while there is no fire time left (after {@code endAt})
 * @param runs the latest firings, newest first: the last {@link #KEEP_RUNS}, and every one not yet submitted
 * @param queued a fire time waiting for the previous run to finish (overlap {@code queue_one}), or null
 */
public record ScheduleState(ScheduleDefinition definition, boolean paused, boolean deleted, Instant nextFireAt, List<Run> runs, Instant queued,
    Instant createdAt, Instant updatedAt) implements CborSerializable {

  static final int KEEP_RUNS = 10;
  static final ScheduleState EMPTY = new ScheduleState(null, false, false, null, List.of(), null, null, null);

  /** One firing: its job, and whether the job store has accepted it yet. */
  public record Run(Instant fireTime, String jobId, boolean submitted, String error) {}

  public ScheduleState {
    runs = List.copyOf(runs);
  }

  public boolean exists() {
    return definition != null && !deleted;
  }

  /** Exists, not paused, and has a fire time left: its timer runs. */
  public boolean firing() {
    return exists() && !paused && nextFireAt != null;
  }

  public Run lastRun() {
    return runs.isEmpty() ? null : runs.get(0);
  }

  /** The runs not yet accepted by the job store, oldest first. */
  public List<Run> unsubmitted() {
    List<Run> pending = new ArrayList<>(runs.stream().filter(run -> !run.submitted()).toList());
    java.util.Collections.reverse(pending);
    return pending;
  }

  public ScheduleState apply(ScheduleEvent event) {
    Instant at = event.at();
    if (event instanceof ScheduleEvent.Created e) {
      return new ScheduleState(e.definition(), e.paused(), false, e.nextFireAt(), List.of(), null, at, at);
    } else if (event instanceof ScheduleEvent.Changed e) {
      return new ScheduleState(e.definition(), paused, false, e.nextFireAt(), runs, queued, createdAt, at);
    } else if (event instanceof ScheduleEvent.Paused) {
      return new ScheduleState(definition, true, false, nextFireAt, runs, queued, createdAt, at);
    } else if (event instanceof ScheduleEvent.Resumed e) {
      return new ScheduleState(definition, false, false, e.nextFireAt(), runs, queued, createdAt, at);
    } else if (event instanceof ScheduleEvent.Deleted) {
      return new ScheduleState(definition, paused, true, null, List.of(), null, createdAt, at);
    } else if (event instanceof ScheduleEvent.Fired e) {
      return new ScheduleState(definition, paused, false, e.nextFireAt(), withRun(new Run(e.fireTime(), e.jobId(), false, null)),
          e.fireTime().equals(queued) ? null : queued, createdAt, updatedAt);
    } else if (event instanceof ScheduleEvent.Submitted e) {
      return new ScheduleState(definition, paused, false, nextFireAt, submitted(e), queued, createdAt, updatedAt);
    } else if (event instanceof ScheduleEvent.Skipped e) {
      return new ScheduleState(definition, paused, false, e.nextFireAt(), runs, queued, createdAt, updatedAt);
    }
    ScheduleEvent.Queued e = (ScheduleEvent.Queued) event;
    return new ScheduleState(definition, paused, false, e.nextFireAt(), runs, e.fireTime(), createdAt, updatedAt);
  }

  private List<Run> withRun(Run run) {
    List<Run> next = new ArrayList<>(runs.size() + 1);
    next.add(run);
    next.addAll(runs);
    return trimmed(next);
  }

  private List<Run> submitted(ScheduleEvent.Submitted event) {
    List<Run> next = runs.stream()
        .map(run -> run.fireTime().equals(event.fireTime()) ? new Run(run.fireTime(), run.jobId(), true, event.error()) : run)
        .toList();
    return trimmed(next);
  }

  /** The newest {@link #KEEP_RUNS}, and any older one still to be submitted. */
  private static List<Run> trimmed(List<Run> runs) {
    List<Run> kept = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      if (i < KEEP_RUNS || !runs.get(i).submitted()) {
        kept.add(runs.get(i));
      }
    }
    return kept;
  }
}

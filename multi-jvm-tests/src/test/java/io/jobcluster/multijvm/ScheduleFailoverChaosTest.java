package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jobcluster.persistence.testing.PostgresExtension;
import io.jobcluster.protocol.JobRequest;
import io.jobcluster.protocol.JobStatus;
import io.jobcluster.protocol.JobView;
import io.jobcluster.protocol.Webhook;
import io.jobcluster.protocol.client.JobclusterClient;
import io.jobcluster.protocol.client.ListQuery;
import io.jobcluster.protocol.wire.JobPage;
import io.jobcluster.protocol.wire.ScheduleJson;
import io.jobcluster.protocol.wire.ScheduleRequest;
import io.jobcluster.protocol.wire.ScheduleRun;
import io.jobcluster.protocol.wire.TransitionEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A recurring schedule survives the {@code kill -9} of the node that holds it: the survivors start
 * its entity (schedule sharding remembers its entities), the first fire time after the kill is
 * submitted within the failover allowance, later ones on time, none is lost (the fire times missed
 * during the failover are within the misfire threshold, so each fires late) and no fire time gets
 * two jobs (counted in the read model: the tenant's jobs are this schedule's only).
 *
 * <p>The same kill checks what the callers of those jobs rely on: each job's completion webhook
 * (signed with the tenant's secret) reaches the receiver at least once, and a tenant event stream
 * read from the killed node, resumed on a survivor with the last event id it carried, misses no
 * transition and repeats none.
 */
@MultiJvmTest
class ScheduleFailoverChaosTest {
  private static final String SCHEDULE = "chaos-every-2s";
  private static final long PERIOD_SECONDS = 2;
  /** Downing (~10 s), the shard's move and the entity's recovery, with room for a slow machine. */
  private static final Duration FAILOVER_ALLOWANCE = Duration.ofSeconds(45);
  /** How late a fire time after the failover may be submitted: the test waits until the schedule is on time again. */
  private static final Duration ON_TIME = Duration.ofSeconds(5);
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  /** The {@code Last-Event-ID} of a tenant stream from the journal's start (every tag slice at ordering 0). */
  private static final String FROM_THE_START = "0.0.0.0";

  @RegisterExtension
  static final PostgresExtension POSTGRES = new PostgresExtension();

  @Test
  void theNextFireHappensOnASurvivorAfterTheNodeHoldingTheScheduleIsKilled() {
    try (ChaosCluster chaos = ChaosCluster.start("ScheduleFailoverChaosTest", POSTGRES, 3, Map.of());
        WebhookReceiver receiver = WebhookReceiver.start(chaos.operator().drawWebhookSecret(ChaosCluster.TENANT).secret())) {
      JobRequest job = JobRequest.of("noop").withWebhook(new Webhook(receiver.url()));
      chaos.anyClient().createSchedule(ScheduleRequest.every(PERIOD_SECONDS, job).withId(SCHEDULE));
      TreeMap<Instant, String> fired = new TreeMap<>();
      Poll.until("the schedule fired twice", TIMEOUT, () -> observe(chaos.anyClient(), fired) && fired.size() >= 2);
      NodeProcess holder = holder(chaos);
      EventCollector fromHolder = EventCollector.reading(chaos.client(holder).tenantEvents(null, null, null, FROM_THE_START));
      Poll.until("the holder's event stream carried a transition", TIMEOUT, () -> fromHolder.lastId() != null);

      Instant kill = Instant.now();
      holder.kill9();
      NodeProcess survivor = chaos.cluster().running().get(0);
      JobclusterClient client = chaos.client(survivor);
      Poll.until("the killed node's event stream ended", TIMEOUT, fromHolder::ended);
      try (EventCollector fromSurvivor = EventCollector.reading(client.tenantEvents(null, null, null, fromHolder.lastId()))) {
        Poll.until("fires are on time again after the failover", TIMEOUT, () -> observe(client, fired) && onTimeAfter(client, fired, kill));
        client.pauseSchedule(SCHEDULE);
        observe(client, fired);

        NodeProcess newHolder = holder(chaos);
        assertNotEquals(holder.name(), newHolder.name(), "the schedule moved to a survivor");
        Instant firstAfterKill = fired.keySet().stream().filter(fireTime -> fireTime.isAfter(kill)).findFirst().orElseThrow();
        JobView first = client.get(fired.get(firstAfterKill));
        assertTrue(Duration.between(firstAfterKill, first.createdAt()).compareTo(FAILOVER_ALLOWANCE) <= 0,
            "the first fire after the kill (" + firstAfterKill + ") was submitted at " + first.createdAt());

        List<Instant> times = List.copyOf(fired.keySet());
        for (int i = 1; i < times.size(); i++) {
          assertEquals(Duration.ofSeconds(PERIOD_SECONDS), Duration.between(times.get(i - 1), times.get(i)), "no fire time lost: " + times);
        }
        Poll.until("the read model holds every fired job", TIMEOUT, () -> jobs(client) >= fired.size());
        assertEquals(fired.size(), jobs(client), "one job per fire time: " + fired.size() + " fire times");

        List<TransitionEvent> streamed = new ArrayList<>(fromHolder.transitions());
        Poll.until("every fired job's completion streamed and its webhook delivered", TIMEOUT, () -> fired.values().stream()
            .allMatch(id -> receiver.deliveriesOf(id) >= 1 && completed(fromSurvivor.transitions(), id, streamed)));
        streamed.addAll(fromSurvivor.transitions());
        assertEquals(List.of(), receiver.refused(), "every webhook was signed with the tenant's secret");
        for (String id : fired.values()) {
          List<TransitionEvent> ofJob = streamed.stream().filter(transition -> transition.jobId().equals(id)).toList();
          assertEquals(JobStatus.PENDING, ofJob.get(0).to(), "the stream starts with the job's submission: " + ofJob);
          assertEquals(JobStatus.COMPLETED, ofJob.get(ofJob.size() - 1).to(), "and ends with its completion: " + ofJob);
          assertEquals(ofJob.size(), Set.copyOf(ofJob).size(), "no transition twice across the resumption: " + ofJob);
          for (int i = 1; i < ofJob.size(); i++) {
            assertEquals(ofJob.get(i - 1).to(), ofJob.get(i).from(), "no transition missed across the resumption: " + ofJob);
          }
        }
      }
    }
  }

  /** Whether the stream read from the survivor, after {@code before}, holds the completion of job {@code id}. */
  private static boolean completed(List<TransitionEvent> after, String id, List<TransitionEvent> before) {
    return Stream.concat(before.stream(), after.stream())
        .anyMatch(transition -> transition.jobId().equals(id) && transition.to() == JobStatus.COMPLETED);
  }

  /** Adds the schedule's last runs to {@code fired} (fire time → job id, a fire time never with two ids); false while no node answers. */
  private static boolean observe(JobclusterClient client, Map<Instant, String> fired) {
    ScheduleJson schedule;
    try {
      schedule = client.schedule(SCHEDULE);
    } catch (RuntimeException unavailable) {
      return false;
    }
    for (ScheduleRun run : schedule.lastRuns()) {
      String before = fired.putIfAbsent(run.fireTime(), run.jobId());
      assertTrue(before == null || before.equals(run.jobId()), "fire time " + run.fireTime() + " has two jobs: " + before + ", " + run.jobId());
    }
    return true;
  }

  /** Whether the newest fire time, past the kill, was submitted on time (not as a late catch-up of the failover). */
  private static boolean onTimeAfter(JobclusterClient client, TreeMap<Instant, String> fired, Instant kill) {
    Instant newest = fired.lastKey();
    if (!newest.isAfter(kill)) {
      return false;
    }
    try {
      return Duration.between(newest, client.get(fired.get(newest)).createdAt()).compareTo(ON_TIME) <= 0;
    } catch (RuntimeException unavailable) {
      return false;
    }
  }

  /** The node whose log last showed the schedule's entity starting. */
  private static NodeProcess holder(ChaosCluster chaos) {
    Optional<Map.Entry<String, NodeProcess>> latest = chaos.cluster().running().stream()
        .flatMap(node -> node.logLinesContaining("Schedule running tenant=" + ChaosCluster.TENANT + " schedule=" + SCHEDULE + " ").stream()
            .map(line -> Map.entry(line, node)))
        .max(Map.Entry.comparingByKey());
    return latest.orElseThrow(() -> new AssertionError("no node logged the schedule running")).getValue();
  }

  /** The tenant's jobs in the read model (the schedule's only). */
  private static int jobs(JobclusterClient client) {
    int count = 0;
    String cursor = null;
    do {
      JobPage page = client.list(new ListQuery(null, null, null, 500, cursor));
      count += page.items().size();
      cursor = page.nextCursor();
    } while (cursor != null);
    return count;
  }
}

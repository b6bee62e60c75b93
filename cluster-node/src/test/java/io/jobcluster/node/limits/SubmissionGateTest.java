package io.jobcluster.node.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SubmissionGateTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
  private final Map<String, Long> readModel = new HashMap<>();
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicInteger members = new AtomicInteger(1);

  private SubmissionGate gate(TenantLimits defaults, Map<String, TenantLimits> overrides) {
    return new SubmissionGate(new TenantLimits.Table(defaults, overrides), tenant -> {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(readModel.getOrDefault(tenant, 0L));
    }, members::get, clock::get, Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  /** A gate (quota 3) whose reads of the read model answer only when the test completes them. */
  private SubmissionGate gateReadingInto(List<CompletableFuture<Long>> pending) {
    return new SubmissionGate(new TenantLimits.Table(new TenantLimits(3, 1000, 100), Map.of()), tenant -> {
      CompletableFuture<Long> read = new CompletableFuture<>();
      pending.add(read);
      return read;
    }, members::get, clock::get, Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  private Admission admit(SubmissionGate gate, String tenant, int jobs) {
    return gate.admit(tenant, jobs).toCompletableFuture().join();
  }

  @Test
  void theFirstAdmissionReadsTheActiveCountFromTheReadModel() {
    readModel.put("acme", 10L);
    SubmissionGate gate = gate(new TenantLimits(10, 1000, 100), Map.of());
    Admission refused = admit(gate, "acme", 1);
    QuotaCheck.assertQuota(refused, 10, 10);
    assertEquals(1, reads.get());
  }

  @Test
  void admissionsCountAtOnceAndTheReadModelIsReadAgainAfterItsTtl() {
    readModel.put("acme", 1L);
    SubmissionGate gate = gate(new TenantLimits(3, 1000, 100), Map.of());
    assertEquals(Admission.ADMITTED, admit(gate, "acme", 2));
    QuotaCheck.assertQuota(admit(gate, "acme", 1), 3, 3);
    assertEquals(1, reads.get(), "within the TTL the count is not read again");

    // The read model caught up with the two admitted jobs and one finished: 2 active. They are still
    // remembered as recent admissions, so the gate counts them twice and stays on the safe side.
    readModel.put("acme", 2L);
    clock.addAndGet(2 * SECOND);
    QuotaCheck.assertQuota(admit(gate, "acme", 1), 4, 3);
    assertEquals(2, reads.get());
    // Once the admissions are older than the admission memory, only the read model counts.
    clock.addAndGet(4 * SECOND);
    assertEquals(Admission.ADMITTED, admit(gate, "acme", 1));
    QuotaCheck.assertQuota(admit(gate, "acme", 1), 3, 3);
  }

  /**
   * A read model slow to answer holds only a tenant's first submissions: later ones are admitted
   * against the count the gate has while one read at a time refreshes it. Before, every submission
   * finding the count stale read it itself, and after a burst 256 concurrent submissions queued their
   * reads behind the catching-up projections (30 answers a second for 40 s in the benchmark).
   */
  @Test
  void aSlowReadModelIsReadOnceAtATimeAndHoldsUpOnlyTheFirstSubmissions() {
    List<CompletableFuture<Long>> pending = new ArrayList<>();
    SubmissionGate gate = gateReadingInto(pending);

    CompletableFuture<Admission> first = gate.admit("acme", 1).toCompletableFuture();
    CompletableFuture<Admission> second = gate.admit("acme", 1).toCompletableFuture();
    assertEquals(1, pending.size(), "one read for both");
    assertFalse(first.isDone() || second.isDone(), "no count yet: both wait for it");
    pending.get(0).complete(1L);
    assertEquals(Admission.ADMITTED, first.join());
    assertEquals(Admission.ADMITTED, second.join());

    clock.addAndGet(2 * SECOND);
    QuotaCheck.assertQuota(admit(gate, "acme", 1), 3, 3);
    assertEquals(2, pending.size(), "the stale count is read again, once");
    QuotaCheck.assertQuota(admit(gate, "acme", 1), 3, 3);
    assertEquals(2, pending.size(), "while that read is under way no other starts");
    pending.get(1).complete(0L);
    assertEquals(Admission.ADMITTED, admit(gate, "acme", 1), "the new count (0 + 2 recent admissions) counts from then on");
    assertEquals(2, pending.size());
  }

  @Test
  void aFailedFirstReadFailsTheSubmissionsWaitingForItAndTheNextOneReadsAgain() {
    List<CompletableFuture<Long>> pending = new ArrayList<>();
    SubmissionGate gate = gateReadingInto(pending);

    CompletableFuture<Admission> waiting = gate.admit("acme", 1).toCompletableFuture();
    pending.get(0).completeExceptionally(new IllegalStateException("database down"));
    CompletionException failed = assertThrows(CompletionException.class, waiting::join);
    assertEquals("database down", failed.getCause().getMessage());

    CompletableFuture<Admission> retried = gate.admit("acme", 1).toCompletableFuture();
    assertEquals(2, pending.size());
    pending.get(1).complete(0L);
    assertEquals(Admission.ADMITTED, retried.join());
  }

  @Test
  void theRateIsATokenBucketPerTenantSharedOverTheClusterMembers() {
    SubmissionGate gate = gate(new TenantLimits(1_000_000, 10, 20), Map.of("vip", new TenantLimits(1_000_000, 100, 200)));
    assertEquals(Admission.ADMITTED, admit(gate, "acme", 20));
    Admission.RateLimited limited = assertInstanceOf(Admission.RateLimited.class, admit(gate, "acme", 5));
    assertEquals(Duration.ofMillis(500), limited.retryAfter(), "5 tokens at 10 per second");
    assertEquals(Admission.ADMITTED, admit(gate, "vip", 200), "other tenants have their own buckets and limits");

    members.set(2);
    clock.addAndGet(SECOND);
    // One second at 10/2 per second: 5 tokens.
    assertEquals(Admission.ADMITTED, admit(gate, "acme", 5));
    Admission.RateLimited again = assertInstanceOf(Admission.RateLimited.class, admit(gate, "acme", 1));
    assertEquals(Duration.ofMillis(200), again.retryAfter());
  }

  @Test
  void moreJobsAtOnceThanTheBurstCanNeverBeAdmitted() {
    SubmissionGate gate = gate(new TenantLimits(1_000_000, 10, 20), Map.of());
    Admission.RateLimited limited = assertInstanceOf(Admission.RateLimited.class, admit(gate, "acme", 21));
    assertNull(limited.retryAfter());
    assertTrue(limited.message().contains("20"), limited.message());
    assertEquals(Admission.ADMITTED, admit(gate, "acme", 20), "nothing was taken by the refusal");
  }

  @Test
  void limitsAreReadFromConfigWithPerTenantOverridesFallingBackToTheDefaults() {
    TenantLimits.Table table = TenantLimits.Table.fromConfig(ConfigFactory.parseString(
        "tenant-defaults { max-active-jobs = 100, submit-rate = 5.5, submit-burst = 10, request-rate = 50, request-burst = 80, max-running-jobs = 20 }\n"
            + "tenants { \"acme.corp\" { max-active-jobs = 7, request-rate = 9, max-running-jobs = 2 } }"));
    assertEquals(new TenantLimits(100, 5.5, 10, 50, 80, 20), table.of("anyone"));
    assertEquals(new TenantLimits(7, 5.5, 10, 9, 80, 2), table.of("acme.corp"));
    assertThrows(IllegalArgumentException.class, () -> new TenantLimits(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new TenantLimits(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TenantLimits(1, 1, 1, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new TenantLimits(1, 1, 1, 1, 1, 0));
  }

  /** Assertions on a quota refusal. */
  private static final class QuotaCheck {
    static void assertQuota(Admission admission, long active, long limit) {
      Admission.QuotaExceeded exceeded = assertInstanceOf(Admission.QuotaExceeded.class, admission);
      assertEquals(active, exceeded.active());
      assertEquals(limit, exceeded.limit());
    }
  }
}

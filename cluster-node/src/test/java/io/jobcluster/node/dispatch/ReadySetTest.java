package io.jobcluster.node.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReadySetTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private int clock;

  private ReadyJob job(String tenant, int priority) {
    return job(tenant, "noop", priority);
  }

  private ReadyJob job(String tenant, String type, int priority) {
    return ReadyJob.of(UUID.randomUUID().toString(), tenant, type, priority, T0.plusSeconds(clock++));
  }

  private static ReadySet unlimited() {
    return new ReadySet(tenant -> Integer.MAX_VALUE);
  }

  /** Polls until nothing is left, answering the tenants in the order served (nothing released). */
  private static List<String> drain(ReadySet ready) {
    List<String> tenants = new ArrayList<>();
    for (ReadyJob job = ready.pollFirst(null); job != null; job = ready.pollFirst(null)) {
      tenants.add(job.tenant());
    }
    return tenants;
  }

  @Test
  void withinATenantHigherPriorityGoesFirstThenTheJobThatWaitedLongest() {
    ReadySet ready = unlimited();
    ReadyJob oldLow = job("a", 1);
    ReadyJob oldHigh = job("a", 9);
    ReadyJob newHigh = job("a", 9);
    ready.add(newHigh);
    ready.add(oldLow);
    ready.add(oldHigh);

    assertEquals(List.of(oldHigh, newHigh, oldLow), List.of(ready.pollFirst(null), ready.pollFirst(null), ready.pollFirst(null)));
    assertNull(ready.pollFirst(null));
    assertTrue(ready.isEmpty());
  }

  @Test
  void aFloodOfTopPriorityJobsTakesTurnsWithAnotherTenantsLowPriorityJobs() {
    ReadySet ready = unlimited();
    for (int i = 0; i < 6; i++) {
      ready.add(job("flood", 9));
    }
    ready.add(job("modest", 0));
    ready.add(job("modest", 0));

    assertEquals(List.of("flood", "modest", "flood", "modest", "flood", "flood", "flood", "flood"), drain(ready));
  }

  @Test
  void theNextSlotGoesToTheTenantHoldingFewestUntilSharesAreEven() {
    ReadySet ready = unlimited();
    for (int i = 0; i < 5; i++) {
      ready.add(job("early", 5));
    }
    List<String> first = List.of(ready.pollFirst(null).tenant(), ready.pollFirst(null).tenant(), ready.pollFirst(null).tenant());
    assertEquals(List.of("early", "early", "early"), first);
    for (int i = 0; i < 5; i++) {
      ready.add(job("late", 5));
    }

    // "early" holds three slots: "late" gets the next three, then they alternate.
    assertEquals(List.of("late", "late", "late", "early", "late", "early", "late"), drain(ready));

    ready.released("early");
    ready.released("early");
    ready.add(job("early", 5));
    ready.add(job("late", 5));
    assertEquals("early", ready.pollFirst(null).tenant(), "early now holds fewer slots than late");
  }

  @Test
  void aTenantAtItsRunningLimitGetsNothingUntilOneOfItsJobsIsReleased() {
    ReadySet ready = new ReadySet(tenant -> tenant.equals("capped") ? 2 : Integer.MAX_VALUE);
    for (int i = 0; i < 4; i++) {
      ready.add(job("capped", 9));
    }
    assertEquals(List.of("capped", "capped"), drain(ready));
    assertEquals(2, ready.running("capped"));
    assertEquals(2, ready.size(), "the rest waits");
    assertNull(ready.pollFirst("capped"), "a pool bound to the tenant gets nothing either");

    ready.add(job("other", 0));
    assertEquals(List.of("other"), drain(ready), "other tenants still get slots");

    ready.released("capped");
    assertEquals(1, ready.running("capped"));
    assertEquals(List.of("capped"), drain(ready));
    ready.released("capped");
    ready.released("capped");
    assertEquals(List.of("capped"), drain(ready));
    assertTrue(ready.isEmpty());
  }

  @Test
  void aRunningJobLearnedFromAPoolCountsAgainstTheLimitOnceAdopted() {
    ReadySet ready = new ReadySet(tenant -> 1);
    ready.adopted("a");
    ready.add(job("a", 5));
    assertNull(ready.pollFirst(null), "the adopted job holds a's only slot");
    assertEquals(1, ready.running("a"));

    ready.released("a");
    assertEquals("a", ready.pollFirst(null).tenant());
  }

  @Test
  void aPoolBoundToATenantTakesOnlyThatTenantsBestJob() {
    ReadySet ready = unlimited();
    ReadyJob mine = job("mine", 1);
    ReadyJob mineBetter = job("mine", 7);
    ready.add(job("theirs", 9));
    ready.add(mine);
    ready.add(mineBetter);

    assertEquals(mineBetter, ready.pollFirst("mine"));
    assertEquals(mine, ready.pollFirst("mine"));
    assertNull(ready.pollFirst("mine"));
    assertNull(ready.pollFirst("nobody"));
    assertEquals(1, ready.size());
  }

  @Test
  void aJobIsWaitingAtMostOnceAndReleasesOfUnknownTenantsChangeNothing() {
    ReadySet ready = unlimited();
    ReadyJob job = job("a", 5);
    assertTrue(ready.add(job));
    assertFalse(ready.add(job));
    assertTrue(ready.contains(job.jobId()));
    assertEquals(1, ready.size());

    ready.released(null);
    ready.released("never-seen");
    ready.released("a");
    assertEquals(0, ready.running("a"));
    assertEquals(job, ready.pollFirst(null));
    assertFalse(ready.contains(job.jobId()));
    assertEquals(1, ready.running("a"));
  }

  @Test
  void everyJobOfManyTenantsIsHandedOutOnceAndEachTenantsInItsOwnOrder() {
    ReadySet ready = unlimited();
    Map<String, List<ReadyJob>> byTenant = new java.util.HashMap<>();
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 20_000; i++) {
      ReadyJob job = job("t" + random.nextInt(50), random.nextInt(10));
      ready.add(job);
      byTenant.computeIfAbsent(job.tenant(), t -> new ArrayList<>()).add(job);
    }
    Map<String, List<ReadyJob>> served = new java.util.HashMap<>();
    for (ReadyJob job = ready.pollFirst(null); job != null; job = ready.pollFirst(null)) {
      served.computeIfAbsent(job.tenant(), t -> new ArrayList<>()).add(job);
      if (random.nextBoolean()) {
        ready.released(job.tenant());
      }
    }
    assertTrue(ready.isEmpty());
    byTenant.forEach((tenant, jobs) -> {
      List<ReadyJob> expected = jobs.stream().sorted(ReadyJob.DISPATCH_ORDER).toList();
      assertEquals(expected, served.get(tenant), tenant);
    });
  }

  @Test
  void aPoolOfSomeTypesGetsTheBestJobOfThoseTypesAndJobsOfOtherTypesAheadOfItDoNotBlockIt() {
    ReadySet ready = unlimited();
    ReadyJob urgentOther = job("a", "ocr", 9);
    ReadyJob convert = job("a", "convert", 3);
    ReadyJob thumbnail = job("a", "thumbnail", 5);
    ready.add(urgentOther);
    ready.add(convert);
    ready.add(thumbnail);

    Set<String> media = Set.of("convert", "thumbnail", "transcode");
    assertEquals(thumbnail, ready.pollFirst(null, media));
    assertEquals(convert, ready.pollFirst(null, media));
    assertNull(ready.pollFirst(null, media), "the ocr job waits for a pool that takes it");
    assertEquals(Map.of("ocr", 1), ready.waitingByType());
    assertEquals(urgentOther, ready.pollFirst(null, Set.of("ocr")));
    assertTrue(ready.isEmpty());
    assertEquals(Map.of(), ready.waitingByType());
  }

  @Test
  void aTenantWithOnlyJobsOfOtherTypesIsPassedOverNotWaitedFor() {
    ReadySet ready = unlimited();
    ready.add(job("first", "ocr", 9));
    ready.add(job("first", "ocr", 9));
    ReadyJob later = job("second", "noop", 0);
    ready.add(later);

    assertEquals(later, ready.pollFirst(null, Set.of("noop")));
    assertNull(ready.pollFirst("first", Set.of("noop")), "a pool bound to a tenant takes only its types too");
    assertEquals("first", ready.pollFirst("first", Set.of("ocr", "noop")).tenant());
    assertEquals(Map.of("ocr", 1), ready.waitingByType());
  }

  @Test
  void typedAndUntypedPoolsTogetherHandOutEveryJobOnceInEachTypesOrder() {
    ReadySet ready = unlimited();
    java.util.Random random = new java.util.Random(7);
    List<String> types = List.of("a", "b", "c", "d");
    Map<String, List<ReadyJob>> byType = new java.util.HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      ReadyJob job = job("t" + random.nextInt(5), types.get(random.nextInt(types.size())), random.nextInt(10));
      ready.add(job);
      byType.computeIfAbsent(job.type() + "/" + job.tenant(), t -> new ArrayList<>()).add(job);
    }
    List<Set<String>> pools = java.util.Arrays.asList(Set.of("a"), Set.of("b", "c"), null, Set.of("d", "x"));
    Map<String, List<ReadyJob>> served = new java.util.HashMap<>();
    int idle = 0;
    for (int turn = 0; idle < pools.size(); turn++) {
      ReadyJob job = ready.pollFirst(null, pools.get(turn % pools.size()));
      idle = job == null ? idle + 1 : 0;
      if (job != null) {
        Set<String> pool = pools.get(turn % pools.size());
        assertTrue(pool == null || pool.contains(job.type()), job.type());
        served.computeIfAbsent(job.type() + "/" + job.tenant(), t -> new ArrayList<>()).add(job);
      }
    }
    assertTrue(ready.isEmpty());
    byType.forEach((key, jobs) -> assertEquals(jobs.stream().sorted(ReadyJob.DISPATCH_ORDER).toList(), served.get(key), key));
  }
}

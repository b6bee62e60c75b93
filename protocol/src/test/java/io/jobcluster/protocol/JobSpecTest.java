package io.jobcluster.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class JobSpecTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final JobRequest NOOP = JobRequest.of("noop");

  @Test
  void appliesTheContractDefaults() {
    JobSpec spec = JobSpec.from(NOOP, NOW);
    assertEquals("default", spec.queue());
    assertEquals(5, spec.priority());
    assertEquals(3, spec.maxAttempts());
    assertEquals(300, spec.timeoutSeconds());
    assertEquals(BackoffPolicy.DEFAULT, spec.backoff());
    assertEquals(NOW, spec.runAt());
    assertNull(spec.expiresAt());
    assertEquals(List.of(), spec.tags());
    assertEquals(JobStatus.PENDING, spec.initialStatus(NOW));
  }

  @Test
  void resolvesRelativeTimesAgainstNow() {
    JobSpec spec = JobSpec.from(NOOP.withDelaySeconds(60L).withTtlSeconds(600L), NOW);
    assertEquals(NOW.plusSeconds(60), spec.runAt());
    assertEquals(NOW.plusSeconds(600), spec.expiresAt());
    assertEquals(JobStatus.SCHEDULED, spec.initialStatus(NOW));
  }

  @Test
  void aRunAtInThePastMakesThePendingRightAway() {
    JobSpec spec = JobSpec.from(NOOP.withRunAt(NOW.minusSeconds(5)), NOW);
    assertEquals(JobStatus.PENDING, spec.initialStatus(NOW));
  }

  @Test
  void theFingerprintIgnoresWhenARelativeRequestIsRepeated() {
    JobRequest request = NOOP.withDelaySeconds(60L).withIdempotencyKey("k");
    assertEquals(JobSpec.from(request, NOW).fingerprint(), JobSpec.from(request, NOW.plusSeconds(30)).fingerprint());
    JobRequest keyed = NOOP.withIdempotencyKey("k");
    assertEquals(JobSpec.from(keyed, NOW).fingerprint(), JobSpec.from(keyed.withPriority(5), NOW).fingerprint());
    assertNotEquals(JobSpec.from(request, NOW).fingerprint(), JobSpec.from(request.withPriority(6), NOW).fingerprint());
    assertNotEquals(JobSpec.from(keyed.withPayload("{\"a\":1}"), NOW).fingerprint(), JobSpec.from(keyed.withPayload("{\"a\":2}"), NOW).fingerprint());
  }

  @Test
  void aWebhookMustBeAnHttpUrlAndIsPartOfTheFingerprint() {
    Webhook hook = new Webhook("https://hooks.example.com/jobs?x=1");
    assertEquals(hook, JobSpec.from(NOOP.withWebhook(hook), NOW).webhook());
    assertNull(JobSpec.from(NOOP, NOW).webhook());
    for (String url : new String[] {"ftp://hooks.example.com/", "hooks.example.com/x", "https://u:p@hooks.example.com/", "", "https://"}) {
      InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> JobSpec.from(NOOP.withWebhook(new Webhook(url)), NOW), url);
      assertEquals("webhook.url", refused.field());
    }
    JobRequest keyed = NOOP.withIdempotencyKey("k");
    assertNotEquals(JobSpec.from(keyed, NOW).fingerprint(), JobSpec.from(keyed.withWebhook(hook), NOW).fingerprint());
  }

  @Test
  void onlyAJobWithAnIdempotencyKeyHasAFingerprint() {
    // Only a repeat under the same key is compared with the job it names; a digest per job costs the hot path.
    assertNull(JobSpec.from(NOOP, NOW).fingerprint());
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of(JobRequest.of(null), "type"),
        Arguments.of(JobRequest.of("bad type!"), "type"),
        Arguments.of(JobRequest.of("x".repeat(129)), "type"),
        Arguments.of(NOOP.withQueue("Upper"), "queue"),
        Arguments.of(NOOP.withQueue(""), "queue"),
        Arguments.of(NOOP.withQueue("q".repeat(65)), "queue"),
        Arguments.of(NOOP.withPriority(-1), "priority"),
        Arguments.of(NOOP.withPriority(10), "priority"),
        Arguments.of(NOOP.withMaxAttempts(0), "maxAttempts"),
        Arguments.of(NOOP.withMaxAttempts(1001), "maxAttempts"),
        Arguments.of(NOOP.withTimeoutSeconds(0), "timeoutSeconds"),
        Arguments.of(NOOP.withTimeoutSeconds(86_401), "timeoutSeconds"),
        Arguments.of(NOOP.withRunAt(NOW).withDelaySeconds(1L), "delaySeconds"),
        Arguments.of(NOOP.withDelaySeconds(-1L), "delaySeconds"),
        Arguments.of(NOOP.withDelaySeconds(Long.MAX_VALUE), "delaySeconds"),
        Arguments.of(NOOP.withRunAt(NOW.plusSeconds(400L * 24 * 3600)), "runAt"),
        Arguments.of(NOOP.withRunAt(NOW.minusSeconds(400L * 24 * 3600)), "runAt"),
        Arguments.of(NOOP.withRunAt(Instant.MIN), "runAt"),
        Arguments.of(NOOP.withExpiresAt(NOW.plusSeconds(400L * 24 * 3600)), "expiresAt"),
        Arguments.of(NOOP.withExpiresAt(Instant.MAX), "expiresAt"),
        Arguments.of(NOOP.withExpiresAt(NOW.plusSeconds(5)).withTtlSeconds(5L), "ttlSeconds"),
        Arguments.of(NOOP.withTtlSeconds(0L), "ttlSeconds"),
        Arguments.of(NOOP.withExpiresAt(NOW.minusSeconds(1)), "expiresAt"),
        Arguments.of(NOOP.withDelaySeconds(60L).withTtlSeconds(30L), "expiresAt"),
        Arguments.of(NOOP.withIdempotencyKey(""), "idempotencyKey"),
        Arguments.of(NOOP.withIdempotencyKey("has space"), "idempotencyKey"),
        Arguments.of(NOOP.withIdempotencyKey("k".repeat(256)), "idempotencyKey"),
        Arguments.of(NOOP.withTags(List.of("ok", "not ok")), "tags"),
        Arguments.of(NOOP.withTags(java.util.Collections.nCopies(33, "t")), "tags"));
  }

  @ParameterizedTest
  @MethodSource("invalidRequests")
  void rejectsAnInvalidFieldNamingIt(JobRequest request, String field) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> JobSpec.from(request, NOW));
    assertEquals(field, e.field());
  }
}

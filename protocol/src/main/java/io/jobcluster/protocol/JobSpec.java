package io.jobcluster.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A validated job with defaults applied and absolute times, as the job entity persists it.
 *
 * @param runAt earliest start (the submission time when none was asked for)
 * @param expiresAt latest start, or null for none
 * @param fingerprint digest of the request as submitted, for a job with an idempotency key (else
 *     null): a repeat with the same key but another fingerprint is a conflict, not a repeat
 */
public record JobSpec(
    String queue,
    String type,
    String payload,
    int priority,
    int maxAttempts,
    int timeoutSeconds,
    BackoffPolicy backoff,
    Instant runAt,
    Instant expiresAt,
    String idempotencyKey,
    List<String> tags,
    String fingerprint,
    Webhook webhook) {

  public static final String DEFAULT_QUEUE = "default";
  public static final int DEFAULT_PRIORITY = 5;
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final int DEFAULT_TIMEOUT_SECONDS = 300;
  public static final int MAX_ATTEMPTS_LIMIT = 1000;
  public static final int MAX_TIMEOUT_SECONDS = (int) Duration.ofDays(1).toSeconds();
  public static final long MAX_DELAY_SECONDS = Duration.ofDays(366).toSeconds();
  public static final int MAX_TAGS = 32;

  /** What every queue name matches. */
  /** What every job type matches. */
  public static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:=/-]{1,64}");
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

  /** A job without a webhook. */
  public JobSpec(String queue, String type, String payload, int priority, int maxAttempts, int timeoutSeconds, BackoffPolicy backoff,
      Instant runAt, Instant expiresAt, String idempotencyKey, List<String> tags, String fingerprint) {
    this(queue, type, payload, priority, maxAttempts, timeoutSeconds, backoff, runAt, expiresAt, idempotencyKey, tags, fingerprint, null);
  }

  public JobSpec {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(runAt, "runAt");
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /**
   * Validates {@code request} and resolves it against {@code now}.
   *
   * @throws InvalidRequestException naming the first field that is wrong
   */
  public static JobSpec from(JobRequest request, Instant now) {
    String queue = request.queue() == null ? DEFAULT_QUEUE : request.queue();
    QueueName.require(queue);
    require(request.type() != null, "type", "is required");
    require(TYPE.matcher(request.type()).matches(), "type", "must match [A-Za-z0-9._-]{1,128}");
    int priority = orDefault(request.priority(), DEFAULT_PRIORITY);
    require(priority >= 0 && priority <= 9, "priority", "must be between 0 and 9");
    int maxAttempts = orDefault(request.maxAttempts(), DEFAULT_MAX_ATTEMPTS);
    require(maxAttempts >= 1 && maxAttempts <= MAX_ATTEMPTS_LIMIT, "maxAttempts", "must be between 1 and " + MAX_ATTEMPTS_LIMIT);
    int timeoutSeconds = orDefault(request.timeoutSeconds(), DEFAULT_TIMEOUT_SECONDS);
    require(timeoutSeconds >= 1 && timeoutSeconds <= MAX_TIMEOUT_SECONDS, "timeoutSeconds", "must be between 1 and " + MAX_TIMEOUT_SECONDS);
    BackoffPolicy backoff = request.backoff() == null ? BackoffPolicy.DEFAULT : request.backoff();

    require(request.runAt() == null || request.delaySeconds() == null, "delaySeconds", "cannot be combined with runAt");
    Instant runAt = now;
    if (request.runAt() != null) {
      runAt = request.runAt();
    } else if (request.delaySeconds() != null) {
      long delay = request.delaySeconds();
      require(delay >= 0 && delay <= MAX_DELAY_SECONDS, "delaySeconds", "must be between 0 and " + MAX_DELAY_SECONDS);
      runAt = now.plusSeconds(delay);
    }
    // Far from now in either direction, times overflow the timers and the read model's timestamps.
    require(!runAt.isAfter(now.plusSeconds(MAX_DELAY_SECONDS)) && !runAt.isBefore(now.minusSeconds(MAX_DELAY_SECONDS)), "runAt",
        "must be within " + MAX_DELAY_SECONDS + " seconds of now");

    require(request.expiresAt() == null || request.ttlSeconds() == null, "ttlSeconds", "cannot be combined with expiresAt");
    Instant expiresAt = request.expiresAt();
    if (request.ttlSeconds() != null) {
      long ttl = request.ttlSeconds();
      require(ttl >= 1 && ttl <= MAX_DELAY_SECONDS, "ttlSeconds", "must be between 1 and " + MAX_DELAY_SECONDS);
      expiresAt = now.plusSeconds(ttl);
    }
    if (expiresAt != null) {
      require(expiresAt.isAfter(runAt) && expiresAt.isAfter(now), "expiresAt", "must be after runAt and after now");
      require(!expiresAt.isAfter(now.plusSeconds(MAX_DELAY_SECONDS)), "expiresAt", "must be within " + MAX_DELAY_SECONDS + " seconds from now");
    }

    String key = request.idempotencyKey();
    require(key == null || IDEMPOTENCY_KEY.matcher(key).matches(), "idempotencyKey", "must be 1 to 255 printable ASCII characters without spaces");
    List<String> tags = request.tags() == null ? List.of() : request.tags();
    require(tags.size() <= MAX_TAGS, "tags", "at most " + MAX_TAGS + " tags");
    for (String tag : tags) {
      require(tag != null && TAG.matcher(tag).matches(), "tags", "each tag must match [A-Za-z0-9._:=/-]{1,64}");
    }

    Webhook webhook = request.webhook();
    if (webhook != null) {
      Webhook.checkedUrl(webhook.url(), "webhook.url");
    }

    String fingerprint = key == null ? null : fingerprint(queue, request, priority, maxAttempts, timeoutSeconds, backoff, tags);
    return new JobSpec(queue, request.type(), request.payload(), priority, maxAttempts, timeoutSeconds, backoff, runAt, expiresAt, key, tags, fingerprint,
        webhook);
  }

  /** Whether the job waits for {@link #runAt()} before it becomes PENDING. */
  public boolean isScheduledAt(Instant now) {
    return runAt.isAfter(now);
  }

  public JobStatus initialStatus(Instant now) {
    return isScheduledAt(now) ? JobStatus.SCHEDULED : JobStatus.PENDING;
  }

  private static String fingerprint(String queue, JobRequest r, int priority, int maxAttempts, int timeoutSeconds, BackoffPolicy backoff, List<String> tags) {
    // Times are taken as the submitter wrote them (relative or absolute), so a repeat of the same
    // request later still has the same fingerprint.
    String canonical = String.join("\u0000",
        queue, r.type(), String.valueOf(r.payload()), Integer.toString(priority), Integer.toString(maxAttempts),
        Integer.toString(timeoutSeconds), Double.toString(backoff.initialSeconds()), Double.toString(backoff.multiplier()),
        Double.toString(backoff.maxSeconds()), String.valueOf(r.runAt()), String.valueOf(r.delaySeconds()),
        String.valueOf(r.expiresAt()), String.valueOf(r.ttlSeconds()), String.valueOf(r.idempotencyKey()), String.join(",", tags),
        r.webhook() == null ? "" : r.webhook().url());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static void require(boolean condition, String field, String message) {
    if (!condition) {
      throw new InvalidRequestException(field, message);
    }
  }
}

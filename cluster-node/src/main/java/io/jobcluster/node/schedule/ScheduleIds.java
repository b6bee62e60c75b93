package io.jobcluster.node.schedule;

import io.jobcluster.protocol.InvalidRequestException;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/** A schedule's id within its tenant, its entity id ({@code tenant/id}), and the idempotency keys of its jobs. */
public final class ScheduleIds {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private ScheduleIds() {}

  /** {@code id} as given, checked; a fresh random one when null. */
  public static String checked(String id) {
    if (id == null) {
      return UUID.randomUUID().toString();
    }
    if (!isValid(id)) {
      throw new InvalidRequestException("id", "must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  public static boolean isValid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  public static String entityId(String tenant, String scheduleId) {
    return tenant + "/" + scheduleId;
  }

  /** The tenant of a schedule's entity id; "" for an id that names no schedule (a shard's start-up id). */
  static String tenant(String entityId) {
    return entityId.substring(0, Math.max(0, entityId.lastIndexOf('/')));
  }

  static boolean namesSchedule(String entityId) {
    return entityId.lastIndexOf('/') > 0;
  }

  static String scheduleId(String entityId) {
    return entityId.substring(entityId.lastIndexOf('/') + 1);
  }

  /** The idempotency key of the job fired at {@code fireTime}: the same after any retry, failover or recovery. */
  public static String idempotencyKey(String scheduleId, Instant fireTime) {
    return "schedule/" + scheduleId + "/" + fireTime;
  }
}

package io.jobcluster.node.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a schedule does when it wakes at {@code now} with its next fire time {@code due}: the fire
 * times to submit, how many it skips, and its next fire time after that.
 *
 * <p>Every fire time from {@code due} to {@code now} is looked at. One older than {@code now −
 * threshold} was missed (no node ran the schedule then) and the misfire policy decides about it;
 * a later one is on time and fires. At most {@code cap} fire times fire at once; the rest are skipped.
 *
 * @param fire the fire times to submit, oldest first
 * @param skipped fire times passed over (counted up to {@link #MAX_SCAN})
 * @param next the first fire time after {@code now}; null when the schedule has none left
 */
public record FirePlan(List<Instant> fire, long skipped, Instant next) {
  /** How many due fire times are looked at one by one; past this many the rest are skipped without counting. */
  static final int MAX_SCAN = 10_000;

  public FirePlan {
    fire = List.copyOf(fire);
  }

  public boolean isEmpty() {
    return fire.isEmpty() && skipped == 0;
  }

  public static FirePlan at(Instant now, Instant due, ScheduleTiming timing, MisfirePolicy misfire, Duration threshold, int cap) {
    Instant missedBefore = now.minus(threshold);
    List<Instant> missed = new ArrayList<>();
    List<Instant> onTime = new ArrayList<>();
    long missedCount = 0;
    long onTimeCount = 0;
    Instant t = due;
    int scanned = 0;
    while (t != null && !t.isAfter(now) && scanned < MAX_SCAN) {
      if (t.isBefore(missedBefore)) {
        missedCount++;
        if (missed.size() < cap) {
          missed.add(t);
        }
      } else {
        onTimeCount++;
        if (onTime.size() < cap) {
          onTime.add(t);
        }
      }
      t = timing.nextAfter(t).orElse(null);
      scanned++;
    }
    if (t != null && !t.isAfter(now)) {
      t = timing.nextAfter(now).orElse(null);
    }
    List<Instant> fire = new ArrayList<>(switch (misfire) {
      case FIRE_ONCE -> missed.isEmpty() ? List.<Instant>of() : missed.subList(0, 1);
      case FIRE_ALL -> missed;
      case SKIP -> List.<Instant>of();
    });
    fire.addAll(onTime.subList(0, Math.min(onTime.size(), cap - fire.size())));
    return new FirePlan(fire, missedCount + onTimeCount - fire.size(), t);
  }
}

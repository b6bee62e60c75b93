package io.jobcluster.node.schedule;

import com.typesafe.config.Config;
import java.time.Clock;
import java.time.Duration;

/**
 * What schedule entities need from outside.
 *
 * @param misfireThreshold a fire time older than this when its schedule gets to it was missed (the misfire policy applies)
 * @param fireAllCap at most this many fire times fire at once (misfire policy {@code fire_all} after a long downtime)
 * @param retryDelay how soon an unanswered submission, or an unanswered look at the previous run, is tried again
 * @param overlapPoll how often a queued fire (overlap {@code queue_one}) looks whether the previous run finished
 */
public record ScheduleSettings(Clock clock, ScheduleJobs jobs, Duration misfireThreshold, int fireAllCap, Duration retryDelay,
    Duration overlapPoll, ScheduleObserver observer) {

  /** From {@code jobcluster.schedules}. */
  public static ScheduleSettings fromConfig(Config config, ScheduleJobs jobs, ScheduleObserver observer) {
    return new ScheduleSettings(Clock.systemUTC(), jobs, config.getDuration("misfire-threshold"), config.getInt("fire-all-cap"),
        config.getDuration("retry-delay"), config.getDuration("overlap-poll"), observer);
  }
}

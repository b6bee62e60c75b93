package io.jobcluster.bench.load;

import java.util.Map;

/**
 * What an open-loop load measured over its recorded part (after the warm-up).
 *
 * @param requestLatency encoded histogram ({@link HistogramCodec}, microseconds) of due time to answer
 * @param startLatency encoded histogram of due time to the job's call arriving; null unless the jobs call back
 * @param maxSendLagMicros how far behind its schedule the sender itself ever was (the generator's own health)
 * @param firstDueEpochMillis when the first request was due; {@code lastAnswerEpochMillis} when the last answer came
 */
public record OpenLoopResult(double jobsPerSecond, int batchSize, long requests, long requestsAnswered, long jobsSent,
                             long jobsAccepted, Map<String, Long> failures, String requestLatency, String startLatency,
                             long callbacksMissing, long callbacksRepeated, long maxSendLagMicros,
                             long firstDueEpochMillis, long lastAnswerEpochMillis) {}

package io.jobcluster.node.worker.handler;

import java.util.concurrent.CompletionStage;

/**
 * Runs jobs of one type. Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.jobcluster.node.worker.handler.JobHandler}) and must have a public
 * no-arg constructor. One instance serves every attempt of its type, concurrently, so it must be
 * thread-safe.
 */
public interface JobHandler {

  /** The job type this handler runs, {@code [A-Za-z0-9._-]{1,128}}; unique among loaded handlers. */
  String type();

  /**
   * Runs one attempt. Must not block the calling thread for long: return a stage, use {@link
   * JobContext#blockingExecutor()} for blocking work. A stage that fails (or a thrown exception)
   * counts as a retryable failure with the exception's message.
   */
  CompletionStage<HandlerResult> handle(JobContext context);
}

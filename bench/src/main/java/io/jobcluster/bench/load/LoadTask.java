package io.jobcluster.bench.load;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** What the load generator's JVM is asked to do; {@link LoadMain} runs one task and writes its result. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LoadTask.Burst.class, name = "burst"),
    @JsonSubTypes.Type(value = LoadTask.OpenLoop.class, name = "open-loop"),
    @JsonSubTypes.Type(value = LoadTask.Mixed.class, name = "mixed")})
public sealed interface LoadTask {

  /** Runs the task in this JVM and returns its result. */
  Object run();

  /** The nodes to spread requests over and the tenant key to send. */
  record Target(List<URI> nodes, String apiKey) {
    public Target {
      nodes = List.copyOf(nodes);
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("no node to send to");
      }
    }
  }

  /**
   * {@code jobs} jobs through {@code POST /v1/jobs/batch}, {@code batchSize} at a time, by
   * {@code submitters} concurrent submitters that each wait for their batch's answer; then
   * {@code sampleGets} of the accepted jobs read back, and for callback jobs their calls awaited
   * for up to {@code callbackWait}.
   */
  record Burst(Target target, int jobs, int batchSize, int submitters, JobShape shape, int sampleGets,
               Duration callbackWait) implements LoadTask {
    @Override
    public BurstResult run() {
      return BurstLoad.run(this);
    }
  }

  /**
   * Submissions at a fixed rate of {@code jobsPerSecond} ({@code batchSize} 1: {@code POST /v1/jobs};
   * more: {@code POST /v1/jobs/batch}) for {@code warmup} (not recorded) then {@code duration}.
   */
  record OpenLoop(Target target, double jobsPerSecond, int batchSize, Duration warmup, Duration duration, JobShape shape,
                  Duration callbackWait) implements LoadTask {
    @Override
    public OpenLoopResult run() {
      return OpenLoopLoad.run(this);
    }
  }

  /** {@code clients} closed-loop clients, each making one request at a time of a submit/get/list/cancel mix. */
  record Mixed(Target target, int clients, Duration duration) implements LoadTask {
    @Override
    public MixedResult run() {
      return MixedLoad.run(this);
    }
  }
}

package io.jobcluster.node.cli;

import io.jobcluster.node.Main;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;

/**
 * {@code jobcluster node}: starts a node, as {@code java -jar jobcluster-node.jar} does, configured by
 * its {@code JOBCLUSTER_*} environment (docs/CONFIGURATION.md).
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Start a node in the foreground, configured by its JOBCLUSTER_* environment (docs/CONFIGURATION.md).",
        "It runs until it is stopped (SIGTERM drains it first); the process then exits."})
final class NodeCommand implements Callable<Integer> {
  @Override
  public Integer call() throws InterruptedException {
    Main.main(new String[0]);
    // The node runs on its actor system's threads and ends the JVM itself when it stops (exit-jvm):
    // the tool's exit must not cut it short.
    new CountDownLatch(1).await();
    return ExitCodes.OK;
  }
}

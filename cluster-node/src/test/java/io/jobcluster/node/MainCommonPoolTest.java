package io.jobcluster.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MainCommonPoolTest {

  @Test
  void onTwoCoresTheNodeGivesTheCommonPoolFourThreadsBeforeAnythingUsesIt() throws IOException, InterruptedException {
    // The JDK would give it 1 on two cores, and then CompletableFuture starts a thread per async step.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process probe = new ProcessBuilder(java, "-XX:ActiveProcessorCount=2", "-cp", System.getProperty("java.class.path"),
        CommonPoolProbe.class.getName()).redirectErrorStream(true).start();

    String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    probe.waitFor(60, TimeUnit.SECONDS);

    assertEquals(0, probe.exitValue(), output);
    assertEquals("4", output.lines().reduce((first, last) -> last).orElse(""), output);
  }
}

package io.jobcluster.multijvm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir
  Path dir;

  @Test
  void returnsTheLastLinesOfALogLongerThanOneReadBlock() throws IOException {
    Path log = dir.resolve("long.log");
    Files.write(log, IntStream.range(0, 10_000).mapToObj(i -> "line " + i).toList());

    assertEquals(List.of("line 9997", "line 9998", "line 9999"), LogTail.lastLines(log, 3));
  }

  @Test
  void returnsEveryLineOfAShortLog() throws IOException {
    Path log = dir.resolve("short.log");
    Files.writeString(log, "one\ntwo");

    assertEquals(List.of("one", "two"), LogTail.lastLines(log, 10));
  }

  @Test
  void returnsNothingForALogNotWrittenYet() {
    assertEquals(List.of(), LogTail.lastLines(dir.resolve("missing.log"), 10));
  }
}

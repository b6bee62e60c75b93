package io.jobcluster.bench.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of another JVM: a full collection ({@code jcmd <pid> GC.run}), then the heap's used
 * bytes ({@code jcmd <pid> GC.heap_info}), which after a full collection is what the objects still
 * reachable take.
 */
public final class HeapProbe {
  // "garbage-first heap   total 1048576K, used 2885K [...": one such line per heap space; Metaspace lines read "used" first.
  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private HeapProbe() {}

  /** Bytes used after a full collection. */
  public static long liveBytes(long pid) {
    jcmd(pid, "GC.run");
    return usedBytes(jcmd(pid, "GC.heap_info"));
  }

  /** The sum of the heap spaces' used sizes in a {@code GC.heap_info} answer. */
  static long usedBytes(String heapInfo) {
    Matcher matcher = USED.matcher(heapInfo);
    long kilobytes = 0;
    boolean found = false;
    while (matcher.find()) {
      kilobytes += Long.parseLong(matcher.group(1));
      found = true;
    }
    if (!found) {
      throw new IllegalArgumentException("no heap usage in GC.heap_info's answer: " + heapInfo);
    }
    return kilobytes * 1024;
  }

  private static String jcmd(long pid, String command) {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    try {
      Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + command + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + jcmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running jcmd", e);
    }
  }
}

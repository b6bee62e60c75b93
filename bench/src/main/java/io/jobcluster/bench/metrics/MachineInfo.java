package io.jobcluster.bench.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the report says about the machine: cores, CPU, memory, OS, Java, load. Linux's /proc where it is there. */
public final class MachineInfo {
  private MachineInfo() {}

  public static Map<String, String> describe() {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("cores (nproc)", Integer.toString(Runtime.getRuntime().availableProcessors()));
    machine.put("CPU", firstValue(read("/proc/cpuinfo"), "model name").orElse("unknown"));
    machine.put("memory", firstValue(read("/proc/meminfo"), "MemTotal").map(MachineInfo::gibibytes).orElse("unknown"));
    machine.put("OS", firstValue(read("/etc/os-release"), "PRETTY_NAME").map(v -> v.replace("\"", "")).orElse(System.getProperty("os.name"))
        + ", kernel " + System.getProperty("os.version"));
    machine.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    return machine;
  }

  /** The 1-minute load average, as {@code /proc/loadavg} has it ("0.52"); "unknown" elsewhere. */
  public static String loadAverage() {
    List<String> lines = read("/proc/loadavg");
    return lines.isEmpty() ? "unknown" : lines.get(0).split("\\s+")[0];
  }

  /** The value of the first "key: value" or "key=value" line with that key. */
  static Optional<String> firstValue(List<String> lines, String key) {
    for (String line : lines) {
      int separator = line.indexOf(':') >= 0 ? line.indexOf(':') : line.indexOf('=');
      if (separator > 0 && line.substring(0, separator).trim().equals(key)) {
        return Optional.of(line.substring(separator + 1).trim());
      }
    }
    return Optional.empty();
  }

  /** "24682748 kB" as "23.5 GiB". */
  static String gibibytes(String meminfo) {
    long kilobytes = Long.parseLong(meminfo.replaceAll("[^0-9]", ""));
    return String.format(java.util.Locale.ROOT, "%.1f GiB", kilobytes / 1024.0 / 1024.0);
  }

  private static List<String> read(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      return List.of();
    }
  }
}

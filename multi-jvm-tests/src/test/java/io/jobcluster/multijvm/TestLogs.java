package io.jobcluster.multijvm;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Where node logs go: a folder per cluster under {@value #PROPERTY}, set by the module's pom. */
public final class TestLogs {
  public static final String PROPERTY = "jobcluster.test.logs";
  private static final Set<String> used = new HashSet<>();

  private TestLogs() {}

  /** A folder for one cluster's logs; a name used before in this JVM gets a numbered suffix. */
  public static synchronized Path directory(String name) {
    Path root = Path.of(System.getProperty(PROPERTY, "target/node-logs")).toAbsolutePath();
    String unique = name;
    for (int i = 2; !used.add(unique); i++) {
      unique = name + "-" + i;
    }
    return root.resolve(unique);
  }
}

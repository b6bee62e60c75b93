package io.jobcluster.multijvm;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a node process runs: JVM options plus either the node's shaded jar or, for the harness
 * self-tests, a main class from the test classpath.
 */
public record NodeCommand(List<String> jvmOptions, List<String> target) {
  public static final String NODE_JAR_PROPERTY = "jobcluster.node.jar";

  /** Several node JVMs share two cores in CI: small heaps and the serial collector. */
  public static final List<String> TEST_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

  public NodeCommand {
    jvmOptions = List.copyOf(jvmOptions);
    target = List.copyOf(target);
  }

  /** The node jar that the build passes in as {@value #NODE_JAR_PROPERTY}; fails clearly when absent. */
  public static NodeCommand nodeJar() {
    return nodeJar(TEST_JVM_OPTIONS);
  }

  /** The node jar with JVM options of the caller's choosing in place of {@link #TEST_JVM_OPTIONS} (the benchmark's heap). */
  public static NodeCommand nodeJar(List<String> jvmOptions) {
    String configured = System.getProperty(NODE_JAR_PROPERTY, "../cluster-node/target/jobcluster-node.jar");
    Path jar = Path.of(configured).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("node jar not found at " + jar
          + ": run mvn package first; the jar is built by the cluster-node module");
    }
    return new NodeCommand(jvmOptions, List.of("-jar", jar.toString()));
  }

  /** Runs a main class from the directory or jar it was loaded from (harness self-tests). */
  public static NodeCommand mainClass(Class<?> main) {
    try {
      Path location = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
      return new NodeCommand(TEST_JVM_OPTIONS, List.of("-cp", location.toString(), main.getName()));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot locate the classes of " + main.getName(), e);
    }
  }

  /** Adds JVM options, for example {@code -Dpekko.cluster...} overrides for one test. */
  public NodeCommand withJvmOptions(String... options) {
    List<String> all = new ArrayList<>(jvmOptions);
    all.addAll(List.of(options));
    return new NodeCommand(all, target);
  }

  List<String> commandLine() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return Stream.of(List.of(java), jvmOptions, target).flatMap(List::stream).toList();
  }
}

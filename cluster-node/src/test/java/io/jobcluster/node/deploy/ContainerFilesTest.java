package io.jobcluster.node.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import io.jobcluster.node.http.ManagementRoutes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Dockerfile and the compose file, checked without a container engine (none runs on the
 * machines this project is built on): they parse, every JOBCLUSTER_ variable they set is one the
 * node reads, every port they expose, publish or probe is one the node listens on, and the health
 * checks ask the management port's readiness path.
 */
class ContainerFilesTest {
  private static final Path DOCKERFILE = DeployFiles.DEPLOY.resolve("docker/Dockerfile");
  private static final Path COMPOSE = DeployFiles.DEPLOY.resolve("compose/compose.yaml");
  private static final Pattern VARIABLE = Pattern.compile("(JOBCLUSTER_[A-Z0-9_]+)=");

  /** One instruction of a Dockerfile: its keyword and its arguments (continuation lines joined). */
  record Instruction(String keyword, String arguments) {}

  static List<Instruction> instructions(String dockerfile) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : dockerfile.split("\n")) {
      String trimmed = line.trim();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString();
      current.setLength(0);
      String[] parts = text.split("\\s+", 2);
      assertTrue(parts[0].matches("[A-Z]+"), "not an instruction: " + text);
      instructions.add(new Instruction(parts[0], parts.length > 1 ? parts[1] : ""));
    }
    assertTrue(current.isEmpty(), "a continuation line ends the file");
    return instructions;
  }

  private static List<String> arguments(List<Instruction> instructions, String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
  }

  @Test
  void theDockerfileBuildsTheNodeJarAndRunsItAsANonRootUserWithAHealthCheckOnReadiness() {
    List<Instruction> instructions = instructions(DeployFiles.read(DOCKERFILE));
    Set<String> known = Set.of("FROM", "WORKDIR", "COPY", "RUN", "ENV", "USER", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT", "ARG", "LABEL", "CMD");
    instructions.forEach(i -> assertTrue(known.contains(i.keyword()), i.toString()));
    List<String> from = arguments(instructions, "FROM");
    assertEquals(2, from.size(), "multi-stage: build, then runtime");
    assertTrue(from.get(0).matches("maven:\\S*temurin-17 AS build"), from.get(0));
    assertEquals("eclipse-temurin:17-jre", from.get(1));
    assertTrue(arguments(instructions, "RUN").get(0).contains("mvn -B -q -pl cluster-node -am package -DskipTests"));
    String jar = "/opt/jobcluster/jobcluster-node.jar";
    assertTrue(arguments(instructions, "COPY").contains("--from=build /src/cluster-node/target/jobcluster-node.jar " + jar),
        "the shade plugin's output file, into the runtime image");
    assertEquals("[\"java\", \"-jar\", \"" + jar + "\"]", arguments(instructions, "ENTRYPOINT").get(0));

    String user = arguments(instructions, "USER").get(0);
    assertFalse(user.startsWith("0") || user.startsWith("root"), user);
    assertTrue(arguments(instructions, "RUN").get(1).contains("useradd --system --uid " + user.split(":")[0]));

    String env = String.join(" ", arguments(instructions, "ENV"));
    assertTrue(env.contains("-XX:MaxRAMPercentage=") && env.contains("-XX:+ExitOnOutOfMemoryError"), env);
    Matcher variables = VARIABLE.matcher(env);
    Set<String> set = new HashSet<>();
    while (variables.find()) {
      set.add(variables.group(1));
    }
    assertFalse(set.isEmpty());
    assertTrue(DeployFiles.nodeVariables().containsAll(set), set + " not all read by the node");
    assertFalse(env.contains("INSECURE"), "the image never turns the TLS refusal off");

    Set<Integer> exposed = new HashSet<>();
    for (String port : arguments(instructions, "EXPOSE").get(0).split("\\s+")) {
      exposed.add(Integer.parseInt(port));
    }
    assertEquals(DeployFiles.nodePorts(), exposed);
    assertTrue(env.contains("JOBCLUSTER_MANAGEMENT_PORT=" + DeployFiles.defaults().getInt("management.port")));
    assertTrue(env.contains("JOBCLUSTER_HTTP_PORT=" + DeployFiles.defaults().getInt("http.port")));

    String healthcheck = arguments(instructions, "HEALTHCHECK").get(0);
    assertTrue(healthcheck.contains("CMD curl -fsS -o /dev/null http://127.0.0.1:" + DeployFiles.defaults().getInt("management.port")
        + ManagementRoutes.READY), healthcheck);
    assertTrue(arguments(instructions, "RUN").get(1).contains("install -y --no-install-recommends curl"), "the health check's tool");
  }

  @Test
  @SuppressWarnings("unchecked")
  void theComposeFileRunsPostgresAndThreeNodesSeededByNodeZeroWithTlsAndHealthChecks() {
    Map<String, Object> compose = new Yaml().load(DeployFiles.read(COMPOSE));
    Map<String, Object> services = (Map<String, Object>) compose.get("services");
    assertEquals(Set.of("postgres", "node-0", "node-1", "node-2"), services.keySet());
    Config defaults = DeployFiles.defaults();
    Map<String, Object> secrets = (Map<String, Object>) compose.get("secrets");
    for (String name : List.of("node-0", "node-1", "node-2")) {
      Map<String, Object> node = (Map<String, Object>) services.get(name);
      Map<String, Object> env = (Map<String, Object>) node.get("environment");
      assertTrue(DeployFiles.nodeVariables().containsAll(env.keySet()), name + ": " + env.keySet());
      env.forEach((key, value) -> assertFalse(key.endsWith("_INSECURE"), name + " runs with TLS"));
      assertEquals(name, env.get("JOBCLUSTER_CLUSTER_HOST"));
      assertEquals("node-0:" + defaults.getInt("cluster.port"), env.get("JOBCLUSTER_SEED_NODES"));
      for (String store : List.of("JOBCLUSTER_CLUSTER_TLS_KEY_STORE", "JOBCLUSTER_HTTP_TLS_KEY_STORE")) {
        assertEquals("/etc/jobcluster/tls/" + name + ".p12", env.get(store), name + " " + store);
      }
      assertTrue(((List<String>) node.get("volumes")).contains("./certs:/etc/jobcluster/tls:ro"));
      ((List<String>) node.get("secrets")).forEach(secret -> assertTrue(secrets.containsKey(secret), secret));
      String entrypoint = String.join(" ", (List<String>) node.get("entrypoint"));
      ((List<String>) node.get("secrets")).forEach(secret -> assertTrue(entrypoint.contains("/run/secrets/" + secret), secret));
      assertTrue(entrypoint.contains("exec java -jar /opt/jobcluster/jobcluster-node.jar"), "the JVM gets the signals");

      for (String mapping : (List<String>) node.get("ports")) {
        String[] parts = mapping.split(":");
        int containerPort = Integer.parseInt(parts[parts.length - 1]);
        assertTrue(DeployFiles.nodePorts().contains(containerPort), mapping);
        if (containerPort == defaults.getInt("management.port")) {
          assertEquals("127.0.0.1", parts[0], "the keyless management port only on the host's loopback");
        }
      }
      Map<String, Object> healthcheck = (Map<String, Object>) node.get("healthcheck");
      assertTrue(((List<String>) healthcheck.get("test")).contains("http://127.0.0.1:" + defaults.getInt("management.port") + ManagementRoutes.READY));
      Map<String, Object> dependsOn = (Map<String, Object>) node.get("depends_on");
      assertEquals("service_healthy", ((Map<String, Object>) dependsOn.get("postgres")).get("condition"));
      if (!name.equals("node-0")) {
        assertEquals("service_healthy", ((Map<String, Object>) dependsOn.get("node-0")).get("condition"), name + " joins a ready seed");
      }
    }
    Map<String, Object> postgres = (Map<String, Object>) services.get("postgres");
    assertNotNull(postgres.get("healthcheck"));
    Map<String, Object> nodeEnv = (Map<String, Object>) ((Map<String, Object>) services.get("node-0")).get("environment");
    Map<String, Object> postgresEnv = (Map<String, Object>) postgres.get("environment");
    assertTrue(((String) nodeEnv.get("JOBCLUSTER_DB_URL")).endsWith("//postgres:5432/" + postgresEnv.get("POSTGRES_DB")));
    assertEquals(postgresEnv.get("POSTGRES_USER"), nodeEnv.get("JOBCLUSTER_DB_USER"));
  }
}

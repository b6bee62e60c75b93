package io.jobcluster.node.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The files under deploy/ as the tests read them: YAML documents, and what the node's configuration offers them. */
public final class DeployFiles {
  public static final Path DEPLOY = Path.of("../deploy");
  public static final Path DEPLOYMENT = DEPLOY.resolve("k8s/base/deployment.yaml");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ENV_OVERRIDE = Pattern.compile("\\$\\{\\?(JOBCLUSTER_[A-Z0-9_]+)}");

  private DeployFiles() {}

  /** Every document of a YAML file (empty documents dropped). */
  public static List<ObjectNode> documents(Path file) {
    try (YAMLParser parser = new YAMLFactory().createParser(file.toFile())) {
      List<ObjectNode> documents = new ArrayList<>();
      for (var it = YAML.readValues(parser, ObjectNode.class); it.hasNext(); ) {
        ObjectNode document = it.next();
        if (document != null && !document.isEmpty()) {
          documents.add(document);
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  /** The one document of a YAML file. */
  public static ObjectNode document(Path file) {
    List<ObjectNode> documents = documents(file);
    if (documents.size() != 1) {
      throw new IllegalStateException(file + " holds " + documents.size() + " documents");
    }
    return documents.get(0);
  }

  /** The node container's environment in the base Deployment: name to its node (value or valueFrom). */
  public static Map<String, JsonNode> deploymentEnv() {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    for (JsonNode variable : nodeContainer(document(DEPLOYMENT)).path("env")) {
      env.put(variable.get("name").asText(), variable);
    }
    return env;
  }

  public static JsonNode nodeContainer(JsonNode deployment) {
    for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
      if (container.path("name").asText().equals("node")) {
        return container;
      }
    }
    throw new IllegalStateException("no container named node");
  }

  /** Every environment variable the node reads: the {@code ${?JOBCLUSTER_...}} overrides of its configuration files. */
  public static Set<String> nodeVariables() {
    Set<String> names = new TreeSet<>();
    for (String resource : List.of("application.conf", "kubernetes.conf")) {
      try (var in = DeployFiles.class.getClassLoader().getResourceAsStream(resource)) {
        Matcher matcher = ENV_OVERRIDE.matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        while (matcher.find()) {
          names.add(matcher.group(1));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(resource, e);
      }
    }
    return names;
  }

  /** The node's defaults: {@code jobcluster { }} of application.conf, resolved without any environment override. */
  public static Config defaults() {
    return ConfigFactory.parseResourcesAnySyntax("application").resolve(
        com.typesafe.config.ConfigResolveOptions.defaults().setUseSystemEnvironment(false)).getConfig("jobcluster");
  }

  /** The ports the node listens on by default: API, management, cluster, Pekko Management (bootstrap). */
  public static Set<Integer> nodePorts() {
    Config defaults = defaults();
    return Set.of(defaults.getInt("http.port"), defaults.getInt("management.port"), defaults.getInt("cluster.port"),
        defaults.getInt("cluster.bootstrap.management-port"));
  }

  /** A YAML text (such as a ConfigMap's embedded file). */
  public static JsonNode yaml(String text) throws IOException {
    return YAML.readTree(text);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file.toString(), e);
    }
  }

  static <T> T convert(JsonNode node, Class<T> type) {
    return YAML.convertValue(node, type);
  }

  static Map<String, Object> map(JsonNode node) {
    return YAML.convertValue(node, new TypeReference<>() {});
  }
}

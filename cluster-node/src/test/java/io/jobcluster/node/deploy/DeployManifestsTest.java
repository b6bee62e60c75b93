package io.jobcluster.node.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.jobcluster.node.http.ManagementRoutes;
import io.jobcluster.node.worker.WorkerPools;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s checked as Kubernetes would read it: every manifest deserialized into the typed objects
 * of the fabric8 Kubernetes model, with no field the model does not know (a misspelt key lands in
 * additionalProperties), and cross-checked: selectors, named ports, Secret keys, probe paths,
 * environment variables the node reads, RBAC, and the termination grace against the drain. The example
 * overlay is rendered with {@code kubectl kustomize} when kubectl is installed (and its output checked
 * the same way); without it, every file its kustomizations name must exist and the overlay's
 * patch must name a container and variables the base has.
 */
class DeployManifestsTest {
  private static final Path K8S = DeployFiles.DEPLOY.resolve("k8s");
  private static final Map<String, Class<?>> KINDS = Map.of(
      "ServiceAccount", ServiceAccount.class, "Role", Role.class, "RoleBinding", RoleBinding.class, "Deployment", Deployment.class,
      "Service", Service.class, "PodDisruptionBudget", PodDisruptionBudget.class, "Namespace", Namespace.class, "Secret", Secret.class,
      "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

  @Test
  void everyManifestIsAKnownKindWithOnlyKnownFields() throws Exception {
    List<Path> manifests = manifests();
    assertTrue(manifests.size() >= 10, manifests.toString());
    for (Path file : manifests) {
      for (ObjectNode document : DeployFiles.documents(file)) {
        typed(document, file.toString());
      }
    }
  }

  @Test
  void theBaseFitsTogetherAndFitsTheNode() {
    List<Object> objects = new ArrayList<>();
    for (String name : List.of("serviceaccount", "role", "rolebinding", "deployment", "service", "service-management", "poddisruptionbudget")) {
      objects.add(typed(DeployFiles.document(K8S.resolve("base/" + name + ".yaml")), name));
    }
    objects.addAll(DeployFiles.documents(K8S.resolve("overlays/example/secrets.example.yaml")).stream().map(d -> typed(d, "secrets")).toList());
    checkTogether(objects);
  }

  @Test
  void theExampleOverlayRendersAndStillFits() throws Exception {
    for (Path kustomization : List.of(K8S.resolve("base/kustomization.yaml"), K8S.resolve("overlays/example/kustomization.yaml"))) {
      JsonNode k = DeployFiles.document(kustomization);
      List<String> named = new ArrayList<>();
      k.path("resources").forEach(r -> named.add(r.asText()));
      k.path("patches").forEach(p -> named.add(p.get("path").asText()));
      for (String entry : named) {
        assertTrue(Files.exists(kustomization.getParent().resolve(entry)), kustomization + " names " + entry);
      }
    }
    // The patch merges into the base's container by name, with variables the node reads.
    JsonNode patch = DeployFiles.document(K8S.resolve("overlays/example/resources.yaml"));
    Container patched = DeployFiles.convert(DeployFiles.nodeContainer(patch), Container.class);
    assertEquals("jobcluster", patch.get("metadata").get("name").asText());
    patched.getEnv().forEach(env -> assertTrue(DeployFiles.deploymentEnv().containsKey(env.getName()), env.getName()));

    Path kubectl = Stream.of("/usr/bin/kubectl", "/usr/local/bin/kubectl").map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
    if (kubectl == null) {
      System.err.println("DeployManifestsTest: kubectl is not installed; the overlay was checked file by file, not rendered");
      return;
    }
    Process render = new ProcessBuilder(kubectl.toString(), "kustomize", K8S.resolve("overlays/example").toString()).redirectErrorStream(true).start();
    String rendered = new String(render.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(render.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, render.exitValue(), rendered);
    Path out = Files.createTempFile("jobcluster-overlay", ".yaml");
    try {
      Files.writeString(out, rendered);
      List<Object> objects = DeployFiles.documents(out).stream().map(d -> typed(d, "rendered overlay")).toList();
      checkTogether(objects);
      Deployment deployment = only(objects, Deployment.class);
      assertEquals("jobcluster", deployment.getMetadata().getNamespace());
      assertEquals(3, deployment.getSpec().getReplicas());
      Container node = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertEquals("registry.example.com/jobcluster/jobcluster-node:0.1.0", node.getImage());
      assertEquals("2Gi", node.getResources().getLimits().get("memory").toString());
      assertEquals("default:16", env(node, "JOBCLUSTER_WORKER_QUEUES").getValue());
      assertEquals(1, node.getEnv().stream().filter(e -> e.getName().equals("JOBCLUSTER_WORKER_QUEUES")).count());
      objects.forEach(o -> assertTrue(o instanceof Namespace || "jobcluster".equals(metadata(o).getNamespace()), o.toString()));
    } finally {
      Files.delete(out);
    }
  }

  @Test
  void theAutoscalerScalesTheNodeDeployment() {
    HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) typed(DeployFiles.document(K8S.resolve("autoscaling/hpa.yaml")), "hpa");
    assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
    assertEquals("jobcluster", hpa.getSpec().getScaleTargetRef().getName());
    assertTrue(hpa.getSpec().getMinReplicas() >= 3, "a keep-majority cluster keeps three nodes");
    assertTrue(hpa.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds() >= 60);
    JsonNode keda = DeployFiles.document(K8S.resolve("autoscaling/keda-scaledobject.yaml"));
    assertEquals("jobcluster", keda.get("spec").get("scaleTargetRef").get("name").asText());
    keda.get("spec").get("triggers").forEach(t -> assertEquals("prometheus", t.get("type").asText()));
  }

  private static void checkTogether(List<Object> objects) {
    Deployment deployment = only(objects, Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(podLabels.entrySet().containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet()));
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container node = pod.getContainers().get(0);
    Map<String, Integer> ports = node.getPorts().stream().collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort()));
    assertEquals(DeployFiles.nodePorts(), Set.copyOf(ports.values()), "the container's ports are the node's");
    assertEquals(DeployFiles.defaults().getInt("management.port"), ports.get("management"));
    assertEquals(DeployFiles.defaults().getInt("http.port"), ports.get("http"));

    for (Service service : all(objects, Service.class)) {
      assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()), service.getMetadata().getName());
      service.getSpec().getPorts().forEach(p -> assertTrue(ports.containsKey(p.getTargetPort().getStrVal()), p.toString()));
    }
    PodDisruptionBudget pdb = only(objects, PodDisruptionBudget.class);
    assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()));
    assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());

    // Probes on the management port's real paths; the preStop hook starts the drain there.
    checkProbe(node.getReadinessProbe(), ManagementRoutes.READY);
    checkProbe(node.getLivenessProbe(), ManagementRoutes.LIVE);
    checkProbe(node.getStartupProbe(), ManagementRoutes.LIVE);
    List<String> preStop = node.getLifecycle().getPreStop().getExec().getCommand();
    assertTrue(preStop.contains("http://127.0.0.1:" + ports.get("management") + ManagementRoutes.DRAIN + "?wait=true"), preStop.toString());
    assertTrue(preStop.containsAll(List.of("curl", "-X", "POST")), preStop.toString());
    int curlLimit = Integer.parseInt(preStop.get(preStop.indexOf("--max-time") + 1));
    Duration drainPhase = WorkerPools.Settings.from(DeployFiles.defaults().getConfig("worker")).drainPhase();
    assertTrue(curlLimit >= drainPhase.toSeconds(), "the hook waits for the whole drain");
    assertTrue(pod.getTerminationGracePeriodSeconds() > curlLimit + drainPhase.toSeconds(),
        "the grace outlasts the preStop drain and a shutdown drain after it");

    // Every variable is one the node reads; Secrets and their keys exist.
    Map<String, Secret> secrets = all(objects, Secret.class).stream().collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));
    for (EnvVar env : node.getEnv()) {
      assertTrue(DeployFiles.nodeVariables().contains(env.getName()), env.getName() + " is not a variable the node reads");
      if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
        Secret secret = secrets.get(env.getValueFrom().getSecretKeyRef().getName());
        assertNotNull(secret, env.getName());
        assertTrue(secret.getStringData().containsKey(env.getValueFrom().getSecretKeyRef().getKey()), env.getName());
      }
    }
    assertEquals("kubernetes-api", env(node, "JOBCLUSTER_CLUSTER_BOOTSTRAP").getValue());
    String selector = env(node, "JOBCLUSTER_BOOTSTRAP_POD_LABEL_SELECTOR").getValue()
        .replace("%s", env(node, "JOBCLUSTER_BOOTSTRAP_SERVICE_NAME").getValue());
    assertEquals(selector.split("=")[1], podLabels.get(selector.split("=")[0]), "bootstrap discovers this Deployment's pods");
    Secret tls = secrets.get(pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst().orElseThrow().getSecret().getSecretName());
    for (EnvVar env : node.getEnv()) {
      if (env.getValue() != null && env.getValue().startsWith("/etc/jobcluster/tls/")) {
        assertTrue(tls.getStringData().containsKey(env.getValue().substring("/etc/jobcluster/tls/".length())), env.getName());
      }
    }

    // RBAC: the pod's service account may read pods, as Kubernetes API discovery does.
    ServiceAccount account = only(objects, ServiceAccount.class);
    assertEquals(account.getMetadata().getName(), pod.getServiceAccountName());
    RoleBinding binding = only(objects, RoleBinding.class);
    Role role = only(objects, Role.class);
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    assertEquals(account.getMetadata().getName(), binding.getSubjects().get(0).getName());
    assertTrue(role.getRules().get(0).getResources().contains("pods"));
    assertTrue(role.getRules().get(0).getVerbs().containsAll(List.of("get", "watch", "list")));

    // Locked down: not root, no privilege escalation, read-only root file system, no capabilities.
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertTrue(node.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(node.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), node.getSecurityContext().getCapabilities().getDrop());
    assertTrue(node.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/tmp")), "the JVM's temporary files");
    assertFalse(node.getResources().getRequests().isEmpty());
    assertTrue(node.getResources().getLimits().containsKey("memory"));
  }

  private static void checkProbe(Probe probe, String path) {
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals("management", probe.getHttpGet().getPort().getStrVal());
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
  }

  private static List<Path> manifests() throws Exception {
    try (Stream<Path> files = Files.walk(K8S)) {
      return files.filter(f -> f.toString().endsWith(".yaml"))
          .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
          .filter(f -> !f.endsWith(Path.of("overlays/example/resources.yaml")))
          .filter(f -> !DeployFiles.documents(f).get(0).get("apiVersion").asText().startsWith("keda.sh/"))
          .sorted().toList();
    }
  }

  /** The manifest as its typed model object; fails on an unknown kind or on any field the model does not know. */
  static Object typed(ObjectNode document, String where) {
    String kind = document.path("kind").asText();
    Class<?> type = KINDS.get(kind);
    if (type == null && kind.equals("ConfigMap")) {
      type = io.fabric8.kubernetes.api.model.ConfigMap.class;
    }
    assertNotNull(type, where + ": a kind this test does not know: " + kind);
    Object object = DeployFiles.convert(document, type);
    List<String> unknown = new ArrayList<>();
    unknownFields(object, kind, unknown, new IdentityHashMap<>());
    assertEquals(List.of(), unknown, where + ": fields Kubernetes does not know");
    return object;
  }

  private static void unknownFields(Object object, String path, List<String> unknown, Map<Object, Boolean> seen) {
    if (object == null || seen.put(object, true) != null) {
      return;
    }
    if (object instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (object instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown, seen));
      return;
    }
    if (!object.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method getter : object.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
          || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      try {
        Object value = getter.invoke(object);
        if (getter.getName().equals("getAdditionalProperties")) {
          ((Map<?, ?>) value).keySet().forEach(key -> unknown.add(path + "." + key));
        } else {
          unknownFields(value, path + "." + getter.getName().substring(3), unknown, seen);
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(getter.toString(), e);
      }
    }
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta metadata(Object object) {
    return ((io.fabric8.kubernetes.api.model.HasMetadata) object).getMetadata();
  }

  private static <T> List<T> all(List<Object> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T> T only(List<Object> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertEquals(1, found.size(), type.getSimpleName());
    return found.get(0);
  }
}

package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.Manifests;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * /metrics has a port of its own, and only Prometheus may reach it: in both installs the probes
 * and /metrics are on different container ports, the settings say the same ports, the metrics
 * Service leads only to the metrics port, and the NetworkPolicy lets anyone reach the probe port
 * (the kubelet's probes come from the node) but the metrics port only from namespaces carrying
 * {@value #SCRAPER_LABEL}=true. The policy is evaluated, not pattern-matched: a rule that admits
 * the metrics port more widely, however it is written, fails.
 */
class MetricsPortManifestsTest {

  /** The namespace label the NetworkPolicy admits to the metrics port. */
  static final String SCRAPER_LABEL = "bucketprotection.io/metrics-scraper";

  private record Install(Deployment deployment, Container container, List<HasMetadata> objects) {

    String namespace() {
      return deployment.getMetadata().getNamespace();
    }

    /** A container port by number or name, as a NetworkPolicy or a Service names it. */
    int resolve(IntOrString port) {
      if (port.getIntVal() != null) {
        return port.getIntVal();
      }
      return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
          .map(ContainerPort::getContainerPort).findFirst().orElse(-1);
    }

    int probePort() {
      return resolve(container.getLivenessProbe().getHttpGet().getPort());
    }

    String env(String name) {
      return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst()
          .orElse(null);
    }
  }

  private static final KubernetesClient CLIENT = new KubernetesClientBuilder().build();
  /** kubectl kustomize's output per directory: each test reads its own objects from it. */
  private static final Path MONITORING = Path.of("../deploy/monitoring");
  private static final Map<String, String> RENDERED = new java.util.concurrent.ConcurrentHashMap<>();

  @AfterAll
  static void closeTheClient() {
    CLIENT.close();
  }

  private static Install render(String dir) throws Exception {
    String yaml = RENDERED.get(dir);
    if (yaml == null) {
      yaml = Manifests.kustomize(Path.of(dir));
      RENDERED.put(dir, yaml);
    }
    List<HasMetadata> objects = Manifests.typed(CLIENT, yaml);
    Deployment deployment = objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
        .findFirst().orElseThrow();
    return new Install(deployment, deployment.getSpec().getTemplate().getSpec().getContainers().get(0), objects);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../deploy", "../deploy/namespaced"})
  void probesAndMetricsAreServedOnDifferentPorts(String dir) throws Exception {
    Install install = render(dir);
    Container c = install.container();
    ContainerPort metrics = c.getPorts().stream().filter(p -> "metrics".equals(p.getName())).findFirst().orElse(null);
    assertNotNull(metrics, dir + ": a container port named metrics");
    int probes = install.probePort();
    assertNotEquals(probes, metrics.getContainerPort(), dir + ": the probes and /metrics share a port");
    assertEquals(probes, install.resolve(c.getReadinessProbe().getHttpGet().getPort()));
    assertEquals(probes, install.resolve(c.getStartupProbe().getHttpGet().getPort()));
    // The operator is told the ports the manifest opens.
    assertEquals(String.valueOf(probes), install.env("BPO_HTTP_PORT"), dir);
    assertEquals(String.valueOf(metrics.getContainerPort()), install.env("BPO_METRICS_PORT"), dir);
    // The metrics Service leads to /metrics and nowhere else.
    Service service = install.objects().stream().filter(Service.class::isInstance).map(Service.class::cast)
        .filter(s -> s.getMetadata().getName().equals("bucket-protection-operator-metrics")).findFirst().orElseThrow();
    assertEquals(List.of(metrics.getContainerPort()),
        service.getSpec().getPorts().stream().map(p -> install.resolve(p.getTargetPort())).toList(), dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"../deploy", "../deploy/namespaced"})
  void theNetworkPolicyAdmitsTheMetricsPortOnlyFromLabelledNamespaces(String dir) throws Exception {
    Install install = render(dir);
    int probes = install.probePort();
    int metrics = install.resolve(new IntOrString("metrics"));
    Map<String, String> ownLabels = install.objects().stream().filter(Namespace.class::isInstance)
        .map(HasMetadata::getMetadata).filter(m -> m.getName().equals(install.namespace())).findFirst()
        .map(m -> m.getLabels() == null ? Map.<String, String>of() : m.getLabels()).orElse(Map.of());

    // The kubelet (and anyone else) reaches the probes; what holds them up is SlowClientsTest's.
    assertTrue(admits(install, probes, "tenant-a", Map.of()), dir + ": probe port from an unlabelled namespace");
    assertTrue(admits(install, metrics, "monitoring", Map.of(SCRAPER_LABEL, "true")), dir + ": metrics from a labelled namespace");
    assertFalse(admits(install, metrics, "tenant-a", Map.of()), dir + ": metrics from an unlabelled namespace");
    assertFalse(admits(install, metrics, "tenant-b", Map.of(SCRAPER_LABEL, "false")), dir + ": metrics from " + SCRAPER_LABEL + "=false");
    assertFalse(admits(install, metrics, "monitoring", Map.of("metrics", "enabled")), dir + ": metrics from another label");
    assertFalse(admits(install, metrics, install.namespace(), ownLabels), dir + ": metrics from the operator's own namespace");
    // Nothing else is open.
    assertFalse(admits(install, 9999, "monitoring", Map.of(SCRAPER_LABEL, "true")), dir + ": another port");
  }

  @Test
  void theOperationsPageTellsAdminsTheLabelAndItsPatchChangesIt() throws Exception {
    String page = Files.readString(Path.of("../docs/operations.md"));
    assertTrue(page.contains("kubectl label namespace monitoring " + SCRAPER_LABEL + "=true"),
        "docs/operations.md shows how to label the Prometheus namespace");
    // The page's overlay, rendered against this checkout: its label admits, the shipped one no longer does.
    Matcher block = Pattern.compile("```yaml\n(# kustomization\\.yaml[^\n]*metrics[^\n]*\n.*?)```", Pattern.DOTALL)
        .matcher(page);
    assertTrue(block.find(), "docs/operations.md has a ```yaml block starting '# kustomization.yaml' about the metrics label");
    Path overlay = Files.createDirectories(Path.of("target", "docs-metrics-overlay"));
    String relative = overlay.toAbsolutePath().relativize(Path.of("../deploy").toAbsolutePath().normalize()).toString();
    String kustomization = block.group(1).replaceAll("(?m)^(\\s*- )\\S*deploy\\b\\S*", "$1" + relative);
    assertNotEquals(block.group(1), kustomization, "the overlay names deploy/ as its resource");
    Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);
    Matcher label = Pattern.compile("value:\\s*\n\\s*([\\w./-]+):\\s*\"?([\\w.-]+)\"?").matcher(kustomization);
    assertTrue(label.find(), "the overlay's new label");
    RENDERED.remove(overlay.toString());
    Install patched = render(overlay.toString());
    int metrics = patched.resolve(new IntOrString("metrics"));
    // Named after the label's value too, should the label be kubernetes.io/metadata.name (the namespace's name).
    assertTrue(admits(patched, metrics, label.group(2), Map.of(label.group(1), label.group(2))), kustomization);
    assertFalse(admits(patched, metrics, "prometheus", Map.of(SCRAPER_LABEL, "true")), kustomization);
    assertTrue(admits(patched, patched.probePort(), "tenant-a", Map.of()), "the probes stay open");
    // The monitoring component on top of the relabelled overlay: its objects follow the new label.
    Path monitored = Files.createDirectories(Path.of("target", "docs-metrics-overlay-monitored"));
    Files.writeString(monitored.resolve("kustomization.yaml"), "resources: [../docs-metrics-overlay]\n"
        + "components: [" + monitored.toAbsolutePath().relativize(MONITORING.toAbsolutePath().normalize()) + "]\n");
    RENDERED.remove(monitored.toString());
    assertEquals(Map.of(label.group(1), label.group(2)), scrapeLabels(render(monitored.toString())));
  }

  /** The page's overlay with the monitoring component: the ServiceMonitor and the rule carry the policy's label. */
  @Test
  void theMonitoringObjectsCarryTheLabelTheNetworkPolicyAdmits() throws Exception {
    String page = Files.readString(Path.of("../docs/operations.md"));
    Matcher block = Pattern.compile("```yaml\n(# kustomization\\.yaml: the operator with its ServiceMonitor[^\n]*\n.*?)```",
        Pattern.DOTALL).matcher(page);
    assertTrue(block.find(), "docs/operations.md shows the overlay that adds deploy/monitoring");
    Path overlay = Files.createDirectories(Path.of("target", "docs-monitoring-overlay"));
    String relative = overlay.toAbsolutePath().relativize(Path.of("../deploy").toAbsolutePath().normalize()).toString();
    String kustomization = block.group(1).replaceAll("(?m)^(\\s*- )\\S*/deploy(/monitoring)?\\s*$", "$1" + relative + "$2");
    assertTrue(kustomization.contains("components:") && kustomization.contains(relative + "/monitoring"), kustomization);
    Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);
    RENDERED.remove(overlay.toString());
    Install install = render(overlay.toString());
    assertEquals(Map.of(SCRAPER_LABEL, "true"), scrapeLabels(install));
    assertTrue(admits(install, install.resolve(new IntOrString("metrics")), "monitoring", Map.of(SCRAPER_LABEL, "true")));
  }

  /**
   * The labels the ServiceMonitor and the PrometheusRule carry besides the app name; both must be
   * present and carry the same ones.
   */
  private static Map<String, String> scrapeLabels(Install install) {
    Map<String, Map<String, String>> byKind = new java.util.TreeMap<>();
    for (HasMetadata object : install.objects()) {
      if (object.getApiVersion().startsWith("monitoring.coreos.com/")) {
        Map<String, String> labels = new java.util.TreeMap<>(object.getMetadata().getLabels());
        assertEquals("bucket-protection-operator", labels.remove("app.kubernetes.io/name"), object.getKind());
        byKind.put(object.getKind(), labels);
      }
    }
    assertEquals(java.util.Set.of("PrometheusRule", "ServiceMonitor"), byKind.keySet());
    assertEquals(byKind.get("ServiceMonitor"), byKind.get("PrometheusRule"));
    return byKind.get("ServiceMonitor");
  }

  @Test
  void theServiceMonitorScrapesTheMetricsService() throws Exception {
    Install install = render("../deploy");
    Service service = install.objects().stream().filter(Service.class::isInstance).map(Service.class::cast)
        .filter(s -> s.getMetadata().getName().equals("bucket-protection-operator-metrics")).findFirst().orElseThrow();
    HasMetadata monitor = Manifests.typed(CLIENT, Files.readString(Path.of("../deploy/monitoring/servicemonitor.yaml")))
        .get(0);
    assertEquals("ServiceMonitor", monitor.getKind());
    Map<String, Object> spec = ((GenericKubernetesResource) monitor).get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertTrue(service.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()), selector.toString());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("endpoints");
    List<String> portNames = service.getSpec().getPorts().stream().map(ServicePort::getName).toList();
    assertEquals(portNames, endpoints.stream().map(e -> (String) e.get("port")).toList());
    assertEquals("/metrics", endpoints.get(0).get("path"));
    @SuppressWarnings("unchecked")
    List<String> namespaces = (List<String>) ((Map<String, Object>) spec.get("namespaceSelector")).get("matchNames");
    assertEquals(List.of(install.namespace()), namespaces);
  }

  /** The check itself: a policy that lets every namespace reach the metrics port is caught. */
  @Test
  void aPolicyThatOpensTheMetricsPortToEveryoneIsCaught() throws Exception {
    Install install = render("../deploy");
    NetworkPolicy policy = install.objects().stream().filter(NetworkPolicy.class::isInstance)
        .map(NetworkPolicy.class::cast).findFirst().orElseThrow();
    policy.getSpec().getIngress().add(new NetworkPolicyIngressRule(List.of(new NetworkPolicyPeer(null,
        new LabelSelector(), null)), List.of(new NetworkPolicyPort(null, new IntOrString(install.resolve(
        new IntOrString("metrics"))), "TCP"))));
    assertTrue(admits(install, install.resolve(new IntOrString("metrics")), "tenant-a", Map.of()));
  }

  /**
   * Whether the install's NetworkPolicies let TCP from a pod in namespace {@code from} (with
   * {@code labels}) reach {@code port} of the operator's pods. As Kubernetes decides: no policy
   * selecting the pods means everything is let in; otherwise any rule of any selecting policy.
   * Where the answer would depend on the source pod's labels or IP (a podSelector, an ipBlock),
   * it says yes: a test can only be too strict.
   */
  static boolean admits(Install install, int port, String from, Map<String, String> labels) {
    Map<String, String> podLabels = install.deployment().getSpec().getTemplate().getMetadata().getLabels();
    Map<String, String> namespaceLabels = new HashMap<>(labels);
    namespaceLabels.put("kubernetes.io/metadata.name", from);
    List<NetworkPolicy> selecting = install.objects().stream().filter(NetworkPolicy.class::isInstance)
        .map(NetworkPolicy.class::cast)
        .filter(p -> install.namespace().equals(p.getMetadata().getNamespace()))
        .filter(p -> selects(p.getSpec().getPodSelector(), podLabels))
        .filter(p -> p.getSpec().getPolicyTypes() == null || p.getSpec().getPolicyTypes().isEmpty()
            || p.getSpec().getPolicyTypes().contains("Ingress"))
        .toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy policy : selecting) {
      for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress() == null ? List.<NetworkPolicyIngressRule>of()
          : policy.getSpec().getIngress()) {
        boolean portMatches = rule.getPorts() == null || rule.getPorts().isEmpty() || rule.getPorts().stream()
            .anyMatch(p -> (p.getProtocol() == null || p.getProtocol().equals("TCP"))
                && (p.getPort() == null || (p.getEndPort() == null ? install.resolve(p.getPort()) == port
                    : install.resolve(p.getPort()) <= port && port <= p.getEndPort())));
        boolean peerMatches = rule.getFrom() == null || rule.getFrom().isEmpty() || rule.getFrom().stream().anyMatch(peer ->
            peer.getIpBlock() != null
                || (peer.getNamespaceSelector() == null ? from.equals(install.namespace())
                    : selects(peer.getNamespaceSelector(), namespaceLabels)));
        if (portMatches && peerMatches) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return true;
    }
    boolean matchLabels = selector.getMatchLabels() == null
        || selector.getMatchLabels().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    boolean expressions = selector.getMatchExpressions() == null || selector.getMatchExpressions().stream().allMatch(e ->
        switch (e.getOperator()) {
          case "In" -> e.getValues().contains(labels.get(e.getKey()));
          case "NotIn" -> !e.getValues().contains(labels.get(e.getKey()));
          case "Exists" -> labels.containsKey(e.getKey());
          case "DoesNotExist" -> !labels.containsKey(e.getKey());
          default -> throw new IllegalArgumentException("operator " + e.getOperator());
        });
    return matchLabels && expressions;
  }
}

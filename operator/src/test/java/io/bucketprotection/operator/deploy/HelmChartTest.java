package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.bucketprotection.operator.config.Setting;
import io.bucketprotection.operator.config.Settings;
import io.bucketprotection.operator.testsupport.HelmChart;
import io.bucketprotection.operator.testsupport.Manifests;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Helm chart (deploy/helm/bucket-protection-operator), run through the real helm: it lints
 * strictly, every test values file renders objects fabric8 types with no unknown field, the default
 * and namespaced renders are what kustomize renders from deploy/ and deploy/namespaced/ (but for the
 * differences the chart makes by design, {@link #BY_DESIGN}), the schema refuses bad values with a
 * message, every value and every operator setting is documented, and `helm package` packs it.
 * RbacTest runs the operator against the chart's RBAC.
 */
class HelmChartTest {

  private static final Path ROOT = Path.of("..");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final KubernetesClient CLIENT = new KubernetesClientBuilder().build();

  /**
   * What the chart renders differently from kustomize, on purpose (docs/helm.md says the same):
   * Helm's standard labels on every object and pod (so labels and annotations are not compared), the
   * release's instance label in every selector (two releases never select each other's pods), and
   * no Namespace object (helm install --create-namespace makes it; Helm does not own namespaces).
   */
  static final String BY_DESIGN = "labels, annotations, app.kubernetes.io/instance in selectors, no Namespace";

  /** The settings the chart sets from values of their own, or fixes, each with how (the README says the same). */
  static final Map<String, String> SET_BY_THE_CHART = Map.ofEntries(
      Map.entry("BPO_WATCH_NAMESPACES", "watch.namespaces"),
      Map.entry("BPO_CLUSTER_ACCOUNTS", "watch.namespaces"),
      Map.entry("BPO_LEADER_ELECTION", "always true"),
      Map.entry("BPO_LEADER_ELECTION_NAMESPACE", "the release's namespace (POD_NAMESPACE)"),
      Map.entry("BPO_HTTP_PORT", "8080, the probes' port"),
      Map.entry("BPO_METRICS_PORT", "8081, the port the NetworkPolicy opens to scrapers"),
      Map.entry("POD_NAME", "the pod's name (downward API)"),
      Map.entry("LOG_FORMAT", "logFormat"),
      Map.entry("BPO_ALLOWED_ENDPOINTS", "allowedEndpoints"),
      Map.entry("BPO_CLUSTER_RESOURCE_NAMESPACE", "clusterResourceNamespace"));

  static Stream<String> valuesFiles() throws IOException {
    try (Stream<Path> files = Files.list(HelmChart.TEST_VALUES)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
          .map(n -> n.substring(0, n.length() - ".yaml".length())).sorted().toList().stream();
    }
  }

  private static String pomVersion() throws IOException {
    return Files.readString(ROOT.resolve("pom.xml")).split("<version>")[1].split("</version>")[0];
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yamlFile(Path file) throws IOException {
    return YAML.readValue(file.toFile(), Map.class);
  }

  /** Every document of a multi-document YAML stream, as plain maps (empty documents left out). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static List<Map<String, Object>> documents(String yaml) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (MappingIterator<Map> it = YAML.readerFor(Map.class).readValues(yaml)) {
      while (it.hasNext()) {
        Map doc = it.next();
        if (doc != null && !doc.isEmpty()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  @Test
  void theChartIsTheProjectsVersionAndLintsStrictly() throws Exception {
    Map<String, Object> chart = yamlFile(HelmChart.CHART.resolve("Chart.yaml"));
    assertEquals("v2", chart.get("apiVersion"));
    assertEquals(pomVersion(), chart.get("version"), "Chart.yaml version is the pom's");
    assertEquals(pomVersion(), chart.get("appVersion"), "Chart.yaml appVersion is the pom's");
    HelmChart.Run lint = HelmChart.helm(List.of("lint", "--strict", "deploy/helm/bucket-protection-operator"));
    assertEquals(0, lint.exitCode(), lint.output());
    for (String values : valuesFiles().toList()) {
      HelmChart.Run withValues = HelmChart.helm(List.of("lint", "--strict", "deploy/helm/bucket-protection-operator",
          "--values", "deploy/helm/test-values/" + values + ".yaml"));
      assertEquals(0, withValues.exitCode(), values + ": " + withValues.output());
    }
  }

  @Test
  void theChartsCrdsAreTheTopLevelCrdsByteForByte() throws IOException {
    List<String> top;
    List<String> inChart;
    try (Stream<Path> a = Files.list(ROOT.resolve("crds")); Stream<Path> b = Files.list(HelmChart.CHART.resolve("crds"))) {
      top = a.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")).sorted().toList();
      inChart = b.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertEquals(top, inChart, "deploy/helm/bucket-protection-operator/crds/ holds crds/*.yml (hack/update-crds.sh)");
    for (String name : top) {
      assertArrayEquals(Files.readAllBytes(ROOT.resolve("crds").resolve(name)),
          Files.readAllBytes(HelmChart.CHART.resolve("crds").resolve(name)), name + " differs: run hack/update-crds.sh");
    }
  }

  @ParameterizedTest
  @MethodSource("valuesFiles")
  void everyRenderedObjectIsTypedWithoutUnknownFields(String values) throws Exception {
    List<HasMetadata> objects = Manifests.typed(CLIENT, HelmChart.render(values));
    assertTrue(objects.size() >= 10, values + ": " + objects.size() + " objects");
    for (HasMetadata object : objects) {
      String what = values + ": " + object.getKind() + " " + object.getMetadata().getName();
      if (object.getApiVersion().startsWith("monitoring.coreos.com/")) {
        // The Prometheus Operator's kinds have no typed model in fabric8: only the top level is known.
        assertTrue(object instanceof GenericKubernetesResource, what);
        assertEquals(Set.of("spec"), ((GenericKubernetesResource) object).getAdditionalProperties().keySet(), what);
      } else {
        assertEquals(List.of(), Manifests.unknownFields(object), what);
      }
      // The CRDs are crds/*.yml as they are (Helm installs them untemplated); everything else is labelled.
      if (!"CustomResourceDefinition".equals(object.getKind())) {
        Map<String, String> labels = object.getMetadata().getLabels();
        assertEquals(HelmChart.RELEASE, labels.get("app.kubernetes.io/instance"), what);
        for (String standard : List.of("app.kubernetes.io/name", "app.kubernetes.io/version",
            "app.kubernetes.io/managed-by", "helm.sh/chart")) {
          assertTrue(labels.containsKey(standard), what + " lacks the label " + standard);
        }
      }
    }
  }

  @Test
  void theDefaultValuesRenderWhatDeployInstalls() throws Exception {
    assertEquals(List.of(), differences(comparable(Manifests.kustomize(ROOT.resolve("deploy"))),
        comparable(HelmChart.render("default"))),
        "kubectl kustomize deploy/ (first) and helm template (default values) differ beyond " + BY_DESIGN);
  }

  @Test
  void theNamespacedValuesRenderWhatDeployNamespacedInstalls() throws Exception {
    // deploy/namespaced/ leaves the CRDs to an admin; the chart always carries them in crds/
    // (helm install --skip-crds leaves them out).
    Map<String, Object> chart = comparable(HelmChart.render("namespaced"));
    chart.keySet().removeIf(k -> k.startsWith("CustomResourceDefinition "));
    assertEquals(List.of(), differences(comparable(Manifests.kustomize(ROOT.resolve("deploy/namespaced"))), chart),
        "kubectl kustomize deploy/namespaced/ (first) and helm template (namespaced values) differ beyond " + BY_DESIGN);
  }

  /** The comparison itself: a changed probe, an added env variable or a lost rule is a difference; a label is not. */
  @Test
  @SuppressWarnings("unchecked")
  void aChangedFieldIsADifference() throws Exception {
    String kustomize = Manifests.kustomize(ROOT.resolve("deploy"));
    Map<String, Object> base = comparable(documents(kustomize));
    List<Map<String, Object>> docs = documents(kustomize);
    Map<String, Object> deployment = docs.stream().filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> container = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
        ((Map<String, Object>) deployment.get("spec")).get("template")).get("spec")).get("containers")).get(0);
    ((Map<String, Object>) container.get("livenessProbe")).put("periodSeconds", 11);
    assertEquals(List.of("Deployment bucket-protection-system/bucket-protection-operator: .spec.template.spec"
        + ".containers[0].livenessProbe.periodSeconds: number 10 != number 11"), differences(base, comparable(docs)));
    ((Map<String, Object>) container.get("livenessProbe")).put("periodSeconds", 10);
    ((List<Object>) container.get("env")).add(Map.of("name", "BPO_MFA_PAUSE", "value", "1m"));
    assertEquals(1, differences(base, comparable(docs)).size(), "an env variable");
    ((List<Object>) container.get("env")).remove(((List<Object>) container.get("env")).size() - 1);
    Map<String, Object> role = docs.stream().filter(d -> "ClusterRole".equals(d.get("kind"))
        && "bucket-protection-operator".equals(((Map<?, ?>) d.get("metadata")).get("name"))).findFirst().orElseThrow();
    ((List<Object>) role.get("rules")).remove(0);
    assertEquals(1, differences(base, comparable(docs)).size(), "a rule");
    ((Map<String, Object>) deployment.get("metadata")).put("labels", Map.of("extra", "label"));
    docs.remove(role);
    assertEquals(List.of("ClusterRole null/bucket-protection-operator: only in the first"),
        differences(base, comparable(docs)), "labels differ by design; a missing object does not");
  }

  static Map<String, Object> comparable(String yaml) throws IOException {
    return comparable(documents(yaml));
  }

  /**
   * Objects keyed "Kind namespace/name", without what differs by design ({@link #BY_DESIGN}): every
   * metadata's labels and annotations, the instance label in selectors, and the Namespace.
   */
  static Map<String, Object> comparable(List<Map<String, Object>> documents) {
    Map<String, Object> byName = new TreeMap<>();
    for (Map<String, Object> doc : documents) {
      if ("Namespace".equals(doc.get("kind"))) {
        continue;
      }
      Map<?, ?> metadata = (Map<?, ?>) doc.get("metadata");
      String key = doc.get("kind") + " " + metadata.get("namespace") + "/" + metadata.get("name");
      byName.put(key, withoutLabels(doc, null));
    }
    return byName;
  }

  /** One line per object that differs: its key and the first path where it does. */
  static List<String> differences(Map<String, Object> first, Map<String, Object> second) {
    Set<String> keys = new TreeSet<>(first.keySet());
    keys.addAll(second.keySet());
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      if (!second.containsKey(key)) {
        out.add(key + ": only in the first");
      } else if (!first.containsKey(key)) {
        out.add(key + ": only in the second");
      } else if (!first.get(key).equals(second.get(key))) {
        out.add(key + ": " + firstDifference("", first.get(key), second.get(key)));
      }
    }
    return out;
  }

  private static String firstDifference(String path, Object a, Object b) {
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      Set<String> keys = new TreeSet<>();
      ma.keySet().forEach(k -> keys.add(String.valueOf(k)));
      mb.keySet().forEach(k -> keys.add(String.valueOf(k)));
      for (String k : keys) {
        if (!java.util.Objects.equals(ma.get(k), mb.get(k))) {
          return firstDifference(path + "." + k, ma.get(k), mb.get(k));
        }
      }
    } else if (a instanceof List<?> la && b instanceof List<?> lb && la.size() == lb.size()) {
      for (int i = 0; i < la.size(); i++) {
        if (!java.util.Objects.equals(la.get(i), lb.get(i))) {
          return firstDifference(path + "[" + i + "]", la.get(i), lb.get(i));
        }
      }
    }
    return path + ": " + a + " != " + b;
  }

  private static Object withoutLabels(Object node, String key) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> copy = new TreeMap<>();
      map.forEach((k, v) -> {
        String name = String.valueOf(k);
        boolean metadataLabels = "metadata".equals(key) && (name.equals("labels") || name.equals("annotations"));
        // matchLabels: a Deployment's, PDB's, NetworkPolicy's; selector: a Service's.
        boolean instance = ("matchLabels".equals(key) || "selector".equals(key)) && name.equals("app.kubernetes.io/instance");
        if (!metadataLabels && !instance) {
          copy.put(name, withoutLabels(v, name));
        }
      });
      return copy;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(item -> withoutLabels(item, key)).toList();
    }
    if (node instanceof Number number) {
      // kubectl kustomize writes a CRD's 2.0 as 2: the same number.
      return "number " + new java.math.BigDecimal(number.toString()).stripTrailingZeros().toPlainString();
    }
    return node;
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      replicaCount: "two"                              | replicaCount: Invalid type. Expected: integer, given: string
      replicaCount: 0                                  | replicaCount: Must be greater than or equal to 1
      image: {tagg: "0.2.0"}                           | image: Additional property tagg is not allowed
      image: {pullPolicy: Sometimes}                   | image.pullPolicy: image.pullPolicy must be one of the following
      imageTag: "0.2.0"                                | Additional property imageTag is not allowed
      settings: {BPO_WATCH_NAMESPACES: team}           | settings: Additional property BPO_WATCH_NAMESPACES is not allowed
      logFormat: xml                                   | logFormat: logFormat must be one of the following
      watch: {namespaces: team-a}                      | watch.namespaces: Invalid type. Expected: array, given: string
      allowedEndpoints: ["s3.example.com"]             | allowedEndpoints.0: Does not match pattern
      """)
  void theSchemaRefusesBadValuesWithAMessage(String values, String message) throws Exception {
    Path file = Files.createDirectories(Path.of("target", "helm-bad-values")).resolve("bad-" + Math.abs(values.hashCode()) + ".yaml");
    Files.writeString(file, values + "\n");
    HelmChart.Run run = HelmChart.helm(List.of("template", HelmChart.RELEASE, "deploy/helm/bucket-protection-operator",
        "--values", file.toAbsolutePath().toString()));
    assertNotEquals(0, run.exitCode(), values + " was accepted:\n" + run.output());
    assertTrue(run.output().contains(message), values + ": " + run.output());
  }

  /**
   * Every operator setting (config/Settings.java) can be given: under settings: by its variable (the
   * schema lists exactly those), or by a value of the chart's own. A new setting fails here until it
   * is one or the other, and the chart's README names it.
   */
  @SuppressWarnings("unchecked")
  @Test
  void everyOperatorSettingCanBeGivenAndIsDocumented() throws Exception {
    Map<String, Object> schema = YAML.readValue(HelmChart.CHART.resolve("values.schema.json").toFile(), Map.class);
    Set<String> settingsKeys = new TreeSet<>(((Map<String, ?>) ((Map<String, ?>) ((Map<String, ?>) schema
        .get("properties")).get("settings")).get("properties")).keySet());
    Set<String> declared = Settings.ALL.stream().map(Setting::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> covered = new TreeSet<>(settingsKeys);
    covered.addAll(SET_BY_THE_CHART.keySet());
    assertEquals(declared, covered, "each setting of Settings.ALL is a key of settings: in values.schema.json,"
        + " or set by the chart (SET_BY_THE_CHART)");
    Set<String> both = new TreeSet<>(settingsKeys);
    both.retainAll(SET_BY_THE_CHART.keySet());
    assertEquals(Set.of(), both, "a setting the chart sets itself cannot also be given under settings:");
    String readme = Files.readString(HelmChart.CHART.resolve("README.md"));
    for (String name : declared) {
      assertTrue(readme.contains("`" + name + "`"), "the chart's README names " + name);
    }
  }

  /** Every value the schema knows is described in the chart's README (as `path`), and nothing else is. */
  @SuppressWarnings("unchecked")
  @Test
  void everyValueIsInTheReadmeAndTheSchema() throws Exception {
    Map<String, Object> schema = YAML.readValue(HelmChart.CHART.resolve("values.schema.json").toFile(), Map.class);
    Set<String> paths = new TreeSet<>();
    valuePaths("", schema, paths);
    Set<String> withParents = new TreeSet<>(paths);
    paths.forEach(p -> {
      for (int dot = p.indexOf('.'); dot > 0; dot = p.indexOf('.', dot + 1)) {
        withParents.add(p.substring(0, dot));
      }
    });
    paths.remove("global");
    String readme = Files.readString(HelmChart.CHART.resolve("README.md"));
    List<String> undocumented = paths.stream().filter(p -> !p.startsWith("settings.") && !readme.contains("`" + p + "`"))
        .toList();
    assertEquals(List.of(), undocumented, "values missing from deploy/helm/bucket-protection-operator/README.md");
    // values.yaml sets nothing the schema does not know (the schema would refuse the chart's own defaults).
    Set<String> defaults = new TreeSet<>();
    defaultPaths("", yamlFile(HelmChart.CHART.resolve("values.yaml")), schema, defaults);
    defaults.removeAll(withParents);
    assertEquals(Set.of(), defaults);
  }

  @SuppressWarnings("unchecked")
  private static void valuePaths(String prefix, Map<String, Object> schema, Set<String> out) {
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    if (properties == null) {
      return;
    }
    properties.forEach((name, sub) -> {
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      if (((Map<String, Object>) sub).containsKey("properties")) {
        valuePaths(path, (Map<String, Object>) sub, out);
      } else {
        out.add(path);
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static void defaultPaths(String prefix, Map<String, Object> values, Map<String, Object> schema, Set<String> out) {
    Map<String, Object> properties = (Map<String, Object>) schema.get("properties");
    values.forEach((name, value) -> {
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      out.add(path);
      if (value instanceof Map<?, ?> map && properties != null && properties.get(name) instanceof Map<?, ?> sub
          && ((Map<String, Object>) sub).containsKey("properties")) {
        defaultPaths(path, (Map<String, Object>) map, (Map<String, Object>) sub, out);
      }
    });
  }

  /** The namespaced values make no cluster-scoped object but the CRDs (a team without cluster rights). */
  @Test
  void theNamespacedValuesNeedNoClusterRights() throws Exception {
    List<HasMetadata> objects = Manifests.typed(CLIENT, HelmChart.render("namespaced"));
    List<String> clusterScoped = objects.stream().filter(o -> o.getMetadata().getNamespace() == null)
        .map(HasMetadata::getKind).filter(k -> !k.equals("CustomResourceDefinition")).toList();
    assertEquals(List.of(), clusterScoped);
    Map<String, String> env = env(deployment(objects));
    assertEquals("bucket-protection-system", env.get("BPO_WATCH_NAMESPACES"));
    assertEquals("false", env.get("BPO_CLUSTER_ACCOUNTS"));
  }

  /** A digest wins over the tag; every other value reaches the Deployment; 3 replicas keep their PDB. */
  @Test
  void everyValueReachesTheDeployment() throws Exception {
    List<HasMetadata> objects = Manifests.typed(CLIENT, HelmChart.render("everything"));
    Deployment deployment = deployment(objects);
    var pod = deployment.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertEquals("registry.example.com/mirror/bucket-protection-operator@sha256:"
        + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", container.getImage());
    assertEquals("Always", container.getImagePullPolicy());
    assertEquals("registry-credentials", pod.getImagePullSecrets().get(0).getName());
    assertEquals(3, deployment.getSpec().getReplicas());
    assertEquals("bpo", pod.getServiceAccountName());
    assertEquals("linux", pod.getNodeSelector().get("kubernetes.io/os"));
    assertEquals("dedicated", pod.getTolerations().get(0).getKey());
    assertEquals("system-cluster-critical", pod.getPriorityClassName());
    assertEquals("512Mi", container.getResources().getLimits().get("memory").toString());
    assertTrue(pod.getAffinity().getNodeAffinity() != null);
    Map<String, String> env = env(deployment);
    assertEquals("s3-accounts", env.get("BPO_CLUSTER_RESOURCE_NAMESPACE"));
    assertEquals("https://s3.eu-west-1.amazonaws.com,http://rgw.example.internal:7480", env.get("BPO_ALLOWED_ENDPOINTS"));
    assertEquals("plain", env.get("LOG_FORMAT"));
    assertEquals("40", env.get("BPO_RECONCILE_THREADS"));
    assertEquals("DEBUG", env.get("LOG_LEVEL"));
    assertEquals("true", env.get("BPO_LEADER_ELECTION"));
    assertEquals(2, pdb(objects).getSpec().getMinAvailable().getIntVal());
    assertTrue(objects.stream().noneMatch(NetworkPolicy.class::isInstance), "networkPolicy.enabled: false");
    assertTrue(objects.stream().noneMatch(o -> o.getMetadata().getName().startsWith("bucketprotection-")),
        "userRoles.create: false");
    assertTrue(objects.stream().anyMatch(o -> o.getKind().equals("RoleBinding")
        && o.getMetadata().getName().endsWith("-leader-election")));
  }

  /** With one replica leader election stays on (a rolling update runs two pods) and no PDB blocks drains. */
  @Test
  void oneReplicaKeepsLeaderElectionAndHasNoDisruptionBudget() throws Exception {
    List<HasMetadata> objects = Manifests.typed(CLIENT, HelmChart.render("one-replica"));
    assertEquals(1, deployment(objects).getSpec().getReplicas());
    assertEquals("true", env(deployment(objects)).get("BPO_LEADER_ELECTION"));
    assertTrue(objects.stream().noneMatch(PodDisruptionBudget.class::isInstance));
    assertEquals(HelmChart.RELEASE + ":" + pomVersion(), deployment(objects).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage().replace("ghcr.io/bucket-protection/", ""), "the tag defaults to appVersion");
  }

  @Test
  void theIrsaValuesAnnotateTheServiceAccount() throws Exception {
    HasMetadata account = Manifests.typed(CLIENT, HelmChart.render("irsa")).stream()
        .filter(o -> o.getKind().equals("ServiceAccount")).findFirst().orElseThrow();
    assertEquals("arn:aws:iam::123456789012:role/bucket-protection-operator",
        account.getMetadata().getAnnotations().get("eks.amazonaws.com/role-arn"));
  }

  /**
   * One label marks "may scrape the operator", as in deploy/monitoring/: the NetworkPolicy admits the
   * namespaces carrying it, and the ServiceMonitor and PrometheusRule carry it. The alerts are
   * deploy/monitoring's.
   */
  @SuppressWarnings("unchecked")
  @Test
  void theMonitoringObjectsCarryTheNetworkPolicysScraperLabel() throws Exception {
    List<HasMetadata> objects = Manifests.typed(CLIENT, HelmChart.render("monitoring"));
    NetworkPolicy policy = objects.stream().filter(NetworkPolicy.class::isInstance).map(NetworkPolicy.class::cast)
        .findFirst().orElseThrow();
    Map<String, String> scraper = policy.getSpec().getIngress().get(1).getFrom().get(0).getNamespaceSelector()
        .getMatchLabels();
    assertEquals(Map.of("monitoring.example.com/prometheus", "main"), scraper);
    Map<String, GenericKubernetesResource> monitoring = objects.stream()
        .filter(o -> o.getApiVersion().startsWith("monitoring.coreos.com/"))
        .collect(Collectors.toMap(HasMetadata::getKind, o -> (GenericKubernetesResource) o));
    assertEquals(Set.of("ServiceMonitor", "PrometheusRule"), monitoring.keySet());
    monitoring.values().forEach(o -> assertTrue(o.getMetadata().getLabels().entrySet().containsAll(scraper.entrySet()),
        o.getKind() + " " + o.getMetadata().getLabels()));
    assertEquals("platform", monitoring.get("ServiceMonitor").getMetadata().getLabels().get("team"));
    Map<String, Object> rules = documents(Files.readString(ROOT.resolve("deploy/monitoring/prometheusrule.yaml"))).get(0);
    assertEquals(rules.get("spec"), monitoring.get("PrometheusRule").getAdditionalProperties().get("spec"),
        "files/prometheus-rules.yaml is deploy/monitoring/prometheusrule.yaml's spec");
    Map<String, Object> monitorSpec = (Map<String, Object>) monitoring.get("ServiceMonitor").getAdditionalProperties()
        .get("spec");
    assertEquals(List.of(HelmChart.NAMESPACE), ((Map<String, Object>) monitorSpec.get("namespaceSelector")).get("matchNames"));
  }

  /** hack/package-chart.sh (the release workflow's command) packs the chart with its CRDs and schema. */
  @Test
  void packageMakesTheChartArchive() throws Exception {
    Path dest = Path.of("target", "helm").toAbsolutePath();
    ProcessBuilder builder = new ProcessBuilder("hack/package-chart.sh", dest.toString()).directory(ROOT.toFile());
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
    assertEquals(0, process.waitFor(), out);
    Path tgz = Path.of(out);
    assertEquals(dest.resolve("bucket-protection-operator-" + pomVersion() + ".tgz"), tgz);
    assertTrue(Files.size(tgz) > 10_000 && Files.size(tgz) < 200_000, tgz + ": " + Files.size(tgz) + " bytes");
    Process list = new ProcessBuilder("tar", "-tzf", tgz.toString()).start();
    Set<String> entries = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
        .lines().collect(Collectors.toSet());
    assertEquals(0, list.waitFor());
    for (String entry : List.of("Chart.yaml", "values.yaml", "values.schema.json", "README.md", "templates/NOTES.txt",
        "crds/bucketprotections.bucketprotection.io-v1.yml", "files/prometheus-rules.yaml")) {
      assertTrue(entries.contains("bucket-protection-operator/" + entry), entry + " in " + entries);
    }
  }

  private static Deployment deployment(List<HasMetadata> objects) {
    return objects.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
  }

  private static PodDisruptionBudget pdb(List<HasMetadata> objects) {
    return objects.stream().filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast)
        .findFirst().orElseThrow();
  }

  private static Map<String, String> env(Deployment deployment) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      env.put(var.getName(), var.getValue());
    }
    return env;
  }
}

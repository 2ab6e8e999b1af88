package io.bucketprotection.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.bench.Benchmark;
import io.bucketprotection.operator.testsupport.Manifests;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** deploy/ renders with kubectl, every object is typed with no unknown field, and the mock API takes them. */
class DeployManifestsTest {

  /** The image as deploy/manifests/core/deployment.yaml names it, for kustomize's images: to set. */
  private static final String IMAGE_NAME = "bucket-protection-operator";

  @ParameterizedTest
  @ValueSource(strings = {"../deploy", "../deploy/namespaced"})
  void everyManifestIsTypedWithoutUnknownFieldsAndApplies(String dir) throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      List<HasMetadata> objects = Manifests.typed(kubernetes.client(), Manifests.kustomize(Path.of(dir)));
      assertTrue(objects.size() >= 8, dir + ": " + objects.size() + " objects");
      for (HasMetadata object : objects) {
        assertEquals(List.of(), Manifests.unknownFields(object), dir + ": " + object.getKind() + " " + object.getMetadata().getName());
        if (!"CustomResourceDefinition".equals(object.getKind())) {
          kubernetes.client().resource(object).create();
        }
      }
      Deployment deployment = kubernetes.client().apps().deployments().inNamespace("bucket-protection-system")
          .withName("bucket-protection-operator").get();
      assertNotNull(deployment, "the Deployment was applied");
      assertHardened(deployment);
      assertOnlyTheProbeAndMetricsPortsAreOpen(objects, deployment);
    }
  }

  @Test
  void theUnknownFieldCheckCatchesAMisspeltField() {
    Deployment misspelt = new DeploymentBuilder().withNewMetadata().withName("x").endMetadata()
        .withNewSpec().withReplicas(1).endSpec().build();
    misspelt.getSpec().setAdditionalProperty("replica", 2);
    assertEquals(List.of("Deployment.Spec.replica"), Manifests.unknownFields(misspelt));
  }

  /**
   * A NetworkPolicy selects the operator's pods and lets in only the probe and metrics ports (who may
   * reach which is MetricsPortManifestsTest's).
   */
  private static void assertOnlyTheProbeAndMetricsPortsAreOpen(List<HasMetadata> objects, Deployment deployment) {
    var policies = objects.stream().filter(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class::isInstance)
        .map(io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class::cast).toList();
    assertEquals(1, policies.size(), "one NetworkPolicy");
    var policy = policies.get(0).getSpec();
    assertEquals(deployment.getSpec().getSelector().getMatchLabels(), policy.getPodSelector().getMatchLabels());
    assertEquals(List.of("Ingress"), policy.getPolicyTypes());
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertEquals(List.of("probes", "metrics"), container.getPorts().stream().map(p -> p.getName()).toList());
    assertEquals(List.of("probes", "metrics"), policy.getIngress().stream()
        .flatMap(rule -> rule.getPorts().stream()).map(p -> p.getPort().getStrVal()).toList());
    assertEquals("/healthz", container.getLivenessProbe().getHttpGet().getPath());
  }

  private static void assertHardened(Deployment deployment) {
    var pod = deployment.getSpec().getTemplate().getSpec();
    assertEquals(2, deployment.getSpec().getReplicas(), "two replicas, one leader");
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
    Container c = pod.getContainers().get(0);
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/healthz", c.getStartupProbe().getHttpGet().getPath());
    assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
    assertNotNull(c.getResources().getLimits().get("memory"));
    assertNotNull(c.getResources().getRequests().get("cpu"));
    Map<String, EnvVar> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertEquals("true", env.get("BPO_LEADER_ELECTION").getValue());
    assertEquals("metadata.namespace", env.get("POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath());
    // The memory figures in docs/performance.md were measured with exactly these heap settings.
    String javaOptions = env.get("JAVA_TOOL_OPTIONS").getValue();
    Benchmark.OPERATOR_JVM_OPTIONS.forEach(o -> assertTrue(javaOptions.contains(o), o + " missing from JAVA_TOOL_OPTIONS"));
    // Memory limit above the measured RSS at 10,000 resources (248 MiB).
    assertEquals("384Mi", c.getResources().getLimits().get("memory").toString());
  }

  /**
   * The Deployment names the image by its plain name and each install's kustomization sets it
   * (images:), to the project version by default; the image hack/build-image.sh builds runs as the
   * Deployment's user. No Dockerfile: the image is built without one.
   */
  @ParameterizedTest
  @ValueSource(strings = {"../deploy", "../deploy/namespaced"})
  void theRenderedDeploymentRunsTheImageTheKustomizationSets(String dir) throws Exception {
    assertFalse(Files.exists(Path.of("..", "deploy", "Dockerfile")), "hack/build-image.sh builds the image");
    String deploymentYaml = Files.readString(Path.of("..", "deploy", "manifests", "core", "deployment.yaml"));
    assertTrue(deploymentYaml.contains("image: " + IMAGE_NAME + "\n"), "the plain name in deployment.yaml");
    Map<?, ?> kustomization = Serialization.unmarshal(Files.readString(Path.of(dir, "kustomization.yaml")), Map.class);
    List<?> images = (List<?>) kustomization.get("images");
    assertEquals(1, images.size(), dir + ": one images: entry");
    Map<?, ?> image = (Map<?, ?>) images.get(0);
    assertEquals(IMAGE_NAME, image.get("name"));
    String version = Files.readString(Path.of("..", "pom.xml")).split("<version>")[1].split("</version>")[0];
    assertEquals(version, image.get("newTag"), "the image of this version");
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      Deployment deployment = Manifests.typed(kubernetes.client(), Manifests.kustomize(Path.of(dir))).stream()
          .filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst().orElseThrow();
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertEquals(image.get("newName") + ":" + version, pod.getContainers().get(0).getImage());
      assertEquals(65532L, pod.getSecurityContext().getRunAsUser());
      assertEquals(65532L, pod.getSecurityContext().getRunAsGroup());
      assertEquals("/tmp", pod.getContainers().get(0).getVolumeMounts().get(0).getMountPath());
      assertNotNull(pod.getVolumes().get(0).getEmptyDir(), "a writable /tmp on the read-only root filesystem");
    }
    assertTrue(Files.readString(Path.of("pom.xml")).contains("<user>65532:65532</user>"), "the image's user");
    assertTrue(Files.readString(Path.of("..", "hack", "build-image.sh")).contains("nonroot:x:65532:65532:"));
  }

  @Test
  void thePodDisruptionBudgetKeepsOneReplica() throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      PodDisruptionBudget pdb = Manifests.typed(kubernetes.client(), Manifests.kustomize(Path.of("../deploy"))).stream()
          .filter(PodDisruptionBudget.class::isInstance).map(PodDisruptionBudget.class::cast).findFirst().orElseThrow();
      assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal());
    }
  }
}

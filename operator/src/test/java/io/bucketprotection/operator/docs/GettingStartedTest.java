package io.bucketprotection.operator.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.testsupport.HelmChart;
import io.bucketprotection.operator.testsupport.KubectlFront;
import io.bucketprotection.operator.testsupport.Manifests;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The getting-started guide's "Install on a cluster", run as a newcomer runs it: every command
 * block of the section, verbatim and in order, through bash and the real kubectl, against an API
 * server with nothing installed (the CRUD mock behind {@link KubectlFront}) and a real RadosGW.
 * Where a cluster's kubelet would start the Deployment that `kubectl apply -k deploy/` created,
 * {@link DeploymentRunner} starts its replicas as operator processes with the Deployment's own
 * environment. The only inputs are the variables the guide asks the reader to set.
 */
class GettingStartedTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path GUIDE = ROOT.resolve("docs/getting-started.md");
  private static final String SECTION = "## Install on a cluster";
  private static final String README_SECTION = "## Install on a cluster and protect a first bucket";
  private static final String OWNER = "bpo-getting-started";
  private static final String OWNER_KEY = "BPOGSOWNERACCESSKEY1";
  private static final String OWNER_SECRET = "gs-owner-secret-key-0123456789abcdef";
  private static final String OBSERVER_KEY = "BPOGSOBSERVERKEY0001";
  private static final String OBSERVER_SECRET = "gs-observer-secret-0123456789abcdef";

  @Test
  void theReadmesStepsAreTheGuidesStepsInTheSameOrder() throws IOException {
    List<String> guide = CommandBlocks.of(Files.readString(GUIDE), SECTION);
    List<String> readme = CommandBlocks.of(Files.readString(ROOT.resolve("README.md")), README_SECTION);
    assertFalse(readme.isEmpty(), "README.md has command blocks under " + README_SECTION);
    int at = -1;
    for (String block : readme) {
      int found = guide.subList(at + 1, guide.size()).indexOf(block);
      assertTrue(found >= 0, "README's block is not one of the guide's tested blocks (after the previous one):\n"
          + block);
      at += found + 1;
    }
  }

  @Test
  void theInstallStepsProtectAFirstBucketOnAnEmptyCluster() throws Exception {
    List<String> blocks = CommandBlocks.of(Files.readString(GUIDE), SECTION);
    assertTrue(blocks.size() >= 3, "the guide's install steps: " + blocks);
    RgwLab rgw = RgwLab.shared();
    rgw.createUser(OWNER, OWNER_KEY, OWNER_SECRET, 10);
    // The reader's "ordinary identity": a subuser of the bucket's owner with keys of its own.
    rgw.createSubuser(OWNER, "observer", "full", OBSERVER_KEY, OBSERVER_SECRET);
    String bucket = "first-bucket-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client owner = rgw.client(OWNER_KEY, OWNER_SECRET)) {
      owner.createBucket(r -> r.bucket(bucket));
    }
    Path work = Files.createDirectories(Path.of("target", "getting-started").toAbsolutePath());
    try (MockKubernetes kubernetes = MockKubernetes.empty();
         KubectlFront front = new KubectlFront(kubernetes);
         DeploymentRunner kubelet = DeploymentRunner.watch(kubernetes, work)) {
      assertTrue(kubernetes.client().apiextensions().v1().customResourceDefinitions().list().getItems().isEmpty(),
          "the cluster starts empty");
      Map<String, String> reader = Map.of(
          "KUBECONFIG", front.writeKubeconfig(work.resolve("kubeconfig"), "default").toString(),
          "HOME", Files.createDirectories(work.resolve("home")).toString(),
          "BUCKET", bucket,
          "S3_ENDPOINT", rgw.endpoint().toString(),
          "AWS_REGION", "us-east-1",
          "AWS_ACCESS_KEY_ID", OBSERVER_KEY,
          "AWS_SECRET_ACCESS_KEY", OBSERVER_SECRET);
      String last = "";
      for (String block : blocks) {
        last = run(block, reader, () -> kubelet.logTail() + statuses(kubernetes));
      }
      assertEquals(2, kubelet.started(), "the Deployment's two replicas ran");
      assertTrue(last.contains("first-bucket"), "kubectl get shows the bucket:\n" + last);

      BucketProtection first = kubernetes.client().resources(BucketProtection.class).inNamespace("first-team")
          .withName("first-bucket").get();
      assertNotNull(first, "the guide's BucketProtection exists");
      assertEquals("True", Resources.ready(first).orElseThrow().getStatus());
      try (S3Client owner = rgw.client(OWNER_KEY, OWNER_SECRET)) {
        assertEquals(BucketVersioningStatus.ENABLED, owner.getBucketVersioning(r -> r.bucket(bucket)).status(),
            "versioning was switched on at RadosGW");
      }
      // A first run is quiet: no Warning event about the newcomer's first bucket.
      assertEquals(List.of(), kubernetes.client().v1().events().inNamespace("first-team").list().getItems().stream()
          .filter(e -> "Warning".equals(e.getType())).map(e -> e.getReason() + ": " + e.getMessage()).toList());
      // And a rollout or a drain can stop it: each replica ends on SIGTERM within the Deployment's grace period
      // (the leader used to hang in JOSDK's System.exit inside the shutdown hook until it was killed).
      long grace = kubernetes.client().apps().deployments().inNamespace("bucket-protection-system")
          .withName("bucket-protection-operator").get().getSpec().getTemplate().getSpec()
          .getTerminationGracePeriodSeconds();
      assertEquals(2, kubelet.stop((int) grace), "replicas that ended by themselves within " + grace + " s");
    }
  }

  /**
   * Step 1's Helm variant (its ```sh helm block), verbatim, through bash and the real helm against an
   * empty API server: the chart is installed, its two replicas start and `kubectl rollout status`
   * returns. The install is then what `helm template` renders, object for object; steps 2 and 3 are the
   * same on either path (the test above runs them).
   */
  @Test
  void theHelmInstallStepInstallsTheOperatorOnAnEmptyCluster() throws Exception {
    List<String> blocks = CommandBlocks.of(Files.readString(GUIDE), SECTION, "```sh helm");
    assertEquals(1, blocks.size(), "one Helm block in step 1: " + blocks);
    assertTrue(blocks.get(0).startsWith("helm install bucket-protection-operator deploy/helm/bucket-protection-operator"),
        blocks.get(0));
    Path work = Files.createDirectories(Path.of("target", "getting-started-helm").toAbsolutePath());
    try (MockKubernetes kubernetes = MockKubernetes.empty();
         KubectlFront front = new KubectlFront(kubernetes);
         DeploymentRunner kubelet = DeploymentRunner.watch(kubernetes, work)) {
      Map<String, String> reader = Map.of(
          "KUBECONFIG", front.writeKubeconfig(work.resolve("kubeconfig"), "default").toString(),
          "HOME", Files.createDirectories(work.resolve("home")).toString(),
          "HELM_CONFIG_HOME", work.resolve("helm/config").toString(),
          "HELM_CACHE_HOME", work.resolve("helm/cache").toString(),
          "HELM_DATA_HOME", work.resolve("helm/data").toString());
      String output = run(blocks.get(0), reader, kubelet::logTail);
      assertTrue(output.contains("STATUS: deployed"), output);
      assertEquals(2, kubelet.started(), "the Deployment's two replicas ran");

      List<io.fabric8.kubernetes.api.model.HasMetadata> rendered = Manifests.typed(kubernetes.client(),
          HelmChart.render("default"));
      for (io.fabric8.kubernetes.api.model.HasMetadata object : rendered) {
        var installed = kubernetes.client().resource(object).get();
        assertNotNull(installed, "helm install created " + object.getKind() + " " + object.getMetadata().getName());
        assertEquals(object.getMetadata().getLabels(), installed.getMetadata().getLabels(), object.getKind());
      }
      // Helm's record of the release, in the release's namespace.
      assertEquals(1, kubernetes.client().secrets().inNamespace("bucket-protection-system")
          .withLabel("owner", "helm").list().getItems().size());
    }
  }

  /** The Ready conditions of the guide's objects, for a failure message. */
  private static String statuses(MockKubernetes kubernetes) {
    StringBuilder out = new StringBuilder();
    kubernetes.client().resources(BucketProtection.class).inAnyNamespace().list().getItems().forEach(bp -> out
        .append("BucketProtection ").append(bp.getMetadata().getName()).append(": ")
        .append(Resources.ready(bp).map(c -> c.getStatus() + " " + c.getReason() + " " + c.getMessage()).orElse("-"))
        .append('\n'));
    kubernetes.client().resources(io.bucketprotection.operator.api.ClusterS3Account.class).list().getItems()
        .forEach(a -> out.append("ClusterS3Account ").append(a.getMetadata().getName()).append(": ")
            .append(a.getStatus() == null ? "-" : a.getStatus().getConditions().toString()).append('\n'));
    return out.toString();
  }

  /** One block through bash, as a reader pastes it; fails the test with the block and its output. */
  private static String run(String block, Map<String, String> reader, java.util.function.Supplier<String> operator)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "-euo", "pipefail", "-c", block));
    ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("KUBE"));
    builder.environment().putAll(reader);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    boolean ended = process.waitFor(5, TimeUnit.MINUTES);
    String text = new String(output, StandardCharsets.UTF_8);
    if (!ended) {
      process.destroyForcibly();
    }
    assertTrue(ended && process.exitValue() == 0, () -> "this step of docs/getting-started.md failed:\n" + block
        + "\n--- its output ---\n" + text + "\n--- the operator ---\n" + operator.get());
    return text;
  }
}

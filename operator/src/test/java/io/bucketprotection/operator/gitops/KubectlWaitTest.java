package io.bucketprotection.operator.gitops;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.KubectlFront;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl wait --for=condition=Ready bp/NAME} works on what the operator writes: the real
 * kubectl binary against the CRUD mock API server (behind {@link KubectlFront}, which serves the
 * discovery and HTTP watch kubectl needs), while the real operator converges the resource. kubectl
 * must be on PATH (CI installs it with hack/prereqs.sh): without it this test fails, it never skips.
 */
class KubectlWaitTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static String kubectl;
  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static OperatorHarness operator;
  private static KubectlFront front;
  @TempDir
  static Path dir;
  private static Path kubeconfig;

  @BeforeAll
  static void start() throws IOException {
    kubectl = onPath("kubectl");
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    operator = new OperatorHarness(kubernetes.client(), s3,
        OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h")));
    operator.awaitAccountReady(kubernetes.client().resource(Accounts.defaultForEveryone()).create());
    front = new KubectlFront(kubernetes);
    kubeconfig = front.writeKubeconfig(dir.resolve("kubeconfig"), "default");
  }

  @AfterAll
  static void stop() {
    if (front != null) {
      front.close();
    }
    if (operator != null) {
      operator.close();
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @Test
  void waitReturnsZeroOnceTheBucketConverges() throws Exception {
    // Not Ready at first, for a reason the operator lifts by itself when the account appears.
    s3.createBucket("kubectl-wait-converges");
    BucketProtection resource = protection("kubectl-converges", "audit", "kubectl-wait-converges", "Enabled");
    resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "kubectl-converges"));
    operator.create(resource);
    operator.awaitReason("kubectl-converges", "audit", "AccountNotFound", TIMEOUT);

    int watchesBefore = front.watchesStarted();
    Invocation wait = start("-n", "kubectl-converges", "wait", "--for=condition=Ready", "bp/audit", "--timeout=60s");
    // kubectl is watching a resource that is Ready=False: it must not have returned.
    await().atMost(TIMEOUT).until(() -> front.watchesStarted() > watchesBefore || !wait.isAlive());
    assertTrue(wait.isAlive(), () -> "kubectl wait returned while the resource was not Ready:\n" + wait.output());

    var account = Accounts.cluster("kubectl-converges", List.of("kubectl-wait-*"));
    account.getSpec().setCredentials(Accounts.operatorIdentity());
    account.getSpec().setNamespaces(Accounts.names("kubectl-converges"));
    kubernetes.client().resource(account).create();

    Result result = wait.finish(Duration.ofSeconds(90));
    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.stdout().contains("bucketprotection.bucketprotection.io/audit condition met"), result::toString);
    assertEquals("True", Resources.ready(operator.get("kubectl-converges", "audit")).orElseThrow().getStatus());
  }

  @Test
  void waitTimesOutOnAResourceThatStaysNotReady() throws Exception {
    BucketProtection resource = protection("kubectl-stuck", "audit", "kubectl-wait-stuck", "Enabled");
    Resources.withCredentials(resource, "keys-that-do-not-exist");
    operator.create(resource);
    operator.awaitReason("kubectl-stuck", "audit", "SecretNotFound", TIMEOUT);

    Result timedOut = run(Duration.ofSeconds(30),
        "-n", "kubectl-stuck", "wait", "--for=condition=Ready", "bp/audit", "--timeout=3s");
    assertNotEquals(0, timedOut.exitCode(), timedOut::toString);
    assertTrue(timedOut.stderr().contains("timed out waiting for the condition"), timedOut::toString);

    // The same command reads the condition: waiting for it to be False succeeds at once, so the
    // time-out above is the condition's doing, not a kubectl that cannot reach the resource.
    Result isFalse = run(Duration.ofSeconds(30),
        "-n", "kubectl-stuck", "wait", "--for=condition=Ready=False", "bp/audit", "--timeout=10s");
    assertEquals(0, isFalse.exitCode(), isFalse::toString);
  }

  /**
   * {@code kubectl get bp} lists the resource. The CRUD mock serves no server-side Table, so kubectl
   * prints only NAME and AGE here; the CRD's printer columns are checked instead by asking kubectl
   * for the same JSONPaths as custom columns (the API server evaluates them with the same JSONPath
   * code): each status column finds a value in what the operator wrote.
   */
  @Test
  void getBpListsTheResourceAndEveryPrinterColumnHasAValue() throws Exception {
    s3.createBucket("kubectl-get-columns");
    operator.create(protection("kubectl-get", "audit", "kubectl-get-columns", "Enabled"));
    operator.awaitReason("kubectl-get", "audit", "Applied", TIMEOUT);

    Result list = run(TIMEOUT, "-n", "kubectl-get", "get", "bp");
    assertEquals(0, list.exitCode(), list::toString);
    assertTrue(list.stdout().lines().anyMatch(line -> line.startsWith("audit ")), list::toString);

    List<String> names = new ArrayList<>();
    List<String> columns = new ArrayList<>();
    List<String> statusColumns = new ArrayList<>();
    for (var column : printerColumns()) {
      names.add(column.getName());
      columns.add(column.getName() + ":" + column.getJsonPath());
      if (column.getJsonPath().startsWith(".status")) {
        statusColumns.add(column.getName());
      }
    }
    Result table = run(TIMEOUT, "-n", "kubectl-get", "get", "bp", "audit",
        "-o", "custom-columns=" + String.join(",", columns));
    assertEquals(0, table.exitCode(), table::toString);
    List<String> lines = table.stdout().lines().toList();
    assertEquals(2, lines.size(), table::toString);
    assertEquals(names, Arrays.asList(lines.get(0).trim().split("\\s+")), table::toString);
    List<String> values = Arrays.asList(lines.get(1).trim().split("\\s+"));
    assertEquals(names.size(), values.size(), table::toString);
    // What the operator writes is always there; a spec column is empty when the spec leaves it out.
    for (String column : statusColumns) {
      assertNotEquals("<none>", values.get(names.indexOf(column)), () -> column + " finds nothing:\n" + table);
    }
    assertEquals("kubectl-get-columns", values.get(names.indexOf("Bucket")), table::toString);
    assertEquals("True", values.get(names.indexOf("Ready")), table::toString);
    assertEquals("Applied", values.get(names.indexOf("Reason")), table::toString);
    assertEquals("Enabled", values.get(names.indexOf("Versioning")), table::toString);
  }

  private static List<io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition>
      printerColumns() throws IOException {
    try (InputStream in = KubectlWaitTest.class.getResourceAsStream(MockKubernetes.CRD_RESOURCES.get(0))) {
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      assertEquals("bucketprotections.bucketprotection.io", crd.getMetadata().getName());
      CustomResourceDefinitionVersion version = crd.getSpec().getVersions().stream()
          .filter(CustomResourceDefinitionVersion::getStorage).findFirst().orElseThrow();
      return version.getAdditionalPrinterColumns();
    }
  }

  private record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** A kubectl process whose output goes to files (a full pipe would stall it). */
  private record Invocation(Process process, Path stdout, Path stderr) {

    boolean isAlive() {
      return process.isAlive();
    }

    Result finish(Duration timeout) throws Exception {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        fail("kubectl did not end within " + timeout + ":\n" + output());
      }
      return output();
    }

    Result output() {
      try {
        return new Result(process.isAlive() ? -1 : process.exitValue(), Files.readString(stdout),
            Files.readString(stderr));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** kubectl with our kubeconfig and a discovery cache of its own (not the user's ~/.kube). */
  private static Invocation start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(kubectl, "--kubeconfig=" + kubeconfig,
        "--cache-dir=" + dir.resolve("kube-cache")));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "kubectl", ".out");
    Path err = Files.createTempFile(dir, "kubectl", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().remove("KUBECONFIG");
    return new Invocation(builder.start(), out, err);
  }

  private static Result run(Duration timeout, String... args) throws Exception {
    return start(args).finish(timeout);
  }

  /** The executable on PATH, as {@code command -v} finds it; a failure (never a skip) when absent. */
  private static String onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst()
        .map(Path::toString)
        .orElseThrow(() -> new AssertionError(name + " is not on PATH (" + path + "): hack/prereqs.sh "
            + "installs it, and CI runs this test with it"));
  }
}

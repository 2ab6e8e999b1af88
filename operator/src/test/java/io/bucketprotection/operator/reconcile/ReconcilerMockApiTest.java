package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real reconciler and JOSDK against the fabric8 CRUD mock API server, with a fake S3. */
class ReconcilerMockApiTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() {
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h"));
    operator = new OperatorHarness(kubernetes.client(), s3, config);
    // Resources without accountRef or credentials use the ClusterS3Account "default".
    operator.awaitAccountReady(kubernetes.client().resource(Accounts.defaultForEveryone()).create());
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
  }

  /**
   * The resource with inline keys (a Secret "keys" in its namespace, made here): an inline mfa
   * block needs inline credentials. The fake S3 accepts any keys.
   */
  private static BucketProtection withKeys(io.fabric8.kubernetes.client.KubernetesClient client,
      BucketProtection resource) {
    String namespace = resource.getMetadata().getNamespace();
    if (client.secrets().inNamespace(namespace).withName("keys").get() == null) {
      client.resource(rootKeys(namespace, "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDMOCKAPITEST00001",
          "AWS_SECRET_ACCESS_KEY", "mock-api-secret-key-0123456789"))).create();
    }
    return Resources.withCredentials(resource, "keys");
  }

  private static BucketProtection awaitReason(String namespace, String name, String reason) {
    return operator.awaitReason(namespace, name, reason, TIMEOUT);
  }

  @Test
  void enablesVersioningAndReportsWhatItDid() {
    s3.createBucket("plain-bucket");
    operator.create(protection("plain", "logs", "plain-bucket", "Enabled"));
    BucketProtection done = awaitReason("plain", "logs", "Applied");
    assertEquals("True", Resources.ready(done).orElseThrow().getStatus());
    assertEquals("Enabled", done.getStatus().getVersioning());
    assertEquals("Disabled", done.getStatus().getMfaDelete());
    assertEquals(1L, done.getStatus().getObservedGeneration());
    assertTrue(done.getStatus().getLastChangeTime() != null);
    assertEquals(new BucketState(VersioningStatus.ENABLED, false), s3.state("plain-bucket"));
    assertEquals(1, s3.calls("PutBucketVersioning", "plain-bucket"));
    assertTrue(s3.tokensReceived().stream().noneMatch(t -> t.serialNumber().equals("none")));
    await().atMost(TIMEOUT).until(() -> operator.eventReasons("plain", "logs").contains("Normal/Applied"));
  }

  @Test
  void quietChecksCostNoWritesAndDriftIsPutBack() throws Exception {
    s3.createBucket("drifting-bucket");
    BucketProtection resource = protection("drift", "data", "drifting-bucket", "Enabled");
    resource.getSpec().setCheckInterval("10s");
    operator.create(resource);
    awaitReason("drift", "data", "Applied");

    // The checks that follow find the bucket as the write left it: Ready stays Applied, no write.
    kubernetes.drainWrites();
    int getsBefore = s3.calls("GetBucketVersioning", "drifting-bucket");
    await().atMost(TIMEOUT).until(() -> s3.calls("GetBucketVersioning", "drifting-bucket") >= getsBefore + 1);
    // A (wrong) status patch of that check would arrive within moments: watch for one a while.
    List<String> writes = new java.util.ArrayList<>();
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> {
      writes.addAll(kubernetes.drainWrites().stream().filter(w -> w.contains("/drift/")).toList());
      return writes.isEmpty();
    });
    assertEquals(List.of(), writes, "an in-sync check must not write to Kubernetes");
    assertEquals(1, s3.calls("PutBucketVersioning", "drifting-bucket"), "an in-sync check must not write to S3");
    assertEquals("Applied", readyReason(operator.get("drift", "data")), "Ready stays as the write left it");

    s3.setState("drifting-bucket", new BucketState(VersioningStatus.SUSPENDED, false));
    await().atMost(TIMEOUT).until(() -> operator.get("drift", "data").getStatus().getDriftCorrections() == 1);
    assertEquals(new BucketState(VersioningStatus.ENABLED, false), s3.state("drifting-bucket"));
    assertEquals("Applied", readyReason(operator.get("drift", "data")));
    await().atMost(TIMEOUT).until(() -> operator.eventReasons("drift", "data").contains("Warning/DriftDetected"));
  }

  @Test
  void observeModeReportsAndNeverWrites() {
    s3.createBucket("watched-bucket");
    BucketProtection resource = protection("observe", "watch", "watched-bucket", "Enabled");
    resource.getSpec().setMode("Observe");
    operator.create(resource);
    BucketProtection reported = awaitReason("observe", "watch", "DriftDetected");
    assertEquals("False", Resources.ready(reported).orElseThrow().getStatus());
    assertEquals("Unversioned", reported.getStatus().getVersioning());
    assertTrue(Resources.ready(reported).orElseThrow().getMessage().contains("Observe mode writes nothing"));
    assertEquals(0, s3.calls("PutBucketVersioning", "watched-bucket"));
    assertEquals(BucketState.UNVERSIONED, s3.state("watched-bucket"));
    await().atMost(TIMEOUT).until(() -> operator.eventReasons("observe", "watch").contains("Warning/DriftDetected"));
  }

  @Test
  void anInvalidSpecIsReportedWithoutAnyS3Call() {
    s3.createBucket("invalid-bucket");
    operator.create(protection("invalid", "typo", "invalid-bucket", "enabled"));
    BucketProtection reported = awaitReason("invalid", "typo", "InvalidSpec");
    assertTrue(Resources.ready(reported).orElseThrow().getMessage().contains("spec.versioning must be Enabled or Suspended"));
    assertEquals(0, s3.calls("GetBucketVersioning", "invalid-bucket"));
  }

  @Test
  void anOverflowingCheckIntervalIsAnInvalidSpecAndHarmsNoOtherResource() {
    s3.createBucket("overflow-bucket");
    s3.createBucket("overflow-neighbour");
    BucketProtection bad = protection("overflow", "bad", "overflow-bucket", "Enabled");
    bad.getSpec().setCheckInterval("9999999999999999h"); // matches the CRD pattern
    operator.create(bad);
    operator.create(protection("overflow", "neighbour", "overflow-neighbour", "Enabled"));
    BucketProtection reported = awaitReason("overflow", "bad", "InvalidSpec");
    assertTrue(Resources.ready(reported).orElseThrow().getMessage().contains("spec.checkInterval"));
    awaitReason("overflow", "neighbour", "Applied");
    assertEquals(0, s3.calls("GetBucketVersioning", "overflow-bucket"));
  }

  @Test
  void aChangeThatNeedsACodeWithoutAnMfaBlockIsRefused() {
    s3.setState("locked-bucket", new BucketState(VersioningStatus.ENABLED, true));
    // Inline keys without an mfa block (with the default account, the account would lack the device),
    // and the resource's key for a weakening write: only the missing device stops it.
    BucketProtection suspend = withKeys(kubernetes.client(), protection("nomfa", "suspend", "locked-bucket", "Suspended"));
    suspend.getMetadata().setAnnotations(Map.of("bucketprotection.io/allow-weakening", "locked-bucket"));
    operator.create(suspend);
    BucketProtection reported = awaitReason("nomfa", "suspend", "MfaRequired");
    assertTrue(Resources.ready(reported).orElseThrow().getMessage().contains("Add spec.mfa"));
    assertEquals(0, s3.calls("PutBucketVersioning", "locked-bucket"));
    assertEquals(new BucketState(VersioningStatus.ENABLED, true), s3.state("locked-bucket"));
  }

  @Test
  void aMissingSecretIsReportedAndItsArrivalTriggersAReconcile() throws Exception {
    s3.registerDevice("device-late", SEED, 1);
    s3.createBucket("late-bucket");
    operator.create(withKeys(kubernetes.client(), withMfaDelete(protection("late", "mfa", "late-bucket", "Enabled"), "Enabled", "device-late",
        "late-seed", 1)));
    BucketProtection reported = awaitReason("late", "mfa", "SecretNotFound");
    assertTrue(Resources.ready(reported).orElseThrow().getMessage().contains("Secret late/late-seed does not exist"));
    assertEquals(0, s3.calls("PutBucketVersioning", "late-bucket"));

    // The check interval is 1h: only the Secret informer can bring this resource back so soon.
    kubernetes.client().resource(secret("late", "late-seed", Map.of("seed", SEED))).create();
    awaitReason("late", "mfa", "Applied");
    assertEquals(new BucketState(VersioningStatus.ENABLED, true), s3.state("late-bucket"));
  }

  @Test
  void twoResourcesForOneBucketConflictAndOnlyTheOlderWrites() throws Exception {
    s3.createBucket("shared-bucket");
    operator.create(protection("conflict", "first", "shared-bucket", "Enabled"));
    BucketProtection first = awaitReason("conflict", "first", "Applied");
    // Creation timestamps have second precision: let the clock reach the next second.
    Instant created = Instant.parse(first.getMetadata().getCreationTimestamp());
    await().atMost(TIMEOUT).until(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).isAfter(created));
    operator.create(protection("conflict", "second", "shared-bucket", "Suspended"));
    BucketProtection loser = awaitReason("conflict", "second", "Conflict");
    assertTrue(Resources.ready(loser).orElseThrow().getMessage().contains("conflict/first"));
    assertEquals(1, s3.calls("PutBucketVersioning", "shared-bucket"));
    assertEquals(VersioningStatus.ENABLED, s3.state("shared-bucket").versioning());
  }

  @Test
  void lifecycleRulesStopMfaDeleteBeforeACodeIsSpent() throws Exception {
    s3.registerDevice("device-lifecycle", SEED, 1);
    s3.setState("lifecycle-bucket", new BucketState(VersioningStatus.ENABLED, false));
    s3.addLifecycleRules("lifecycle-bucket");
    kubernetes.client().resource(secret("lifecycle", "seed", Map.of("seed", SEED))).create();
    operator.create(withKeys(kubernetes.client(), withMfaDelete(protection("lifecycle", "mfa", "lifecycle-bucket", "Enabled"), "Enabled",
        "device-lifecycle", "seed", 1)));
    awaitReason("lifecycle", "mfa", "LifecycleConflict");
    assertTrue(s3.tokensReceived().stream().noneMatch(t -> t.serialNumber().equals("device-lifecycle")));
    assertEquals(0, s3.calls("PutBucketVersioning", "lifecycle-bucket"));
  }

  @Test
  void aWrongSeedCostsTwoRefusedCodesThenPausesTheDeviceUntilTheSeedIsFixed() throws Exception {
    s3.registerDevice("device-wrong", SEED, 1);
    kubernetes.client().resource(secret("wrongseed", "seed", Map.of("seed", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"))).create();
    List<String> names = List.of("wrong-a", "wrong-b", "wrong-c");
    for (String name : names) {
      s3.setState(name, new BucketState(VersioningStatus.ENABLED, false));
      operator.create(withKeys(kubernetes.client(), withMfaDelete(protection("wrongseed", name, name, "Enabled"), "Enabled", "device-wrong", "seed", 1)));
    }
    await().atMost(TIMEOUT).until(() -> names.stream()
        .allMatch(n -> "MfaDevicePaused".equals(readyReason(operator.get("wrongseed", n)))));
    // Three more steps: a paused device sends nothing.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> s3.codesRefused("device-wrong") == 2);
    assertEquals(2, s3.codesRefused("device-wrong"), "exactly two refused codes, then the device pauses");
    String message = Resources.ready(operator.get("wrongseed", "wrong-a")).orElseThrow().getMessage();
    assertTrue(message.contains("another operator or person"), message);
    assertTrue(names.stream().noneMatch(n -> s3.state(n).mfaDeleteEnabled()));
    assertTrue(names.stream().anyMatch(n -> operator.eventReasons("wrongseed", n).contains("Warning/MfaRejected")));

    // Fixing the seed lifts the pause at once (the pause itself lasts 15 minutes).
    kubernetes.client().resource(secret("wrongseed", "seed", Map.of("seed", SEED))).update();
    await().atMost(TIMEOUT).until(() -> names.stream()
        .allMatch(n -> "Applied".equals(readyReason(operator.get("wrongseed", n)))));
    assertEquals(2, s3.codesRefused("device-wrong"));
  }

  @Test
  void aClockThatDisagreesWithTheServerIsReportedBeforeAnyCodeIsSpent() throws Exception {
    MockKubernetes otherCluster = new MockKubernetes();
    FakeBucketStore skewed = new FakeBucketStore(Clock.systemUTC());
    skewed.registerDevice("device-skew", SEED, 1);
    skewed.setState("skew-bucket", new BucketState(VersioningStatus.ENABLED, false));
    skewed.setServerClockOffset(Duration.ofSeconds(45));
    try (otherCluster; OperatorHarness skewedOperator = new OperatorHarness(otherCluster.client(), skewed,
        OperatorConfig.fromEnvironment(Map.of()))) {
      otherCluster.client().resource(secret("skew", "seed", Map.of("seed", SEED))).create();
      skewedOperator.create(withKeys(otherCluster.client(), withMfaDelete(protection("skew", "skew", "skew-bucket", "Enabled"), "Enabled",
          "device-skew", "seed", 1)));
      await().atMost(TIMEOUT).until(() -> "ClockSkew".equals(readyReason(skewedOperator.get("skew", "skew"))));
      String message = Resources.ready(skewedOperator.get("skew", "skew")).orElseThrow().getMessage();
      assertTrue(message.contains("differ by 45 s"), message);
      assertTrue(skewed.tokensReceived().isEmpty(), "no code may be spent with a skewed clock");
    }
  }

  @Test
  void temporaryCredentialsAreRefusedBeforeAnyCodeIsSpent() throws Exception {
    s3.registerDevice("device-sts", SEED, 1);
    s3.setState("sts-bucket", new BucketState(VersioningStatus.ENABLED, false));
    kubernetes.client().resource(secret("sts", "seed", Map.of("seed", SEED))).create();
    kubernetes.client().resource(rootKeys("sts", "session-keys", Map.of("AWS_ACCESS_KEY_ID", "ASIATEMPORARY0000001",
        "AWS_SECRET_ACCESS_KEY", "temporary-secret-0123456789", "AWS_SESSION_TOKEN", "token"))).create();
    operator.create(Resources.withCredentials(withMfaDelete(protection("sts", "sts", "sts-bucket", "Enabled"),
        "Enabled", "device-sts", "seed", 1), "session-keys"));
    BucketProtection reported = awaitReason("sts", "sts", "TemporaryCredentials");
    assertTrue(Resources.ready(reported).orElseThrow().getMessage().contains("long-lived access keys"));
    assertTrue(s3.tokensReceived().stream().noneMatch(t -> t.serialNumber().equals("device-sts")));
  }

  @Test
  void oneBrokenResourceDoesNotStallTheOthers() {
    s3.createBucket("broken-bucket");
    s3.explodeOn("broken-bucket", new IllegalStateException("bug"));
    s3.createBucket("healthy-bucket");
    operator.create(protection("broken", "bad", "broken-bucket", "Enabled"));
    operator.create(protection("broken", "good", "healthy-bucket", "Enabled"));
    awaitReason("broken", "bad", "ReconcileError");
    // The good one converges: Applied, or already InSync when another event re-checked it meanwhile.
    operator.awaitConverged("broken", "good", TIMEOUT);
    assertTrue(s3.state("healthy-bucket").versioning() == VersioningStatus.ENABLED, "the healthy bucket was changed");
    assertTrue(operator.eventReasons("broken", "good").contains("Normal/Applied"), "its change was announced");
    assertEquals("Unknown", Resources.ready(operator.get("broken", "bad")).orElseThrow().getStatus());
    s3.clearFailures("broken-bucket");
    awaitReason("broken", "bad", "Applied");
  }

  @Test
  void bucketsSharingOneDeviceTakeTurnsAndNoCodeIsRefused() throws Exception {
    s3.registerDevice("device-fleet", SEED, 1);
    kubernetes.client().resource(secret("fleet", "seed", Map.of("seed", SEED))).create();
    List<String> names = IntStream.range(0, 5).mapToObj(i -> "fleet-bucket-" + i).toList();
    kubernetes.drainWrites();
    for (String bucket : names) {
      s3.setState(bucket, new BucketState(VersioningStatus.ENABLED, false));
      operator.create(withKeys(kubernetes.client(), withMfaDelete(protection("fleet", bucket, bucket, "Enabled"), "Enabled", "device-fleet", "seed", 1)));
    }
    await().atMost(TIMEOUT).until(() -> names.stream()
        .anyMatch(n -> "WaitingForMfaWindow".equals(readyReason(operator.get("fleet", n)))));
    String waiting = names.stream().map(n -> operator.get("fleet", n))
        .filter(bp -> "WaitingForMfaWindow".equals(readyReason(bp))).findFirst()
        .flatMap(Resources::ready).orElseThrow().getMessage();
    // One namespace: its own changes are all there are, and it is told no more than its own.
    assertTrue(waiting.matches(".*place [1-5] of [1-5] among this namespace's changes waiting for it\\. The line is"
        + " shared fairly between namespaces.*"), waiting);
    await().atMost(TIMEOUT).until(() -> names.stream().allMatch(n -> "Applied".equals(readyReason(operator.get("fleet", n)))));
    assertTrue(names.stream().allMatch(n -> s3.state(n).mfaDeleteEnabled()));
    assertEquals(0, s3.codesRefused("device-fleet"));
    Set<String> fleetCodes = s3.tokensReceived().stream().filter(t -> t.serialNumber().equals("device-fleet"))
        .map(t -> t.code()).collect(Collectors.toSet());
    assertEquals(5, s3.tokensReceived().stream().filter(t -> t.serialNumber().equals("device-fleet")).count(),
        "exactly one code per bucket: none wasted");
    assertTrue(fleetCodes.size() >= 4, "codes of different steps");
    // A waiting bucket's status is written when it joins the queue and when its change is done,
    // not on every step it waits.
    List<String> statusWrites = kubernetes.drainWrites().stream()
        .filter(w -> w.contains("/namespaces/fleet/") && w.contains("/status")).toList();
    for (String name : names) {
      long writes = statusWrites.stream().filter(w -> w.contains("/" + name + "/status")).count();
      assertTrue(writes <= 3, name + " status written " + writes + " times: " + statusWrites);
    }
  }

  @Test
  void transientFailuresAreReportedAndRetriedWithBackoffNotAtTheCheckInterval() {
    s3.createBucket("flaky-bucket");
    s3.failObserve("flaky-bucket", new BucketStoreException(S3ErrorKind.ENDPOINT_UNREACHABLE, "ConnectException", 0,
        "No answer from the S3 endpoint (ConnectException)"));
    operator.create(protection("flaky", "flaky", "flaky-bucket", "Enabled"));
    BucketProtection reported = awaitReason("flaky", "flaky", "EndpointUnreachable");
    assertTrue(Resources.ready(reported).orElseThrow().getMessage().contains("retrying with back-off"));
    // The check interval is 1h; back-off starts at 2 s.
    await().atMost(TIMEOUT).until(() -> s3.calls("GetBucketVersioning", "flaky-bucket") >= 3);
    s3.clearFailures("flaky-bucket");
    awaitReason("flaky", "flaky", "Applied");
  }

  @Test
  void deletingAResourceLeavesTheBucketAsItIs() throws Exception {
    s3.createBucket("kept-bucket");
    operator.create(protection("delete", "kept", "kept-bucket", "Enabled"));
    awaitReason("delete", "kept", "Applied");
    kubernetes.client().resources(BucketProtection.class).inNamespace("delete").withName("kept").delete();
    await().atMost(TIMEOUT).until(() -> operator.get("delete", "kept") == null);
    int calls = s3.calls("GetBucketVersioning", "kept-bucket") + s3.calls("PutBucketVersioning", "kept-bucket");
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
        s3.calls("GetBucketVersioning", "kept-bucket") + s3.calls("PutBucketVersioning", "kept-bucket") == calls);
    assertEquals(new BucketState(VersioningStatus.ENABLED, false), s3.state("kept-bucket"));
  }
}

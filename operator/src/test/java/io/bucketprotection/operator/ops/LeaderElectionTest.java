package io.bucketprotection.operator.ops;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Configs;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RecordingBucketStore;
import io.bucketprotection.operator.testsupport.Resources;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two operator instances against one API server and one MFA-enforcing S3: only the leader
 * reconciles; when it stops, the other takes over, and its fresh MFA ledger spends no code that
 * the old leader might have used (the fake S3 refuses reused and earlier steps, as RGW does).
 * JOSDK would exit the process on a lost lease: the instances here run with that turned off.
 */
class LeaderElectionTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

  private static OperatorConfig config(String identity) {
    OperatorConfig c = OperatorConfig.fromEnvironment(Map.of("BPO_LEADER_ELECTION", "true",
        "BPO_LEADER_ELECTION_NAMESPACE", "bucket-protection-system", "POD_NAME", identity,
        "BPO_LEADER_ELECTION_LEASE_DURATION", "3s"));
    return Configs.withoutExitOnLeaderLoss(c);
  }

  private static long calls(RecordingBucketStore store) {
    return store.calls().values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWithoutBurningACode() throws Exception {
    FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice("ha-device", SEED, 1);
    RecordingBucketStore storeA = new RecordingBucketStore(s3);
    RecordingBucketStore storeB = new RecordingBucketStore(s3);
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      KubernetesClient clientA = kubernetes.newClient("operator-a");
      KubernetesClient clientB = kubernetes.newClient("operator-b");
      OperatorHarness a = new OperatorHarness(clientA, storeA, config("operator-a"));
      // Let a win the first election before b starts.
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        var lease = kubernetes.client().leases().inNamespace("bucket-protection-system")
            .withName("bucket-protection-operator").get();
        return lease != null && "operator-a".equals(lease.getSpec().getHolderIdentity());
      });
      OperatorHarness b = new OperatorHarness(clientB, storeB, config("operator-b"));
      // A standby is ready (to take over): the PodDisruptionBudget counts it.
      try (var server = io.bucketprotection.operator.http.OperatorHttpServer.probes(0, b.operator())) {
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + server.port() + "/readyz")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "standby /readyz: " + response.body());
      }
      kubernetes.client().resource(secret("ha", "seed", Map.of("seed", SEED))).create();
      kubernetes.client().resource(rootKeys("ha", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDLEADERELECTION01",
          "AWS_SECRET_ACCESS_KEY", "leader-election-secret-0123456789"))).create();

      List<String> first = IntStream.range(0, 3).mapToObj(i -> "ha-first-" + i).toList();
      for (String name : first) {
        s3.setState(name, new BucketState(VersioningStatus.ENABLED, false));
        kubernetes.client().resource(withCredentials(withMfaDelete(protection("ha", name, name, "Enabled"), "Enabled",
            "ha-device", "seed", 1), "keys")).create();
      }
      first.forEach(n -> Resources.awaitReason(kubernetes.client(), "ha", n, "Applied", Duration.ofSeconds(30)));
      long leaderCalls = calls(storeA);
      assertTrue(leaderCalls > 0, "a leads");
      assertEquals(0, calls(storeB), "the standby reconciled nothing");

      a.close(); // the leader goes away (its node is lost)
      clientA.close();
      List<String> second = IntStream.range(0, 3).mapToObj(i -> "ha-second-" + i).toList();
      for (String name : second) {
        s3.setState(name, new BucketState(VersioningStatus.ENABLED, false));
        kubernetes.client().resource(withCredentials(withMfaDelete(protection("ha", name, name, "Enabled"), "Enabled",
            "ha-device", "seed", 1), "keys")).create();
      }
      second.forEach(n -> Resources.awaitReason(kubernetes.client(), "ha", n, "Applied", Duration.ofSeconds(60)));
      assertTrue(calls(storeB) > 0, "b took over");
      assertEquals(leaderCalls, calls(storeA), "the old leader did nothing more");
      assertEquals(0, s3.codesRefused("ha-device"), "no code was reused across the hand-over");
      assertEquals(6, s3.tokensReceived().stream().filter(t -> t.serialNumber().equals("ha-device")).count());
      b.close();
      clientB.close();
    }
  }

  /**
   * The hand-over inside one MFA step, with a step (10 s) longer than the lease (3 s): the old
   * leader sends a code at the start of a step and goes away; the new leader takes over within
   * that step. Its restart guard must start at the hand-over (not when it was built, long
   * before), so its first code is of a later step than the old leader's last, and none is refused.
   */
  @Test
  void aHandOverInsideOneStepSendsNoCodeTheOldLeaderMayHaveUsed() throws Exception {
    int step = 10;
    FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice("handover-device", SEED, step);
    RecordingBucketStore storeA = new RecordingBucketStore(s3);
    RecordingBucketStore storeB = new RecordingBucketStore(s3);
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      KubernetesClient clientA = kubernetes.newClient("handover-a");
      KubernetesClient clientB = kubernetes.newClient("handover-b");
      OperatorHarness a = new OperatorHarness(clientA, storeA, config("handover-a"));
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        var lease = kubernetes.client().leases().inNamespace("bucket-protection-system")
            .withName("bucket-protection-operator").get();
        return lease != null && "handover-a".equals(lease.getSpec().getHolderIdentity());
      });
      // The standby is built now, long (in MFA terms) before it takes over.
      OperatorHarness b = new OperatorHarness(clientB, storeB, config("handover-b"));
      kubernetes.client().resource(secret("handover", "seed", Map.of("seed", SEED))).create();
      kubernetes.client().resource(rootKeys("handover", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDHANDOVERTEST0001",
          "AWS_SECRET_ACCESS_KEY", "handover-secret-0123456789"))).create();
      List<String> names = IntStream.range(0, 3).mapToObj(i -> "handover-" + i).toList();
      for (String name : names) {
        s3.setState(name, new BucketState(VersioningStatus.ENABLED, false));
        kubernetes.client().resource(withCredentials(withMfaDelete(protection("handover", name, name, "Enabled"),
            "Enabled", "handover-device", "seed", step), "keys")).create();
      }
      // The old leader sends its first code at the start of a step; it goes away right after.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
          .until(() -> storeA.tokensSent().size() >= 1);
      a.close();
      clientA.close();
      long lastOfA = storeA.tokensSent().stream().map(s3::acceptedStep).filter(java.util.Objects::nonNull)
          .mapToLong(Long::longValue).max().orElseThrow();
      assertTrue(System.currentTimeMillis() / 1000 / step == lastOfA, "the hand-over starts inside the old leader's step");

      // (The old leader may have gone before writing its last status: that bucket is then found in sync.)
      await().atMost(Duration.ofSeconds(90)).until(() -> names.stream()
          .allMatch(n -> List.of("Applied", "InSync").contains(readyReason(kubernetes.client()
              .resources(BucketProtection.class).inNamespace("handover").withName(n).get()))));
      assertEquals(0, s3.codesRefused("handover-device"), "no code the old leader may have used was sent again");
      long firstOfB = storeB.tokensSent().stream().map(s3::acceptedStep).filter(java.util.Objects::nonNull)
          .mapToLong(Long::longValue).min().orElseThrow();
      assertTrue(firstOfB > lastOfA, "the new leader's first step " + firstOfB + " comes after the old leader's last "
          + lastOfA);
      b.close();
      clientB.close();
    }
  }
}

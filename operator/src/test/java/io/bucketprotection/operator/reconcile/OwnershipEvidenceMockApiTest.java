package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may keep a bucket from another namespace's policy, against the real operator and the CRUD
 * mock API server: only a resource that is bound, whose last read of the bucket succeeded (kept in
 * its status as {@code status.bucketRead}) and that is older. A tenant's resource whose reads
 * cannot succeed (blank keys) or that is younger takes nothing; a hand-made resource in the
 * policy's own namespace still overrides a child (the team's choice).
 */
class OwnershipEvidenceMockApiTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String FLEET = "fleet";
  private static final String NEIGHBOUR = "neighbour";
  private static final String INTRUDER = "intruder";

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() {
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    for (String bucket : List.of("acme-a-logs", "acme-b-logs", "acme-c-logs", "acme-d-logs", "acme-e-logs")) {
      s3.setState(bucket, S3VersioningTable.U);
    }
    for (String namespace : List.of(FLEET, NEIGHBOUR, INTRUDER)) {
      kubernetes.ensureNamespace(namespace);
    }
    ClusterS3Account account = Accounts.cluster("fleet-root", List.of("acme-*"));
    account.getSpec().setCredentials(Accounts.operatorIdentity());
    account.getSpec().setNamespaces(Accounts.names(FLEET, NEIGHBOUR));
    kubernetes.client().resource(account).create();
    operator = new OperatorHarness(kubernetes.newClient("ownership-evidence-test"), s3,
        OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h")));
    operator.awaitAccountReady(account);

    // Before the policy: an intruder's resource (inline keys, so Tenancy binds it) whose keys are
    // blank, naming a bucket the policy will cover...
    kubernetes.client().resource(rootKeys(INTRUDER, "blank-keys", Map.of("AWS_ACCESS_KEY_ID", "  ",
        "AWS_SECRET_ACCESS_KEY", " \t "))).create();
    operator.create(withCredentials(protection(INTRUDER, "claim", "acme-a-logs", "Suspended"), "blank-keys"));
    // ...and a neighbour's resource, bound through the account, that reads its bucket: older than
    // any child, it keeps the bucket by the ordinary rule.
    operator.create(onAccount(protection(NEIGHBOUR, "older", "acme-e-logs", "Enabled")));
    operator.awaitConverged(NEIGHBOUR, "older", TIMEOUT);
    kubernetes.client().resource(Policies.policy(FLEET, "logs", "fleet-root", List.of("acme-*-logs"), List.of()))
        .create();
    await().atMost(TIMEOUT).until(() -> childBuckets().containsAll(Set.of("acme-b-logs", "acme-c-logs",
        "acme-d-logs")) && children().stream().allMatch(Resources::converged));
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
  }

  private static BucketProtection onAccount(BucketProtection resource) {
    resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "fleet-root"));
    return resource;
  }

  private static List<BucketProtection> children() {
    return kubernetes.client().resources(BucketProtection.class).inNamespace(FLEET)
        .withLabel(BucketProtectionPolicy.POLICY_LABEL, "logs").list().getItems();
  }

  private static Set<String> childBuckets() {
    return children().stream().map(c -> c.getSpec().getBucket()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static BucketProtection child(String bucket) {
    return children().stream().filter(c -> bucket.equals(c.getSpec().getBucket())).findFirst().orElse(null);
  }

  @Test
  void aResourceWithBlankKeysInAnotherNamespaceTakesNoBucketFromThePolicy() {
    // Its reconcile ends with a named reason, not an exception...
    operator.awaitReason(INTRUDER, "claim", "InvalidSecret", TIMEOUT);
    // ...and it never counts as able to read the bucket: the policy covers the bucket and writes it.
    await().atMost(TIMEOUT).until(() -> child("acme-a-logs") != null && Resources.converged(child("acme-a-logs")));
    assertEquals(VersioningStatus.ENABLED, s3.state("acme-a-logs").versioning());
  }

  @Test
  void anOlderResourceInAnotherNamespaceThatReadsItsBucketKeepsIt() {
    assertTrue(!childBuckets().contains("acme-e-logs"), "the neighbour's older resource keeps acme-e-logs: "
        + childBuckets());
    BucketProtectionPolicy policy = kubernetes.client().resources(BucketProtectionPolicy.class).inNamespace(FLEET)
        .withName("logs").get();
    assertTrue(policy.getStatus().getLeftToOthers().stream().anyMatch(s -> s.startsWith("acme-e-logs")),
        String.valueOf(policy.getStatus().getLeftToOthers()));
  }

  @Test
  void aYoungerResourceInAnotherNamespaceDoesNotPullABucketOutOfThePolicy() {
    assertNotNull(child("acme-c-logs"));
    operator.create(onAccount(protection(NEIGHBOUR, "younger", "acme-c-logs", "Suspended")));
    // It asks for something else (Suspended). The child is older and reads the bucket: the
    // neighbour's resource waits (Conflict), and writes nothing.
    operator.awaitReason(NEIGHBOUR, "younger", "Conflict", TIMEOUT);
    assertEquals(VersioningStatus.ENABLED, s3.state("acme-c-logs").versioning());
    assertNotNull(child("acme-c-logs"), "the policy keeps its child");
  }

  @Test
  void aHandMadeResourceInThePolicysNamespaceOverridesItsChild() {
    assertNotNull(child("acme-d-logs"));
    operator.create(onAccount(protection(FLEET, "hand-made", "acme-d-logs", "Enabled")));
    operator.awaitConverged(FLEET, "hand-made", TIMEOUT);
  }

  @Test
  void aSuccessfulReadIsKeptInTheStatusAsEvidence() {
    GenericKubernetesResource raw = kubernetes.client()
        .genericKubernetesResources("bucketprotection.io/v1alpha1", "BucketProtection")
        .inNamespace(NEIGHBOUR).withName("older").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) raw.getAdditionalProperties().get("status");
    @SuppressWarnings("unchecked")
    Map<String, Object> read = (Map<String, Object>) status.get("bucketRead");
    assertNotNull(read, "status.bucketRead: " + status);
    assertEquals("acme-e-logs", read.get("bucket"));
    assertEquals("ClusterS3Account fleet-root", read.get("account"));
    assertNotNull(read.get("endpointIdentity"));
    assertNotNull(read.get("time"));
    // A resource whose reads fail has none.
    GenericKubernetesResource intruder = kubernetes.client()
        .genericKubernetesResources("bucketprotection.io/v1alpha1", "BucketProtection")
        .inNamespace(INTRUDER).withName("claim").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> intruderStatus = (Map<String, Object>) intruder.getAdditionalProperties().get("status");
    assertTrue(intruderStatus == null || intruderStatus.get("bucketRead") == null, String.valueOf(intruderStatus));
  }
}

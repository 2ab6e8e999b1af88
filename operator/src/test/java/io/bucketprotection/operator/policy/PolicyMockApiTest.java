package io.bucketprotection.operator.policy;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * BucketProtectionPolicy against the real operator, JOSDK and the CRUD mock API server, with a fake
 * S3 that lists its buckets as AWS does. The steps run in order on one policy: they follow its life.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyMockApiTest {

  private static final String NAMESPACE = "fleet";
  private static final String USER_AGENT = "bucket-protection-operator-policy-test";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** One scanInterval (the minimum, 1m) and room to act on it. */
  private static final Duration NEXT_SCAN = Duration.ofSeconds(80);

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() throws Exception {
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    for (String bucket : List.of("acme-a-logs", "acme-b-logs", "acme-x-logs", "acme-c-data", "other-logs",
        "acme-h-logs")) {
      s3.setState(bucket, S3VersioningTable.U);
    }
    kubernetes.ensureNamespace(NAMESPACE);
    kubernetes.ensureNamespace("outsider");
    ClusterS3Account account = Accounts.cluster("fleet-root", List.of("acme-*"));
    account.getSpec().setCredentials(Accounts.operatorIdentity());
    account.getSpec().setNamespaces(Accounts.names(NAMESPACE));
    kubernetes.client().resource(account).create();
    // A resource a person made for a matching bucket, before the policy: the policy leaves it alone.
    BucketProtection hand = protection(NAMESPACE, "hand-made", "acme-h-logs", "Suspended");
    hand.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "fleet-root"));
    kubernetes.client().resource(hand).create();
    // An intruder's resource naming a matching bucket through an account that does not admit its
    // namespace: refused, so it manages nothing, and the policy still covers the bucket.
    BucketProtection intruder = protection("outsider", "squatter", "acme-a-logs", "Suspended");
    intruder.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "fleet-root"));
    kubernetes.client().resource(intruder).create();
    operator = new OperatorHarness(kubernetes.newClient(USER_AGENT), s3,
        OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h")));
    operator.awaitAccountReady(account);
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
  }

  static BucketProtectionPolicy policy(String namespace, String name, List<String> include, List<String> exclude) {
    return Policies.policy(namespace, name, "fleet-root", include, exclude);
  }

  private static List<BucketProtection> children(String namespace) {
    return kubernetes.client().resources(BucketProtection.class).inNamespace(namespace)
        .withLabel(BucketProtectionPolicy.POLICY_LABEL, "logs").list().getItems();
  }

  private static Set<String> childBuckets() {
    return children(NAMESPACE).stream().map(c -> c.getSpec().getBucket()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static BucketProtectionPolicy policyNow(String namespace, String name) {
    return kubernetes.client().resources(BucketProtectionPolicy.class).inNamespace(namespace).withName(name).get();
  }

  private static Condition ready(BucketProtectionPolicy policy) {
    return policy.getStatus() == null ? null : policy.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
  }

  private static boolean allChildrenConverged() {
    List<BucketProtection> children = children(NAMESPACE);
    return !children.isEmpty() && children.stream().allMatch(Resources::converged);
  }

  @Test
  @Order(1)
  void coversTheMatchingBucketsNotTheExcludedAndLeavesAHandMadeResourceAlone() {
    kubernetes.client().resource(policy(NAMESPACE, "logs", List.of("acme-*-logs", "other-logs"),
        List.of("acme-x-*"))).create();
    // other-logs matches the selector but not the account's globs (acme-*): never covered.
    await().atMost(TIMEOUT).until(() -> childBuckets().equals(Set.of("acme-a-logs", "acme-b-logs")));
    await().atMost(TIMEOUT).until(PolicyMockApiTest::allChildrenConverged);
    for (BucketProtection child : children(NAMESPACE)) {
      assertTrue(child.getMetadata().getName().length() <= 63, child.getMetadata().getName());
      assertEquals("logs", child.getMetadata().getOwnerReferences().get(0).getName());
      assertEquals(null, child.getMetadata().getAnnotations() == null ? null
          : child.getMetadata().getAnnotations().get("bucketprotection.io/allow-weakening"));
      assertEquals("1h", child.getSpec().getCheckInterval());
      assertEquals("fleet-root", child.getSpec().getAccountRef().getName());
    }
    assertEquals(S3VersioningTable.E, s3.state("acme-a-logs"));
    assertEquals(S3VersioningTable.U, s3.state("acme-x-logs"), "excluded");
    assertEquals(S3VersioningTable.U, s3.state("acme-c-data"), "not included");
    assertEquals(S3VersioningTable.U, s3.state("other-logs"), "not in the account's globs");
    await().atMost(TIMEOUT).until(() -> "AllProtected".equals(reason(policyNow(NAMESPACE, "logs"))));
    var status = policyNow(NAMESPACE, "logs").getStatus();
    assertEquals(3, status.getMatched(), "acme-a, acme-b and the hand-made one's bucket");
    assertEquals(2, status.getReady());
    assertEquals(List.of("acme-h-logs (BucketProtection fleet/hand-made)"), status.getLeftToOthers());
    // The hand-made resource keeps its bucket, as it asked (Suspended), and no child names it.
    assertTrue(children(NAMESPACE).stream().noneMatch(c -> c.getSpec().getBucket().equals("acme-h-logs")));
    operator.awaitConverged(NAMESPACE, "hand-made", TIMEOUT);
    assertEquals(VersioningStatus.SUSPENDED, s3.state("acme-h-logs").versioning());
  }

  private static String reason(BucketProtectionPolicy policy) {
    Condition ready = ready(policy);
    return ready == null ? null : ready.getReason();
  }

  @Test
  @Order(2)
  void aChildEditedByHandIsPutBack() {
    BucketProtection child = children(NAMESPACE).stream().filter(c -> c.getSpec().getBucket().equals("acme-a-logs"))
        .findFirst().orElseThrow();
    kubernetes.client().resource(child).edit(c -> {
      c.getSpec().setVersioning("Suspended");
      c.getMetadata().setAnnotations(Map.of("bucketprotection.io/allow-weakening", "acme-a-logs"));
      return c;
    });
    await().atMost(TIMEOUT).until(() -> {
      BucketProtection now = kubernetes.client().resource(child).get();
      return "Enabled".equals(now.getSpec().getVersioning())
          && (now.getMetadata().getAnnotations() == null || now.getMetadata().getAnnotations().isEmpty());
    });
    await().atMost(TIMEOUT).until(PolicyMockApiTest::allChildrenConverged);
    assertEquals(S3VersioningTable.E, s3.state("acme-a-logs"), "the bucket stayed protected");
  }

  @Test
  @Order(3)
  void aBucketCreatedLaterIsCoveredAtTheNextScanAndAGoneOnesChildIsDeleted() {
    s3.setState("acme-new-logs", S3VersioningTable.U);
    s3.deleteBucket("acme-b-logs");
    await().atMost(NEXT_SCAN).until(() -> childBuckets().equals(Set.of("acme-a-logs", "acme-new-logs")));
    await().atMost(TIMEOUT).until(() -> S3VersioningTable.E.equals(s3.state("acme-new-logs")));
    await().atMost(TIMEOUT).until(() -> "AllProtected".equals(reason(policyNow(NAMESPACE, "logs")))
        && policyNow(NAMESPACE, "logs").getStatus().getReady() == 2);
  }

  @Test
  @Order(4)
  void aScanThatFindsNothingNewCostsOneListingAndNoKubernetesWrite() throws Exception {
    // Everything settled after the last scan (which created a child): the next one finds nothing new.
    await().atMost(TIMEOUT).until(PolicyMockApiTest::allChildrenConverged);
    Thread.sleep(1_000);
    kubernetes.drainRequests();
    int gets = s3.calls("GetBucketVersioning");
    int window = s3.calls("ListBuckets");
    await().atMost(NEXT_SCAN).until(() -> s3.calls("ListBuckets") > window);
    Thread.sleep(2_000);
    List<String> writes = kubernetes.drainRequests().stream()
        .filter(r -> USER_AGENT.equals(r.getHeader("User-Agent")))
        .filter(r -> !"GET".equals(r.getMethod()))
        .map(r -> r.getMethod() + " " + r.getPath())
        .filter(call -> !call.contains("/leases/"))
        .toList();
    assertEquals(List.of(), writes, "no Kubernetes write for a scan that found nothing new");
    assertEquals(window + 1, s3.calls("ListBuckets"), "one page for six buckets");
    assertEquals(gets, s3.calls("GetBucketVersioning"), "the scan reads no bucket (the children check at 1h)");
  }

  @Test
  @Order(5)
  void aPolicyWhoseAccountDoesNotAdmitItsNamespaceCoversNothingAndSaysWhy() {
    int listings = s3.calls("ListBuckets");
    kubernetes.client().resource(policy("outsider", "logs", List.of("acme-*"), null)).create();
    await().atMost(TIMEOUT).until(() -> "NamespaceNotAllowed".equals(reason(policyNow("outsider", "logs"))));
    Condition ready = ready(policyNow("outsider", "logs"));
    assertEquals("False", ready.getStatus());
    assertTrue(ready.getMessage().contains("does not admit namespace outsider"), ready.getMessage());
    assertTrue(ready.getMessage().contains("covers nothing"), ready.getMessage());
    assertEquals(List.of(), children("outsider"));
    assertTrue(s3.calls("ListBuckets") <= listings + 1, "no listing for the refused policy (the other may scan)");
  }

  @Test
  @Order(6)
  void deletingThePolicyDeletesItsChildrenAndLeavesEveryBucketAsItWas() {
    Map<String, BucketState> before = Map.of("acme-a-logs", s3.state("acme-a-logs"), "acme-new-logs",
        s3.state("acme-new-logs"), "acme-h-logs", s3.state("acme-h-logs"));
    int puts = s3.calls("PutBucketVersioning");
    kubernetes.client().resources(BucketProtectionPolicy.class).inNamespace(NAMESPACE).withName("logs").delete();
    await().atMost(TIMEOUT).until(() -> children(NAMESPACE).isEmpty() && policyNow(NAMESPACE, "logs") == null);
    before.forEach((bucket, state) -> assertEquals(state, s3.state(bucket), bucket));
    assertEquals(puts, s3.calls("PutBucketVersioning"), "deleting writes no bucket");
    assertEquals(1, kubernetes.client().resources(BucketProtection.class).inNamespace(NAMESPACE).list().getItems()
        .size(), "only the hand-made resource is left");
  }
}

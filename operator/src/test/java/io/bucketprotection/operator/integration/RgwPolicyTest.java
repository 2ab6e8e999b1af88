package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;

/**
 * A BucketProtectionPolicy against a real MFA-enforcing RadosGW: it lists the account's buckets
 * (ListBuckets), covers the matching ones with versioning and MFA Delete (a code per change from
 * the account's device), leaves excluded buckets and a hand-made resource's bucket alone, covers
 * a bucket created later at its next scan, refuses a namespace its account does not admit, and
 * when deleted deletes its children and leaves every bucket as it was.
 */
class RgwPolicyTest {

  private static final String UID = "bpo-fleet";
  private static final String ACCESS_KEY = "BPOFLEETACCESSKEY001";
  private static final String SECRET_KEY = "fleet-secret-key-0123456789abcdefghijk";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/fleet-root";
  private static final String ADMIN = "bucket-protection-system";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  /** One scanInterval (1m, the least) and room to act on it. */
  private static final Duration NEXT_SCAN = Duration.ofSeconds(100);

  private static String state(S3Client s3, String bucket) {
    GetBucketVersioningResponse r = s3.getBucketVersioning(b -> b.bucket(bucket));
    return r.statusAsString() + "/" + r.mfaDeleteAsString();
  }

  @Test
  void coversMatchingBucketsThenNewOnesAndDeletingItLeavesEveryBucketAsItWas() throws Exception {
    RgwLab rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    rgw.createMfaDevice(UID, SERIAL, SEED, RgwIntegrationTest.STEP);
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(),
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "BPO_CLUSTER_RESOURCE_NAMESPACE", ADMIN));
    try (S3Client s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
         MockKubernetes kubernetes = new MockKubernetes();
         AwsBucketStore aws = BucketProtectionOperator.awsBucketStore(config);
         OperatorHarness operator = new OperatorHarness(kubernetes.client(), aws, config)) {
      for (String bucket : List.of("fl-a-logs", "fl-b-logs", "fl-x-logs", "fl-c-data", "fl-h-logs")) {
        s3.createBucket(r -> r.bucket(bucket));
      }
      var client = kubernetes.client();
      kubernetes.ensureNamespace(ADMIN);
      client.resource(rootKeys(ADMIN, "root-keys", Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
          "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
      client.resource(secret(ADMIN, "root-mfa", Map.of("seed", SEED))).create();
      ClusterS3Account account = Accounts.cluster("fleet-root", List.of("fl-*"));
      account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
      account.getSpec().setMfa(Accounts.mfa(SERIAL, "root-mfa", RgwIntegrationTest.STEP));
      account.getSpec().setNamespaces(Accounts.names("fleet"));
      operator.awaitAccountReady(client.resource(account).create());
      // A person's resource for a matching bucket, versioning only: the policy leaves it to it.
      BucketProtection hand = protection("fleet", "hand-made", "fl-h-logs", "Enabled");
      hand.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "fleet-root"));
      operator.create(hand);

      BucketProtectionPolicy policy = Policies.policy("fleet", "logs", "fleet-root", List.of("fl-*-logs"),
          List.of("fl-x-*"));
      policy.getSpec().getTemplate().setMfaDelete("Enabled");
      client.resource(policy).create();
      var children = client.resources(BucketProtection.class).inNamespace("fleet")
          .withLabel(BucketProtectionPolicy.POLICY_LABEL, "logs");
      await().atMost(TIMEOUT).until(() -> buckets(children.list().getItems()).equals(Set.of("fl-a-logs",
          "fl-b-logs")));
      await().atMost(TIMEOUT).until(() -> children.list().getItems().stream()
          .allMatch(Resources::converged));
      assertEquals("Enabled/Enabled", state(s3, "fl-a-logs"), "RadosGW took the operator's code");
      assertEquals("Enabled/Enabled", state(s3, "fl-b-logs"));
      assertEquals("null/null", state(s3, "fl-x-logs"), "excluded: never touched");
      assertEquals("null/null", state(s3, "fl-c-data"), "not included: never touched");
      operator.awaitConverged("fleet", "hand-made", TIMEOUT);
      assertEquals("Enabled/Disabled", state(s3, "fl-h-logs"), "the hand-made resource's bucket, as it asked");
      var policies = client.resources(BucketProtectionPolicy.class).inNamespace("fleet").withName("logs");
      await().atMost(TIMEOUT).until(() -> "AllProtected".equals(reason(policies.get())));
      assertEquals(List.of("fl-h-logs (BucketProtection fleet/hand-made)"), policies.get().getStatus().getLeftToOthers());

      // A bucket created while the policy runs: covered at the next scan.
      s3.createBucket(r -> r.bucket("fl-new-logs"));
      await().atMost(NEXT_SCAN).until(() -> buckets(children.list().getItems()).contains("fl-new-logs"));
      await().atMost(TIMEOUT).until(() -> "Enabled/Enabled".equals(state(s3, "fl-new-logs")));

      // Its account does not admit this namespace: nothing covered, and the policy says why.
      kubernetes.ensureNamespace("outsider");
      client.resource(Policies.policy("outsider", "logs", "fleet-root", List.of("fl-*"), null)).create();
      var outsider = client.resources(BucketProtectionPolicy.class).inNamespace("outsider").withName("logs");
      await().atMost(TIMEOUT).until(() -> "NamespaceNotAllowed".equals(reason(outsider.get())));
      assertEquals(List.of(), client.resources(BucketProtection.class).inNamespace("outsider").list().getItems());

      // Deleting the policy deletes its children and leaves every bucket as it was.
      Map<String, String> before = new LinkedHashMap<>();
      for (String bucket : List.of("fl-a-logs", "fl-b-logs", "fl-new-logs", "fl-h-logs", "fl-x-logs", "fl-c-data")) {
        before.put(bucket, state(s3, bucket));
      }
      policies.delete();
      await().atMost(TIMEOUT).until(() -> children.list().getItems().isEmpty() && policies.get() == null);
      Thread.sleep(2_000);
      for (Map.Entry<String, String> bucket : before.entrySet()) {
        assertEquals(bucket.getValue(), state(s3, bucket.getKey()), bucket.getKey());
      }
      assertTrue(client.resources(BucketProtection.class).inNamespace("fleet").withName("hand-made").get() != null);
    }
  }

  private static Set<String> buckets(List<BucketProtection> children) {
    return children.stream().map(c -> c.getSpec().getBucket()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static String reason(BucketProtectionPolicy policy) {
    return policy == null || policy.getStatus() == null ? null : policy.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(Condition::getReason).findFirst().orElse(null);
  }
}

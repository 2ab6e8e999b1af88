package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.unlabelledSecret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile or careless input through the real informer and reconciler: fields this version does
 * not know, values far past their limits, a Secret without the operator's label. None of it stops
 * the operator or holds its neighbours up, and each gets a condition that says what to do.
 */
class HostileInputMockApiTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() {
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    operator = new OperatorHarness(kubernetes.client(), s3,
        OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h")));
    operator.awaitAccountReady(kubernetes.client().resource(Accounts.defaultForEveryone()).create());
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
  }

  private static BucketProtection awaitReason(String namespace, String name, String reason) {
    return operator.awaitReason(namespace, name, reason, TIMEOUT);
  }

  /** As a newer CRD would let a user write it: the old operator's Java types lack the field. */
  private static void createRaw(String namespace, String json) {
    kubernetes.ensureNamespace(namespace);
    GenericKubernetesResource raw = Serialization.unmarshal(json, GenericKubernetesResource.class);
    kubernetes.client().genericKubernetesResources("bucketprotection.io/v1alpha1", "BucketProtection")
        .inNamespace(namespace).resource(raw).create();
  }

  @Test
  void aFieldThisVersionDoesNotKnowIsObservedNeverWrittenAndStopsNothing() {
    s3.setState("future-bucket", S3VersioningTable.S);
    s3.createBucket("future-neighbour");
    kubernetes.ensureNamespace("future");
    kubernetes.client().resource(rootKeys("future", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDFUTURETEST000001",
        "AWS_SECRET_ACCESS_KEY", "future-secret-0123456789"))).create();
    createRaw("future", """
        {"apiVersion": "bucketprotection.io/v1alpha1", "kind": "BucketProtection",
         "metadata": {"name": "newer", "namespace": "future"},
         "spec": {"bucket": "future-bucket", "versioning": "Enabled",
                  "retentionGuard": {"minimumDays": 30},
                  "mfa": {"serialNumber": "x", "totpSeed": {"secretKeyRef": {"name": "s", "key": "k", "version": 2}}},
                  "credentials": {"secretRef": {"name": "keys"}}}}""");
    operator.create(protection("future", "neighbour", "future-neighbour", "Enabled"));
    BucketProtection newer = awaitReason("future", "newer", "UnsupportedField");
    String message = Resources.ready(newer).orElseThrow().getMessage();
    assertTrue(message.contains("spec.retentionGuard"), message);
    assertTrue(message.contains("spec.mfa.totpSeed.secretKeyRef.version"), message);
    assertEquals("False", Resources.ready(newer).orElseThrow().getStatus());
    awaitReason("future", "neighbour", "Applied");
    assertTrue(message.contains("Observed: versioning Suspended"), message);
    assertTrue(s3.calls("GetBucketVersioning", "future-bucket") > 0, "observed");
    assertEquals(0, s3.calls("PutBucketVersioning", "future-bucket"), "never written");
    assertEquals(S3VersioningTable.S, s3.state("future-bucket"));
    assertTrue(operator.operator().getRuntimeInfo().isStarted(), "the operator goes on");
    assertTrue(operator.operator().getRuntimeInfo().allEventSourcesAreHealthy(), "the informer goes on");
  }

  @Test
  void valuesPastTheirLimitsAreInvalidSpecsAndTheirNeighboursConverge() {
    List<String> hostile = IntStream.range(0, 50).mapToObj(i -> "hostile-" + i).toList();
    for (String name : hostile) {
      s3.createBucket(name);
      BucketProtection bp = protection("hostile", name, name, "Enabled");
      bp.getSpec().setCheckInterval("1s".repeat(5_000)); // 10 KB; the CRD's maxLength would refuse it
      operator.create(bp);
    }
    BucketProtection huge = protection("hostile", "huge-bucket-name", "b".repeat(100_000), "Enabled");
    operator.create(huge);
    List<String> valid = IntStream.range(0, 5).mapToObj(i -> "valid-" + i).toList();
    for (String name : valid) {
      s3.createBucket(name);
      operator.create(protection("hostile", name, name, "Enabled"));
    }
    await().atMost(TIMEOUT).until(() -> valid.stream().allMatch(n -> "Applied".equals(readyReason(operator.get("hostile", n)))));
    await().atMost(TIMEOUT).until(() -> hostile.stream().allMatch(n -> "InvalidSpec".equals(readyReason(operator.get("hostile", n)))));
    String message = Resources.ready(operator.get("hostile", "hostile-0")).orElseThrow().getMessage();
    assertTrue(message.startsWith("spec.checkInterval is 10000 characters long, more than 32."), message);
    assertTrue(message.length() < 300, "the message does not quote the value: " + message.length());
    BucketProtection hugeNow = awaitReason("hostile", "huge-bucket-name", "InvalidSpec");
    assertTrue(Resources.ready(hugeNow).orElseThrow().getMessage().startsWith("spec.bucket is 100000 characters long"));
    assertTrue(hostile.stream().allMatch(n -> s3.calls("GetBucketVersioning", n) == 0), "no S3 call for them");
    assertTrue(operator.operator().getRuntimeInfo().allEventSourcesAreHealthy());
  }

  @Test
  void aSecretWithoutTheLabelIsNotReadAndTheUserIsToldToLabelIt() {
    s3.createBucket("label-bucket");
    kubernetes.ensureNamespace("labels");
    kubernetes.client().resource(unlabelledSecret("labels", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDLABELTEST0000001",
        "AWS_SECRET_ACCESS_KEY", "label-secret-0123456789"))).create();
    operator.create(withCredentials(protection("labels", "keys-unlabelled", "label-bucket", "Enabled"), "keys"));
    BucketProtection reported = awaitReason("labels", "keys-unlabelled", "SecretNotLabelled");
    String message = Resources.ready(reported).orElseThrow().getMessage();
    // Root keys are read with one GET, never cached: the GET sees the Secret and names the label it needs.
    assertTrue(message.contains("Secret labels/keys holds root keys but is not labelled"
        + " bucketprotection.io/secret=root-keys"), message);
    assertEquals(0, s3.calls("GetBucketVersioning", "label-bucket"));

    // A Secret that does not exist at all is still "not found".
    operator.create(withCredentials(protection("labels", "keys-missing", "label-bucket", "Enabled"), "nowhere"));
    awaitReason("labels", "keys-missing", "SecretNotFound");

    // Labelling it brings the resource back at once (the informer sees it; the check interval is 1h).
    kubernetes.client().resource(rootKeys("labels", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDLABELTEST0000001",
        "AWS_SECRET_ACCESS_KEY", "label-secret-0123456789"))).update();
    awaitReason("labels", "keys-unlabelled", "Applied");
  }
}

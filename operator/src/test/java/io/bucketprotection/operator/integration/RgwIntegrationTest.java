package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The operator against a real, MFA-enforcing S3 server (Ceph RadosGW from Debian's packages)
 * and the fabric8 CRUD mock API server. RGW devices use 5-second steps to keep this fast.
 */
class RgwIntegrationTest {

  static final String UID = "bpo-integration";
  static final String ACCESS_KEY = "BPOINTEGRATIONKEY001";
  static final String SECRET_KEY = "integration-secret-key-0123456789abcdefgh";
  static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  static final int STEP = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static RgwLab rgw;
  private static S3Client s3;
  private static MockKubernetes kubernetes;
  private static AwsBucketStore store;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 5000);
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
    kubernetes = new MockKubernetes();
    store = new AwsBucketStore("us-east-1", java.util.Set.of(), FailureVerdicts::isTransient);
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(), "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
    operator = new OperatorHarness(kubernetes.client(), store, config);
  }

  @AfterAll
  static void stop() {
    operator.close();
    store.close();
    kubernetes.close();
    s3.close();
  }

  private static void namespaceWithSecrets(String namespace, String seed) {
    kubernetes.client().resource(rootKeys(namespace, "aws-root",
        Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
    kubernetes.client().resource(secret(namespace, "root-mfa", Map.of("seed", seed))).create();
  }

  private static BucketProtection awaitReason(String namespace, String name, String reason) {
    return operator.awaitReason(namespace, name, reason, TIMEOUT);
  }

  private static GetBucketVersioningResponse versioning(String bucket) {
    return s3.getBucketVersioning(r -> r.bucket(bucket));
  }

  private static BucketProtection mfaProtection(String namespace, String name, String bucket, String serial) {
    return withCredentials(withMfaDelete(protection(namespace, name, bucket, "Enabled"), "Enabled", serial,
        "root-mfa", STEP), "aws-root");
  }

  @Test
  void enablesVersioningOnAnUnversionedBucket() {
    namespaceWithSecrets("rgw-plain", SEED);
    s3.createBucket(r -> r.bucket("it-plain"));
    assertNull(versioning("it-plain").status());
    operator.create(withCredentials(protection("rgw-plain", "plain", "it-plain", "Enabled"), "aws-root"));
    BucketProtection done = awaitReason("rgw-plain", "plain", "Applied");
    assertEquals("Enabled", done.getStatus().getVersioning());
    assertEquals(BucketVersioningStatus.ENABLED, versioning("it-plain").status());
  }

  @Test
  void enablesMfaDeleteWithAGeneratedCodeAndRgwThenRefusesPermanentDeletes() {
    rgw.createMfaDevice(UID, "arn:aws:iam::123456789012:mfa/it-enable", SEED, STEP);
    namespaceWithSecrets("rgw-mfa", SEED);
    s3.createBucket(r -> r.bucket("it-mfa"));
    operator.create(mfaProtection("rgw-mfa", "vault", "it-mfa", "arn:aws:iam::123456789012:mfa/it-enable"));
    BucketProtection done = awaitReason("rgw-mfa", "vault", "Applied");
    assertEquals("Enabled", done.getStatus().getMfaDelete());
    assertEquals(MFADeleteStatus.ENABLED, versioning("it-mfa").mfaDelete());
    assertEquals(BucketVersioningStatus.ENABLED, versioning("it-mfa").status());

    String versionId = s3.putObject(r -> r.bucket("it-mfa").key("ledger.csv"), RequestBody.fromString("x")).versionId();
    S3Exception refused = assertThrows(S3Exception.class,
        () -> s3.deleteObject(r -> r.bucket("it-mfa").key("ledger.csv").versionId(versionId)));
    assertEquals(403, refused.statusCode());
  }

  @Test
  void driftMadeOutOfBandIsDetectedAndPutBack() {
    namespaceWithSecrets("rgw-drift", SEED);
    s3.createBucket(r -> r.bucket("it-drift"));
    BucketProtection resource = withCredentials(protection("rgw-drift", "drift", "it-drift", "Enabled"), "aws-root");
    resource.getSpec().setCheckInterval("10s");
    operator.create(resource);
    awaitReason("rgw-drift", "drift", "Applied");

    s3.putBucketVersioning(r -> r.bucket("it-drift").versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)));
    await().atMost(TIMEOUT).until(() -> operator.get("rgw-drift", "drift").getStatus().getDriftCorrections() == 1);
    assertEquals(BucketVersioningStatus.ENABLED, versioning("it-drift").status());
    assertTrue(operator.eventReasons("rgw-drift", "drift").contains("Warning/DriftDetected"));
  }

  @Test
  void observeModeReportsAndWritesNothing() {
    namespaceWithSecrets("rgw-observe", SEED);
    s3.createBucket(r -> r.bucket("it-observe"));
    BucketProtection resource = withCredentials(protection("rgw-observe", "watch", "it-observe", "Enabled"), "aws-root");
    resource.getSpec().setMode("Observe");
    operator.create(resource);
    BucketProtection reported = awaitReason("rgw-observe", "watch", "DriftDetected");
    assertEquals("Unversioned", reported.getStatus().getVersioning());
    assertNull(versioning("it-observe").status());
  }

  @Test
  void aWrongSeedIsRefusedTwiceThenPausesTheDeviceAndAFixedSeedLiftsThePause() {
    String serial = "arn:aws:iam::123456789012:mfa/it-wrong-seed";
    rgw.createMfaDevice(UID, serial, SEED, STEP);
    namespaceWithSecrets("rgw-wrong", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    s3.createBucket(r -> r.bucket("it-wrong"));
    operator.create(mfaProtection("rgw-wrong", "wrong", "it-wrong", serial));
    BucketProtection paused = awaitReason("rgw-wrong", "wrong", "MfaDevicePaused");
    assertTrue(Resources.ready(paused).orElseThrow().getMessage().contains(serial));
    // The refused PUTs changed nothing: the bucket is still unversioned, MFA Delete never on.
    assertNull(versioning("it-wrong").status());
    assertNotEquals(MFADeleteStatus.ENABLED, versioning("it-wrong").mfaDelete());
    List<String> events = operator.eventReasons("rgw-wrong", "wrong");
    assertTrue(events.contains("Warning/MfaRejected") && events.contains("Warning/MfaDevicePaused"), events.toString());

    // The operator carries on with other work meanwhile.
    s3.createBucket(r -> r.bucket("it-after-wrong"));
    operator.create(withCredentials(protection("rgw-wrong", "after", "it-after-wrong", "Enabled"), "aws-root"));
    awaitReason("rgw-wrong", "after", "Applied");

    // RGW did not lock the device: once the seed is right, the next step's code is accepted.
    kubernetes.client().resource(secret("rgw-wrong", "root-mfa", Map.of("seed", SEED))).update();
    awaitReason("rgw-wrong", "wrong", "Applied");
    assertEquals(MFADeleteStatus.ENABLED, versioning("it-wrong").mfaDelete());
  }

  @Test
  void aSkewedOperatorClockIsCaughtWithRgwsDateHeaderBeforeAnyCodeIsSpent() {
    String serial = "arn:aws:iam::123456789012:mfa/it-skew";
    rgw.createMfaDevice(UID, serial, SEED, STEP);
    s3.createBucket(r -> r.bucket("it-skew"));
    try (MockKubernetes otherCluster = new MockKubernetes();
         AwsBucketStore otherStore = new AwsBucketStore("us-east-1", java.util.Set.of(), FailureVerdicts::isTransient);
         OperatorHarness skewed = new OperatorHarness(otherCluster.client(), otherStore,
             OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", rgw.endpoint().toString())),
             Clock.offset(Clock.systemUTC(), Duration.ofSeconds(-40)))) {
      otherCluster.client().resource(rootKeys("rgw-skew", "aws-root",
          Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
      otherCluster.client().resource(secret("rgw-skew", "root-mfa", Map.of("seed", SEED))).create();
      skewed.create(mfaProtection("rgw-skew", "skew", "it-skew", serial));
      await().atMost(TIMEOUT).until(() -> "ClockSkew".equals(readyReason(skewed.get("rgw-skew", "skew"))));
      String message = Resources.ready(skewed.get("rgw-skew", "skew")).orElseThrow().getMessage();
      assertTrue(message.matches(".*differ by (39|40|41) s.*"), message);
    }
    assertNull(versioning("it-skew").status());
  }

  @Test
  void oneS3ClientServesEveryBucketWithTheSameEndpointRegionAndKeys() {
    namespaceWithSecrets("rgw-clients", SEED);
    for (int i = 0; i < 3; i++) {
      String bucket = "it-clients-" + i;
      s3.createBucket(r -> r.bucket(bucket));
      operator.create(withCredentials(protection("rgw-clients", bucket, bucket, "Enabled"), "aws-root"));
    }
    await().atMost(TIMEOUT).until(() -> IntStream.range(0, 3)
        .allMatch(i -> "Applied".equals(readyReason(operator.get("rgw-clients", "it-clients-" + i)))));
    assertEquals(1, store.clientCount(), "every resource here uses the same endpoint, region and keys");
  }

  @Test
  void bucketsSharingOneDeviceAllConvergeWithNoRefusedCode() {
    String serial = "arn:aws:iam::123456789012:mfa/it-fleet";
    rgw.createMfaDevice(UID, serial, SEED, STEP);
    namespaceWithSecrets("rgw-fleet", SEED);
    List<String> buckets = IntStream.range(0, 4).mapToObj(i -> "it-fleet-" + i).toList();
    for (String bucket : buckets) {
      s3.createBucket(r -> r.bucket(bucket));
      operator.create(mfaProtection("rgw-fleet", bucket, bucket, serial));
    }
    await().atMost(TIMEOUT).until(() -> buckets.stream()
        .allMatch(b -> "Applied".equals(readyReason(operator.get("rgw-fleet", b)))));
    for (String bucket : buckets) {
      assertEquals(MFADeleteStatus.ENABLED, versioning(bucket).mfaDelete(), bucket);
      assertFalse(operator.eventReasons("rgw-fleet", bucket).contains("Warning/MfaRejected"), bucket);
    }
  }

  @Test
  void disablesMfaDeleteWhenTheSpecSaysSo() {
    String serial = "arn:aws:iam::123456789012:mfa/it-disable";
    rgw.createMfaDevice(UID, serial, SEED, STEP);
    namespaceWithSecrets("rgw-disable", SEED);
    s3.createBucket(r -> r.bucket("it-disable"));
    operator.create(mfaProtection("rgw-disable", "toggle", "it-disable", serial));
    awaitReason("rgw-disable", "toggle", "Applied");
    assertEquals(MFADeleteStatus.ENABLED, versioning("it-disable").mfaDelete());

    BucketProtection current = operator.get("rgw-disable", "toggle");
    current.getSpec().setMfaDelete("Disabled");
    // Switching MFA Delete off weakens the bucket: the resource carries its key for that.
    current.getMetadata().setAnnotations(java.util.Map.of("bucketprotection.io/allow-weakening", "it-disable"));
    kubernetes.client().resource(current).update();
    await().atMost(TIMEOUT).until(() -> {
      BucketProtection bp = operator.get("rgw-disable", "toggle");
      return bp.getStatus().getObservedGeneration() == 2 && "Applied".equals(readyReason(bp));
    });
    assertEquals(MFADeleteStatus.DISABLED, versioning("it-disable").mfaDelete());
    assertEquals(BucketVersioningStatus.ENABLED, versioning("it-disable").status());
  }
}

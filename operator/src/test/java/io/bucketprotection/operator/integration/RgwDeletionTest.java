package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.bench.S3CountingProxy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.MfaWireSteps;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;

/**
 * ObjectVersionDeletion against a real RadosGW with MFA Delete on, through a counting proxy: the
 * listed versions (a delete marker among them) go and nothing else, in one DeleteObjects that
 * carries one code; a manifest in the bucket is pinned and read; a request nobody approved sends
 * nothing.
 */
class RgwDeletionTest {

  private static final String UID = "bpo-deletion";
  private static final String ACCESS_KEY = "BPODELETIONACCESSKY1";
  private static final String SECRET_KEY = "deletion-secret-key-0123456789abcdefgh";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/deleter";
  private static final String SEED = "JBSWY3DPEHPK3PXPKRSXG5CTMVRXEZLU";
  private static final String BUCKET = "erase-logs";
  private static final String NS = "erase";
  private static final int STEP = RgwIntegrationTest.STEP;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static RgwLab rgw;
  private static S3Client s3;
  private static S3CountingProxy proxy;
  private static MockKubernetes kubernetes;
  private static AwsBucketStore aws;
  private static OperatorHarness operator;
  private static MfaWireSteps wire;

  @BeforeAll
  static void start() throws Exception {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 10);
    rgw.createMfaDevice(UID, SERIAL, SEED, STEP);
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
    s3.createBucket(r -> r.bucket(BUCKET));
    wire = new MfaWireSteps(Map.of(SERIAL, SEED), STEP);
    proxy = S3CountingProxy.start(rgw.endpoint());
    proxy.tapMfa((accessKey, value, at, kind) -> wire.record(value, at));
    kubernetes = new MockKubernetes();
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(),
        "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
    aws = new AwsBucketStore(config.defaultRegion(), Set.of(), FailureVerdicts::isTransient);
    operator = new OperatorHarness(kubernetes.client(), aws, config);
    var client = kubernetes.client();
    client.resource(rootKeys(NS, "root", Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
    client.resource(secret(NS, "seed", Map.of("seed", SEED))).create();
    S3Account account = Accounts.namespaced(NS, "own", List.of("erase-*"), "root");
    account.getSpec().setMfa(Accounts.mfa(SERIAL, "seed", STEP));
    account.getSpec().setVersionDeletion("Allow");
    client.resource(account).create();
    // The operator itself switches MFA Delete on.
    BucketProtection protection = protection(NS, BUCKET, BUCKET, "Enabled");
    protection.getSpec().setMfaDelete("Enabled");
    protection.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
    client.resource(protection).create();
    await().atMost(TIMEOUT).until(() -> "Applied".equals(readyReason(operator.get(NS, BUCKET))));
    assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(BUCKET)).mfaDelete());
  }

  @AfterAll
  static void stop() throws Exception {
    operator.close();
    aws.close();
    kubernetes.close();
    proxy.close();
    s3.close();
  }

  /** Every version of the bucket (delete markers included) as "key@versionId". */
  private static Set<String> versions() {
    Set<String> all = new HashSet<>();
    var listing = s3.listObjectVersions(r -> r.bucket(BUCKET));
    listing.versions().forEach(v -> all.add(v.key() + "@" + v.versionId()));
    listing.deleteMarkers().forEach(m -> all.add(m.key() + "@" + m.versionId()));
    return all;
  }

  private static String put(String key, String body) {
    return s3.putObject(r -> r.bucket(BUCKET).key(key), RequestBody.fromString(body)).versionId();
  }

  private static ObjectVersionDeletion request(String name, ObjectVersionDeletionSpec spec) {
    spec.setAccountRef(new AccountReference("S3Account", "own"));
    spec.setBucket(BUCKET);
    spec.setReason("ticket ERASE-" + name);
    ObjectVersionDeletion request = new ObjectVersionDeletion();
    request.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
    request.setSpec(spec);
    return kubernetes.client().resource(request).create();
  }

  private static void approve(ObjectVersionDeletion request) {
    kubernetes.client().resources(S3Account.class).inNamespace(NS).withName("own").patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(
            io.bucketprotection.operator.deletion.Approval.key(request),
            io.bucketprotection.operator.deletion.Approval.value(request))))));
  }

  private static String reason(String name) {
    ObjectVersionDeletion request = kubernetes.client().resources(ObjectVersionDeletion.class).inNamespace(NS)
        .withName(name).get();
    return request == null || request.getStatus() == null ? null : request.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(c -> c.getReason()).findFirst().orElse(null);
  }

  @Test
  void listedVersionsGoInOneCodedDeleteObjectsAndNothingElseDoes() throws Exception {
    List<String> listed = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String key = "customer-" + i + ".json";
      listed.add(key + "@" + put(key, "v1 of " + i));
      put(key, "v2 of " + i);
    }
    // A delete marker, listed too: removing it brings the object back.
    String marker = s3.deleteObject(r -> r.bucket(BUCKET).key("customer-0.json")).versionId();
    listed.add("customer-0.json@" + marker);
    // A manifest of three versions, in the bucket's manifest prefix.
    List<String> inManifest = new ArrayList<>();
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      String key = "from manifest/" + i + ".txt";
      String version = put(key, "to erase " + i);
      inManifest.add(key + "@" + version);
      csv.append(BUCKET).append(',').append(java.net.URLEncoder.encode(key, StandardCharsets.UTF_8)).append(',')
          .append(version).append('\n');
    }
    put("bucketprotection-manifests/erase.csv", csv.toString());
    Set<String> before = versions();
    ObjectVersionDeletionSpec inline = new ObjectVersionDeletionSpec();
    inline.setVersions(listed.stream().map(v -> new ObjectVersionDeletionSpec.VersionReference(
        v.substring(0, v.indexOf('@')), v.substring(v.indexOf('@') + 1))).toList());
    ObjectVersionDeletion first = request("inline", inline);
    ObjectVersionDeletionSpec fromManifest = new ObjectVersionDeletionSpec();
    fromManifest.setManifest(new ObjectVersionDeletionSpec.ManifestReference(BUCKET,
        "bucketprotection-manifests/erase.csv"));
    ObjectVersionDeletion second = request("manifest", fromManifest);
    request("unapproved", inline);
    await().atMost(TIMEOUT).until(() -> "AwaitingApproval".equals(reason("manifest"))
        && "AwaitingApproval".equals(reason("inline")) && "AwaitingApproval".equals(reason("unapproved")));
    S3CountingProxy.Counts start = proxy.snapshot();
    approve(first);
    await().atMost(TIMEOUT).until(() -> "Completed".equals(reason("inline")));
    approve(second);
    await().atMost(TIMEOUT).until(() -> "Completed".equals(reason("manifest")));
    S3CountingProxy.Counts used = proxy.snapshot().minus(start);

    Set<String> expected = new HashSet<>(before);
    listed.forEach(expected::remove);
    inManifest.forEach(expected::remove);
    assertEquals(expected, versions(), "exactly the listed versions are gone");
    assertEquals(2, used.requests(S3CountingProxy.DELETE_OBJECTS_MFA), "one DeleteObjects per request: " + used);
    assertEquals(0, used.requests(S3CountingProxy.DELETE_OBJECTS), "none without a code on an MFA Delete bucket");
    assertEquals(2, used.requests(ACCESS_KEY, S3CountingProxy.DELETE_OBJECTS_MFA), "signed by the root keys");
    wire.assertEachDeviceAtMostOncePerStepAndIncreasing();
    ObjectVersionDeletion done = kubernetes.client().resources(ObjectVersionDeletion.class).inNamespace(NS)
        .withName("inline").get();
    assertEquals(10L, done.getStatus().getDeleted());
    assertEquals(1L, done.getStatus().getDeleteMarkersRemoved());
    assertEquals("AwaitingApproval", reason("unapproved"), "a request nobody approved sends nothing");
    assertTrue(s3.getObject(r -> r.bucket(BUCKET).key("customer-0.json")).response().versionId() != null,
        "removing the marker brought customer-0.json back");
    Set<String> remainingKeys = versions().stream().map(v -> v.substring(0, v.indexOf('@')))
        .collect(Collectors.toSet());
    assertTrue(remainingKeys.contains("bucketprotection-manifests/erase.csv"));
  }
}

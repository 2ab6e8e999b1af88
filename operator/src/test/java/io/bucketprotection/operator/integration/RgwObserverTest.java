package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.AssumeRoleSpec;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.ObserverSpec;
import io.bucketprotection.operator.bench.S3CountingProxy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;

/**
 * Who signs what, counted at the wire against a real RadosGW: a proxy between the operator and
 * RadosGW counts every request by the access key in its SigV4 Credential. The bucket owner's root
 * keys sign only the PutBucketVersioning that carries x-amz-mfa; the account's observer (a
 * subuser of the owner, or a role session from RadosGW's STS) signs every read, lifecycle read,
 * listing and write that needs no code; an account without an observer signs its reads with
 * root, and says so.
 */
class RgwObserverTest {

  private static final String OWNER = "bpo-obs-owner";
  private static final String ROOT_KEY = "BPOOBSROOTACCESSKEY1";
  private static final String ROOT_SECRET = "obs-root-secret-key-0123456789abcdef";
  private static final String OBSERVER_KEY = "BPOOBSOBSERVERKEY001";
  private static final String OBSERVER_SECRET = "obs-observer-secret-0123456789abcdef";
  private static final String OPERATOR_UID = "bpo-obs-operator";
  private static final String OPERATOR_KEY = "BPOOBSOPERATORKEY001";
  private static final String OPERATOR_SECRET = "obs-operator-secret-0123456789abcdef";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/observer-test";
  private static final String ADMIN = "bucket-protection-system";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static RgwLab rgw;
  private static S3Client owner;
  private static S3CountingProxy proxy;
  private static MockKubernetes kubernetes;
  private static AwsBucketStore aws;
  private static OperatorHarness operator;
  private static String roleArn;

  @BeforeAll
  static void start() throws Exception {
    rgw = RgwLab.shared();
    rgw.createUser(OWNER, ROOT_KEY, ROOT_SECRET, 100);
    rgw.createMfaDevice(OWNER, SERIAL, SEED, RgwIntegrationTest.STEP);
    // The observer: a subuser of the owner ("full": RadosGW refuses a readwrite subuser the
    // lifecycle read, RgwIdentitiesTest), acting on the owner's buckets with keys of its own.
    rgw.createSubuser(OWNER, "observer", "full", OBSERVER_KEY, OBSERVER_SECRET);
    // The operator's own identity, and a role of the owner it may assume (RadosGW's STS).
    rgw.createUser(OPERATOR_UID, OPERATOR_KEY, OPERATOR_SECRET, 10);
    roleArn = rgw.createRole(OWNER, "bpo-obs-observer", OPERATOR_UID, "{\"Version\":\"2012-10-17\",\"Statement\":"
        + "[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetBucketVersioning\",\"s3:PutBucketVersioning\","
        + "\"s3:GetLifecycleConfiguration\",\"s3:ListAllMyBuckets\"],\"Resource\":[\"arn:aws:s3:::*\"]}]}", null);
    owner = rgw.client(ROOT_KEY, ROOT_SECRET);
    for (String bucket : List.of("obs-locked", "obs-plain", "obs-role", "obs-rooted", "obs-p-one", "obs-p-two")) {
      owner.createBucket(r -> r.bucket(bucket));
    }
    owner.putBucketVersioning(r -> r.bucket("obs-locked").versioningConfiguration(c -> c.status(
        BucketVersioningStatus.ENABLED)));
    proxy = S3CountingProxy.start(rgw.endpoint());
    kubernetes = new MockKubernetes();
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(),
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "BPO_CLUSTER_RESOURCE_NAMESPACE", ADMIN));
    aws = new AwsBucketStore(config.defaultRegion(), Set.of(), FailureVerdicts::isTransient,
        AwsBucketStore.DEFAULT_CLIENT_CAPACITY,
        StaticCredentialsProvider.create(AwsBasicCredentials.create(OPERATOR_KEY, OPERATOR_SECRET)));
    operator = new OperatorHarness(kubernetes.client(), aws, config);
    var client = kubernetes.client();
    kubernetes.ensureNamespace(ADMIN);
    client.resource(rootKeys(ADMIN, "obs-root", Map.of("AWS_ACCESS_KEY_ID", ROOT_KEY,
        "AWS_SECRET_ACCESS_KEY", ROOT_SECRET))).create();
    client.resource(secret(ADMIN, "obs-observer", Map.of("AWS_ACCESS_KEY_ID", OBSERVER_KEY,
        "AWS_SECRET_ACCESS_KEY", OBSERVER_SECRET))).create();
    client.resource(secret(ADMIN, "obs-mfa", Map.of("seed", SEED))).create();
  }

  @AfterAll
  static void stop() throws Exception {
    operator.close();
    aws.close();
    kubernetes.close();
    proxy.close();
    owner.close();
  }

  private static ClusterS3Account account(String name, List<String> buckets, ObserverSpec observer) {
    ClusterS3Account account = Accounts.cluster(name, buckets);
    account.getSpec().setCredentials(Accounts.secretRef("obs-root"));
    account.getSpec().setObserver(observer);
    account.getSpec().setMfa(Accounts.mfa(SERIAL, "obs-mfa", RgwIntegrationTest.STEP));
    account.getSpec().setNamespaces(Accounts.names("observed"));
    return account;
  }

  private static BucketProtection protect(String name, String bucket, String mfaDelete, String account) {
    BucketProtection resource = protection("observed", name, bucket, "Enabled");
    resource.getSpec().setMfaDelete(mfaDelete);
    resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", account));
    return resource;
  }

  @Test
  void rootSignsOnlyTheCodedWriteAndTheObserverEverythingElse() {
    operator.awaitAccountReady(kubernetes.client().resource(account("obs-subuser", List.of("obs-locked",
        "obs-plain", "obs-p-*"), Accounts.observerSecret("obs-observer"))).create());
    S3CountingProxy.Counts before = proxy.snapshot();
    operator.create(protect("locked", "obs-locked", "Enabled", "obs-subuser"));
    operator.create(protect("plain", "obs-plain", null, "obs-subuser"));
    operator.awaitReason("observed", "locked", "Applied", TIMEOUT);
    operator.awaitReason("observed", "plain", "Applied", TIMEOUT);
    assertEquals(MFADeleteStatus.ENABLED, owner.getBucketVersioning(r -> r.bucket("obs-locked")).mfaDelete(),
        "RadosGW took the code");

    S3CountingProxy.Counts wave = proxy.snapshot().minus(before);
    assertEquals(Map.of(S3CountingProxy.PUT_VERSIONING_MFA, 1L), wave.requestsSignedBy(ROOT_KEY),
        "root signed exactly the one coded write: " + wave.byKey());
    // Each reconcile reads again (the coded change re-reads after waiting for its step): at least one a bucket.
    assertTrue(wave.requests(OBSERVER_KEY, S3CountingProxy.GET_VERSIONING) >= 2, wave.byKey().toString());
    assertTrue(wave.requests(OBSERVER_KEY, S3CountingProxy.GET_LIFECYCLE) >= 1, wave.byKey().toString());
    assertEquals(1L, wave.requests(OBSERVER_KEY, S3CountingProxy.PUT_VERSIONING));
    assertEquals(0L, wave.requests(OBSERVER_KEY, S3CountingProxy.PUT_VERSIONING_MFA), "no code rides without need");

    // A drift check of both buckets (the interval made short): the observer reads, root nothing.
    S3CountingProxy.Counts quietBefore = proxy.snapshot();
    for (String name : List.of("locked", "plain")) {
      BucketProtection stored = operator.get("observed", name);
      stored.getSpec().setCheckInterval("10s");
      kubernetes.client().resource(stored).update();
    }
    await().atMost(TIMEOUT).until(() -> proxy.snapshot().minus(quietBefore)
        .requests(OBSERVER_KEY, S3CountingProxy.GET_VERSIONING) >= 2);
    S3CountingProxy.Counts quiet = proxy.snapshot().minus(quietBefore);
    assertEquals(Map.of(), quiet.requestsSignedBy(ROOT_KEY), "a quiet check is never root: " + quiet.byKey());

    // A policy over the account's buckets: the observer (a subuser lists its owner's buckets) lists.
    S3CountingProxy.Counts listBefore = proxy.snapshot();
    kubernetes.client().resource(Policies.policy("observed", "obs-fleet", "obs-subuser", List.of("obs-p-*"),
        List.of())).create();
    var children = kubernetes.client().resources(BucketProtection.class).inNamespace("observed")
        .withLabel(BucketProtectionPolicy.POLICY_LABEL, "obs-fleet");
    await().atMost(TIMEOUT).until(() -> children.list().getItems().size() == 2
        && children.list().getItems().stream().allMatch(Resources::converged));
    S3CountingProxy.Counts listing = proxy.snapshot().minus(listBefore);
    assertTrue(listing.requests(OBSERVER_KEY, S3CountingProxy.LIST_BUCKETS) >= 1, listing.byKey().toString());
    assertEquals(Map.of(), listing.requestsSignedBy(ROOT_KEY), "root neither lists nor reads: " + listing.byKey());
  }

  @Test
  void aRoleSessionFromRadosGwStsObservesAndWritesWhatNeedsNoCode() {
    ObserverSpec role = new ObserverSpec();
    role.setAssumeRole(new AssumeRoleSpec(roleArn, null));
    ClusterS3Account account = kubernetes.client().resource(account("obs-role", List.of("obs-role"), role)).create();
    operator.awaitAccountReady(account);
    S3CountingProxy.Counts before = proxy.snapshot();
    operator.create(protect("role", "obs-role", null, "obs-role"));
    operator.awaitReason("observed", "role", "Applied", TIMEOUT);
    assertEquals(BucketVersioningStatus.ENABLED, owner.getBucketVersioning(r -> r.bucket("obs-role")).status());
    S3CountingProxy.Counts wave = proxy.snapshot().minus(before);
    assertEquals(Map.of(), wave.requestsSignedBy(ROOT_KEY), "root signed nothing: " + wave.byKey());
    // The session's keys (issued by RadosGW's STS) signed the read and the write.
    long bySession = wave.signingKeys().stream()
        .filter(key -> !Set.of(ROOT_KEY, OBSERVER_KEY, OPERATOR_KEY, S3CountingProxy.ANONYMOUS).contains(key))
        .mapToLong(key -> wave.requests(key, S3CountingProxy.GET_VERSIONING) + wave.requests(key,
            S3CountingProxy.PUT_VERSIONING))
        .sum();
    assertEquals(2L, bySession, wave.byKey().toString());
    // The operator's own identity only asked STS for the session (the account check did, once).
    assertEquals(Set.of(), Set.copyOf(wave.requestsSignedBy(OPERATOR_KEY).keySet()).stream()
        .filter(kind -> !kind.equals(S3CountingProxy.STS_ASSUME_ROLE)).collect(java.util.stream.Collectors.toSet()));
  }

  /**
   * A tenant points a resource at a bucket inside the account's globs that the account does not
   * own: its owner lets the account read it (a bucket policy) but not write it, so each coded
   * write is refused after spending a code. Two refusals pause that namespace only; the device
   * keeps serving the account's own buckets in the other namespace.
   */
  @Test
  void aForeignBucketInsideTheGlobsPausesOnlyItsOwnNamespace() {
    rgw.createUser("bpo-obs-foreign", "BPOOBSFOREIGNKEY0001", "obs-foreign-secret-0123456789abcdef", 10);
    try (S3Client foreign = rgw.client("BPOOBSFOREIGNKEY0001", "obs-foreign-secret-0123456789abcdef")) {
      foreign.createBucket(r -> r.bucket("obs-foreign"));
      foreign.putBucketVersioning(r -> r.bucket("obs-foreign").versioningConfiguration(c -> c.status(
          BucketVersioningStatus.ENABLED)));
      foreign.putBucketPolicy(r -> r.bucket("obs-foreign").policy("{\"Version\":\"2012-10-17\",\"Statement\":[{"
          + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam:::user/" + OWNER + "\"]},\"Action\":["
          + "\"s3:GetBucketVersioning\",\"s3:GetLifecycleConfiguration\"],\"Resource\":[\"arn:aws:s3:::obs-foreign\"]}]}"));
    }
    for (String bucket : List.of("obs-team-a", "obs-team-b")) {
      owner.createBucket(r -> r.bucket(bucket));
      owner.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(c -> c.status(
          BucketVersioningStatus.ENABLED)));
    }
    ClusterS3Account shared = account("obs-shared", List.of("obs-foreign", "obs-team-*"),
        Accounts.observerSecret("obs-observer"));
    shared.getSpec().setNamespaces(Accounts.names("observed", "intruder"));
    operator.awaitAccountReady(kubernetes.client().resource(shared).create());
    kubernetes.ensureNamespace("intruder");
    BucketProtection intrusion = protection("intruder", "foreign", "obs-foreign", "Enabled");
    intrusion.getSpec().setMfaDelete("Enabled");
    intrusion.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "obs-shared"));
    operator.create(intrusion);
    BucketProtection paused = operator.awaitReason("intruder", "foreign", "MfaDevicePaused", TIMEOUT);
    assertTrue(Resources.ready(paused).orElseThrow().getMessage().contains("paused for this namespace"),
        Resources.ready(paused).orElseThrow().getMessage());

    // The device still serves the account's own buckets, in the other namespace.
    operator.create(protect("team-a", "obs-team-a", "Enabled", "obs-shared"));
    operator.create(protect("team-b", "obs-team-b", "Enabled", "obs-shared"));
    operator.awaitReason("observed", "team-a", "Applied", TIMEOUT);
    operator.awaitReason("observed", "team-b", "Applied", TIMEOUT);
    assertEquals(MFADeleteStatus.ENABLED, owner.getBucketVersioning(r -> r.bucket("obs-team-b")).mfaDelete());
    assertEquals("MfaDevicePaused", Resources.readyReason(operator.get("intruder", "foreign")));
  }

  /**
   * RadosGW 16 has no sts:GetCallerIdentity: a tenant's claim on a device cannot be proved there.
   * The account says so and serves (only the ClusterS3Account rule protects the device).
   */
  @Test
  void onRadosGwATenantsDeviceClaimIsUnprovableAndItsAccountServes() {
    kubernetes.ensureNamespace("tenant-lab");
    var client = kubernetes.client();
    client.resource(rootKeys("tenant-lab", "own-root", Map.of("AWS_ACCESS_KEY_ID", ROOT_KEY,
        "AWS_SECRET_ACCESS_KEY", ROOT_SECRET))).create();
    client.resource(secret("tenant-lab", "own-observer", Map.of("AWS_ACCESS_KEY_ID", OBSERVER_KEY,
        "AWS_SECRET_ACCESS_KEY", OBSERVER_SECRET))).create();
    client.resource(secret("tenant-lab", "own-mfa", Map.of("seed", SEED))).create();
    var account = Accounts.namespaced("tenant-lab", "own", List.of("obs-tenant-*"), "own-root");
    account.getSpec().setObserver(Accounts.observerSecret("own-observer"));
    account.getSpec().setMfa(Accounts.mfa("arn:aws:iam::123456789012:mfa/tenant-lab", "own-mfa",
        RgwIntegrationTest.STEP));
    rgw.createMfaDevice(OWNER, "arn:aws:iam::123456789012:mfa/tenant-lab", SEED, RgwIntegrationTest.STEP);
    client.resource(account).create();
    var handle = client.resources(io.bucketprotection.operator.api.S3Account.class).inNamespace("tenant-lab")
        .withName("own");
    await().atMost(TIMEOUT).until(() -> handle.get().getStatus() != null && handle.get().getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
    assertEquals("Unprovable", handle.get().getStatus().getDeviceProof().getOutcome());
    owner.createBucket(r -> r.bucket("obs-tenant-a"));
    owner.putBucketVersioning(r -> r.bucket("obs-tenant-a").versioningConfiguration(c -> c.status(
        BucketVersioningStatus.ENABLED)));
    BucketProtection resource = protection("tenant-lab", "a", "obs-tenant-a", "Enabled");
    resource.getSpec().setMfaDelete("Enabled");
    resource.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
    operator.create(resource);
    operator.awaitReason("tenant-lab", "a", "Applied", TIMEOUT);
  }

  @Test
  void anAccountWithoutAnObserverReadsWithRootAndItsStatusSaysSo() {
    ClusterS3Account account = account("obs-none", List.of("obs-rooted"), null);
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
    var stored = kubernetes.client().resources(ClusterS3Account.class).withName("obs-none").get();
    var finding = stored.getStatus().getConditions().stream().filter(c -> "RootUsedForReads".equals(c.getType()))
        .findFirst().orElseThrow();
    assertEquals("True", finding.getStatus());
    S3CountingProxy.Counts before = proxy.snapshot();
    operator.create(protect("rooted", "obs-rooted", null, "obs-none"));
    operator.awaitReason("observed", "rooted", "Applied", TIMEOUT);
    S3CountingProxy.Counts wave = proxy.snapshot().minus(before);
    assertEquals(1L, wave.requests(ROOT_KEY, S3CountingProxy.GET_VERSIONING), wave.byKey().toString());
    assertEquals(1L, wave.requests(ROOT_KEY, S3CountingProxy.PUT_VERSIONING));
  }
}

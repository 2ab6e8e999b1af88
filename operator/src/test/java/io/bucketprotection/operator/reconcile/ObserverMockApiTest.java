package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.AssumeRoleSpec;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.ObserverSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.Signer.Role;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Root only for the request that needs it, against the real operator and the mock API server:
 * the account's observer signs reads, lifecycle reads and writes that need no code; the root keys
 * sign only the PutBucketVersioning that carries a code, and are read for it with one GET (or
 * one GetSecretValue), counted at the API server and at the Secrets Manager endpoint, in front of
 * every cache. The S3 side is the fake store (it records who signed each call); RgwObserverTest
 * counts the same at the wire against RadosGW.
 */
class ObserverMockApiTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String DEVICE = "arn:aws:iam::123456789012:mfa/observer-root";
  /** The Secrets Manager account's own device: one device serves one seed source. */
  private static final String SM_DEVICE = "arn:aws:iam::123456789012:mfa/observer-sm";
  private static final String SYSTEM = "bucket-protection-system";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static FakeSecretsManagerServer secretsManager;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() throws Exception {
    // The operator's own identity, with which it reads Secrets Manager.
    System.setProperty("aws.accessKeyId", "OPERATORIDENTITY0001");
    System.setProperty("aws.secretAccessKey", "operator-identity-secret-key-0123456789");
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice(DEVICE, SEED, 1);
    s3.registerDevice(SM_DEVICE, SEED, 1);
    secretsManager = new FakeSecretsManagerServer();
    secretsManager.putSecret("observer/root", Accounts.rootKeysJson("AKIDSMROOTOBSERVER01", "sm-root-secret-0123456789"));
    secretsManager.putSecret("observer/seed", "{\"seed\":\"" + SEED + "\"}");
    operator = new OperatorHarness(kubernetes.client(), s3, OperatorConfig.fromEnvironment(Map.of(
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "BPO_CLUSTER_RESOURCE_NAMESPACE", SYSTEM,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString())));
    kubernetes.ensureNamespace(SYSTEM);
    kubernetes.ensureNamespace("readers");
    // The admin's account: an observer's keys, and root keys that sign only coded writes.
    kubernetes.client().resource(secret(SYSTEM, "observer-keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDOBSERVER00000001",
        "AWS_SECRET_ACCESS_KEY", "observer-secret-0123456789"))).create();
    kubernetes.client().resource(rootKeys(SYSTEM, "root-keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDROOTOBSERVED0001",
        "AWS_SECRET_ACCESS_KEY", "root-secret-0123456789"))).create();
    kubernetes.client().resource(secret(SYSTEM, "root-mfa", Map.of("seed", SEED))).create();
  }

  @AfterAll
  static void stop() throws Exception {
    operator.close();
    secretsManager.close();
    kubernetes.close();
  }

  private static ClusterS3Account account(String name, String bucketGlob) {
    ClusterS3Account account = Accounts.cluster(name, List.of(bucketGlob));
    account.getSpec().setNamespaces(Accounts.names("readers"));
    account.getSpec().setMfa(Accounts.mfa(DEVICE, "root-mfa", 1));
    return account;
  }

  private static BucketProtection protect(String name, String bucket, String mfaDelete, String account) {
    BucketProtection resource = protection("readers", name, bucket, "Enabled");
    resource.getSpec().setMfaDelete(mfaDelete);
    resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", account));
    return resource;
  }

  private static Optional<Condition> condition(String account, String type) {
    ClusterS3Account stored = kubernetes.client().resources(ClusterS3Account.class).withName(account).get();
    return stored == null || stored.getStatus() == null ? Optional.empty()
        : stored.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private static final List<String> OPERATIONS = List.of("GetBucketVersioning", "GetBucketLifecycleConfiguration",
      "PutBucketVersioning", "PutBucketVersioning with a code");

  /** Calls by "role operation", so far. */
  private static Map<String, Integer> signedCalls() {
    Map<String, Integer> calls = new java.util.TreeMap<>();
    for (Role role : Role.values()) {
      OPERATIONS.forEach(op -> calls.put(role.label() + " " + op, s3.callsSignedBy(role, op)));
    }
    return calls;
  }

  private static Map<String, Integer> since(Map<String, Integer> before) {
    Map<String, Integer> now = signedCalls();
    now.replaceAll((k, v) -> v - before.get(k));
    return now;
  }

  private static long rootSecretGets(List<RecordedRequest> requests, String name) {
    return requests.stream().filter(r -> "GET".equals(r.getMethod())
        && r.getPath().startsWith("/api/v1/namespaces/" + SYSTEM + "/secrets/" + name)).count();
  }

  @Test
  void theObserverSignsEveryReadAndRootOnlyTheWriteThatCarriesACode() throws Exception {
    ClusterS3Account account = account("observed", "obs-*");
    account.getSpec().setObserver(Accounts.observerSecret("observer-keys"));
    account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
    assertEquals("False", condition("observed", "RootUsedForReads").orElseThrow().getStatus());
    s3.setState("obs-locked", new BucketState(VersioningStatus.ENABLED, false));
    s3.setState("obs-plain", new BucketState(VersioningStatus.SUSPENDED, false));
    kubernetes.drainRequests();
    // The store is shared by the class's tests: count this test's calls only.
    Map<String, Integer> before = signedCalls();

    operator.create(protect("locked", "obs-locked", "Enabled", "observed"));
    operator.create(protect("plain", "obs-plain", null, "observed"));
    operator.awaitReason("readers", "locked", "Applied", TIMEOUT);
    operator.awaitReason("readers", "plain", "Applied", TIMEOUT);

    // Root signed exactly the one write that carried a code, and nothing else.
    Map<String, Integer> calls = since(before);
    assertEquals(1, calls.get("root PutBucketVersioning with a code"), calls.toString());
    assertEquals(1, calls.get("root PutBucketVersioning"), calls.toString());
    assertEquals(0, calls.get("root GetBucketVersioning"), calls.toString());
    assertEquals(0, calls.get("root GetBucketLifecycleConfiguration"), calls.toString());
    // The observer read both buckets, read the lifecycle before the switch (again after waiting for
    // the step), and enabled versioning.
    assertTrue(calls.get("observer GetBucketVersioning") >= 2, calls.toString());
    assertTrue(calls.get("observer GetBucketLifecycleConfiguration") >= 1, calls.toString());
    assertEquals(1, calls.get("observer PutBucketVersioning"), calls.toString());
    // The root keys were read once, with a GET at the API server, for the coded write only.
    List<RecordedRequest> requests = kubernetes.drainRequests();
    assertEquals(1, rootSecretGets(requests, "root-keys"), "one GET of the root keys for one coded write");
    assertEquals(0, rootSecretGets(requests, "observer-keys"), "the observer's keys come from the cache");

    // A drift check of both buckets: the observer reads, root signs nothing and its keys are not read.
    int rootBefore = s3.callsSignedBy(Role.ROOT, "GetBucketVersioning") + s3.callsSignedBy(Role.ROOT,
        "PutBucketVersioning");
    int readsBefore = s3.callsSignedBy(Role.OBSERVER, "GetBucketVersioning");
    BucketProtection plain = operator.get("readers", "plain");
    plain.getSpec().setCheckInterval("10s");
    kubernetes.client().resource(plain).update();
    BucketProtection locked = operator.get("readers", "locked");
    locked.getSpec().setCheckInterval("10s");
    kubernetes.client().resource(locked).update();
    await().atMost(TIMEOUT).until(() -> s3.callsSignedBy(Role.OBSERVER, "GetBucketVersioning") >= readsBefore + 2);
    assertEquals(rootBefore, s3.callsSignedBy(Role.ROOT, "GetBucketVersioning") + s3.callsSignedBy(Role.ROOT,
        "PutBucketVersioning"));
    assertEquals(0, rootSecretGets(kubernetes.drainRequests(), "root-keys"));
  }

  @Test
  void anAccountWithoutAnObserverSignsReadsWithRootAndSaysSoWithoutChangingReady() {
    ClusterS3Account account = account("rooted", "rooted-*");
    account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
    Condition finding = condition("rooted", "RootUsedForReads").orElseThrow();
    assertEquals("True", finding.getStatus());
    assertEquals("NoObserver", finding.getReason());
    assertTrue(finding.getMessage().contains("Add spec.observer"), finding.getMessage());
    assertEquals("True", condition("rooted", "Ready").orElseThrow().getStatus());
    assertEquals(Optional.empty(), condition("rooted", "Stalled"));

    s3.setState("rooted-a", new BucketState(VersioningStatus.SUSPENDED, false));
    int rootReads = s3.callsSignedBy(Role.ROOT, "GetBucketVersioning");
    operator.create(protect("rooted", "rooted-a", null, "rooted"));
    operator.awaitReason("readers", "rooted", "Applied", TIMEOUT);
    assertTrue(s3.callsSignedBy(Role.ROOT, "GetBucketVersioning") > rootReads, "root signed the read");
  }

  @Test
  void rootKeysInSecretsManagerAreFetchedForEachCodedWriteAndNeverKept() {
    ClusterS3Account account = account("sm-root", "sm-*");
    account.getSpec().setObserver(Accounts.operatorObserver());
    account.getSpec().setCredentials(Accounts.rootInSecretsManager("observer/root"));
    account.getSpec().setMfa(new MfaSpec(SM_DEVICE, new TotpSeedSource(new SecretsManagerReference("observer/seed",
        "seed", null)), 1));
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
    assertEquals(0, secretsManager.requestsFor("observer/root"), "the account check never reads the root keys");
    s3.setState("sm-one", new BucketState(VersioningStatus.ENABLED, false));
    s3.setState("sm-two", new BucketState(VersioningStatus.ENABLED, false));
    operator.create(protect("sm-one", "sm-one", "Enabled", "sm-root"));
    operator.awaitReason("readers", "sm-one", "Applied", TIMEOUT);
    operator.create(protect("sm-two", "sm-two", "Enabled", "sm-root"));
    operator.awaitReason("readers", "sm-two", "Applied", TIMEOUT);
    // Counted at the Secrets Manager endpoint: one GetSecretValue per coded write, none cached.
    assertEquals(2, secretsManager.requestsFor("observer/root"));
  }

  @Test
  void aTenantsS3AccountCanLendNeitherTheOperatorsIdentityNorARole() {
    kubernetes.ensureNamespace("tenant");
    kubernetes.client().resource(rootKeys("tenant", "own-root", Map.of("AWS_ACCESS_KEY_ID", "AKIDTENANTROOT000001",
        "AWS_SECRET_ACCESS_KEY", "tenant-root-secret-0123456789"))).create();
    ObserverSpec identity = Accounts.operatorObserver();
    ObserverSpec role = new ObserverSpec();
    role.setAssumeRole(new AssumeRoleSpec("arn:aws:iam::123456789012:role/admin-observer", null));
    for (var observer : Map.of("borrow-identity", identity, "borrow-role", role).entrySet()) {
      S3Account account = Accounts.namespaced("tenant", observer.getKey(), List.of("*"), "own-root");
      account.getSpec().setObserver(observer.getValue());
      kubernetes.client().resource(account).create();
      s3.setState("tenant-" + observer.getKey(), new BucketState(VersioningStatus.SUSPENDED, false));
      BucketProtection resource = protection("tenant", observer.getKey(), "tenant-" + observer.getKey(), "Enabled");
      resource.getSpec().setAccountRef(new AccountReference("S3Account", observer.getKey()));
      operator.create(resource);
    }
    for (String name : List.of("borrow-identity", "borrow-role")) {
      await().atMost(TIMEOUT).until(() -> {
        S3Account stored = kubernetes.client().resources(S3Account.class).inNamespace("tenant").withName(name).get();
        return stored.getStatus() != null && stored.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "InvalidSpec".equals(c.getReason())
                && c.getMessage().contains("an S3Account's observer reads its keys from a Secret in its own namespace"));
      });
      operator.awaitReason("tenant", name, "AccountNotReady", TIMEOUT);
      assertEquals(0, s3.calls("GetBucketVersioning", "tenant-" + name), "nothing was asked of S3 for " + name);
    }
    assertTrue(Resources.ready(operator.get("tenant", "borrow-role")).orElseThrow().getMessage()
        .contains("Nothing was read or written"));
  }
}

package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountCredentials;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.http.HttpResponses;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.status.Conditions;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile namespace user of issue "root power behind an admin's gate", against the real
 * operator and the mock API server: every way to borrow the root credentials, the root MFA device
 * or the operator's identity is refused with its reason, without one S3 call or Secrets Manager
 * read on the victim's behalf; and the weakening guard holds for spec changes, new resources and
 * drift corrections, giving way to both keys.
 */
class TenancyMockApiTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String OTHER_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final String ROOT_KEYS = "bucket-protection/root-access-keys";
  private static final String OTHER_ROOT_KEYS = "prod/other-root-keys";
  private static final String OTHER_ROOT_SEED = "prod/other-root-mfa-seed";
  private static final String ROOT_SEED = "bucket-protection/root-mfa-seed";
  private static final String ROOT_DEVICE = "arn:aws:iam::123456789012:mfa/root";
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
    s3.registerDevice(ROOT_DEVICE, SEED, 1);
    secretsManager = new FakeSecretsManagerServer();
    secretsManager.putSecret(ROOT_KEYS, "{\"AWS_ACCESS_KEY_ID\":\"AKIDROOTROOTROOT0001\",\"AWS_SECRET_ACCESS_KEY\":\"root-secret-0123456789\"}");
    secretsManager.putSecret(ROOT_SEED, "{\"seed\":\"" + SEED + "\"}");
    // Root secrets no account names, so the operator never reads them (nor caches them): a read
    // for an exploit would be a request at the fake server, never a cache hit.
    secretsManager.putSecret(OTHER_ROOT_KEYS, "{\"AWS_ACCESS_KEY_ID\":\"AKIDOTHERROOTROOT001\",\"AWS_SECRET_ACCESS_KEY\":\"other-secret-0123456789\"}");
    secretsManager.putSecret(OTHER_ROOT_SEED, "{\"seed\":\"" + SEED + "\"}");
    // No ClusterS3Account "default" in this cluster: leaving credentials out lends nothing.
    operator = new OperatorHarness(kubernetes.client(), s3, OperatorConfig.fromEnvironment(Map.of(
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString())));
    // The admin's account: root keys and seed in Secrets Manager, for namespace prod and prod-* buckets.
    operator.awaitAccountReady(kubernetes.client().resource(rootAccount("prod-root", "prod", "Deny")).create());
  }

  @AfterAll
  static void stop() throws Exception {
    operator.close();
    secretsManager.close();
    kubernetes.close();
  }

  static ClusterS3Account rootAccount(String name, String namespace, String weakening) {
    ClusterS3Account account = Accounts.cluster(name, List.of("prod-*"));
    AccountCredentials credentials = new AccountCredentials();
    credentials.setSecretsManager(new SecretsManagerReference(ROOT_KEYS, null, null));
    account.getSpec().setCredentials(credentials);
    account.getSpec().setMfa(new MfaSpec(ROOT_DEVICE, new TotpSeedSource(new SecretsManagerReference(ROOT_SEED,
        "seed", null)), 1));
    account.getSpec().setNamespaces(Accounts.names(namespace));
    account.getSpec().setWeakening(weakening);
    return account;
  }

  private static BucketProtection awaitReason(String namespace, String name, String reason) {
    return operator.awaitReason(namespace, name, reason, TIMEOUT);
  }

  private static String message(String namespace, String name) {
    return Resources.ready(operator.get(namespace, name)).orElseThrow().getMessage();
  }

  private static int s3Calls(String bucket) {
    return s3.calls("GetBucketVersioning", bucket) + s3.calls("GetBucketLifecycleConfiguration", bucket)
        + s3.calls("PutBucketVersioning", bucket);
  }

  private static BucketProtection keys(BucketProtection resource, String keysSecret) {
    String namespace = resource.getMetadata().getNamespace();
    if (kubernetes.client().secrets().inNamespace(namespace).withName(keysSecret).get() == null) {
      kubernetes.client().resource(rootKeys(namespace, keysSecret, Map.of("AWS_ACCESS_KEY_ID", "AKID" + namespace.toUpperCase()
          .replace("-", "") + "00000001", "AWS_SECRET_ACCESS_KEY", namespace + "-secret-0123456789"))).create();
    }
    return withCredentials(resource, keysSecret);
  }

  /** kstatus on accounts: Stalled while a person must act, gone once the account is ready. */
  /**
   * A first start: the resource meets an account the operator has not checked yet. It waits with
   * AccountPending (Ready Unknown, Reconciling) and no Warning event, and goes on once the account
   * is checked. Secrets Manager is held back so that the wait is certain, not a race.
   */
  @Test
  void aResourceWhoseAccountIsNotCheckedYetWaitsQuietly() throws Exception {
    secretsManager.putSecret("pending/root-keys", "{\"AWS_ACCESS_KEY_ID\":\"AKIDPENDINGROOT00001\","
        + "\"AWS_SECRET_ACCESS_KEY\":\"pending-secret-0123456789\"}");
    ClusterS3Account account = Accounts.cluster("pending-root", List.of("pending-*"));
    AccountCredentials credentials = new AccountCredentials();
    credentials.setSecretsManager(new SecretsManagerReference("pending/root-keys", null, null));
    account.getSpec().setCredentials(credentials);
    // The check reads the seed (never the root keys): the read the held Secrets Manager keeps back.
    secretsManager.putSecret("pending/root-seed", "{\"seed\":\"" + SEED + "\"}");
    s3.registerDevice("arn:aws:iam::123456789012:mfa/pending", SEED, 1);
    account.getSpec().setMfa(new MfaSpec("arn:aws:iam::123456789012:mfa/pending", new TotpSeedSource(
        new SecretsManagerReference("pending/root-seed", "seed", null)), 1));
    account.getSpec().setNamespaces(Accounts.names("pending"));
    BucketProtection resource = protection("pending", "first", "pending-first", "Enabled");
    resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "pending-root"));
    s3.createBucket("pending-first");
    secretsManager.hold();
    try {
      kubernetes.client().resource(account).create();
      operator.create(resource);
      BucketProtection waiting = awaitReason("pending", "first", "AccountPending");
      Condition ready = Resources.ready(waiting).orElseThrow();
      assertEquals("Unknown", ready.getStatus());
      assertTrue(ready.getMessage().contains("has not been checked by the operator yet"), ready.getMessage());
      assertEquals("True", waiting.getStatus().getConditions().stream()
          .filter(c -> "Reconciling".equals(c.getType())).findFirst().orElseThrow().getStatus());
    } finally {
      secretsManager.release();
    }
    operator.awaitConverged("pending", "first", TIMEOUT);
    assertEquals(List.of(), operator.eventReasons("pending", "first").stream()
        .filter(e -> e.startsWith("Warning/")).toList(), "a first start raises no Warning");
  }

  @Test
  void anAccountWaitingForItsSecretIsStalledUntilTheSecretAppears() {
    kubernetes.ensureNamespace("kstatus");
    // The account check reads the observer's keys (never the root keys, which wait for a coded write).
    var waiting = Accounts.namespaced("kstatus", "waiting", List.of("*"), "root-keys-unread");
    waiting.getSpec().setObserver(Accounts.observerSecret("later-keys"));
    var account = kubernetes.client().resource(waiting).create();
    var handle = kubernetes.client().resources(S3Account.class)
        .inNamespace("kstatus").withName("waiting");
    await().atMost(TIMEOUT).until(() -> condition(handle.get(), "Stalled").map(c -> "True".equals(c.getStatus())
        && "SecretNotFound".equals(c.getReason())).orElse(false));
    kubernetes.client().resource(secret("kstatus", "later-keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDKSTATUS000000001",
        "AWS_SECRET_ACCESS_KEY", "kstatus-secret-0123456789"))).create();
    await().atMost(TIMEOUT).until(() -> condition(handle.get(), "Ready").map(c -> "True".equals(c.getStatus()))
        .orElse(false));
    assertEquals(Optional.empty(), condition(handle.get(), "Stalled"));
    assertEquals(Optional.empty(), condition(handle.get(), "Reconciling"));
    assertEquals(account.getMetadata().getGeneration(), handle.get().getStatus().getObservedGeneration());
  }

  private static Optional<Condition> condition(S3Account account, String type) {
    return account == null || account.getStatus() == null ? Optional.empty()
        : Conditions.find(account.getStatus().getConditions(), type);
  }

  @Test
  void aResourceNamingRootSecretsManagerSecretsNobodyReadsIsRefusedWithoutASingleRequest() {
    s3.setState("prod-vault", S3VersioningTable.EM);
    BucketProtection exploit = protection("dev", "borrow-other-root", "prod-vault", "Suspended");
    exploit.getSpec().setMfaDelete("Disabled");
    exploit.getSpec().setCredentials(new CredentialsSource(new SecretsManagerReference(OTHER_ROOT_KEYS, null, null)));
    exploit.getSpec().setMfa(new MfaSpec(ROOT_DEVICE, new TotpSeedSource(new SecretsManagerReference(OTHER_ROOT_SEED,
        "seed", null)), 1));
    operator.create(exploit);
    awaitReason("dev", "borrow-other-root", "InvalidSpec");
    assertEquals(0, s3Calls("prod-vault"), "no S3 call on the victim's bucket");
    assertEquals(0, secretsManager.requestsFor(OTHER_ROOT_KEYS), "the root keys were never requested");
    assertEquals(0, secretsManager.requestsFor(OTHER_ROOT_SEED), "the root seed was never requested");
    assertEquals(S3VersioningTable.EM, s3.state("prod-vault"));
  }

  @Test
  void aResourceNamingTheRootSecretsManagerSecretsIsRefusedWithoutReadingThem() {
    s3.setState("prod-audit", S3VersioningTable.EM);
    long keyReads = secretsManager.requestsFor(ROOT_KEYS);
    long seedReads = secretsManager.requestsFor(ROOT_SEED);
    BucketProtection exploit = protection("dev", "borrow-root", "prod-audit", "Suspended");
    exploit.getSpec().setMfaDelete("Disabled");
    exploit.getSpec().setCredentials(new CredentialsSource(new SecretsManagerReference(ROOT_KEYS, null, null)));
    exploit.getSpec().setMfa(new MfaSpec(ROOT_DEVICE, new TotpSeedSource(new SecretsManagerReference(ROOT_SEED,
        "seed", null)), 1));
    operator.create(exploit);
    awaitReason("dev", "borrow-root", "InvalidSpec");
    assertTrue(message("dev", "borrow-root").contains("spec.credentials.secretsManager is refused"));
    assertTrue(message("dev", "borrow-root").contains("ClusterS3Account"));
    assertEquals(0, s3Calls("prod-audit"), "no S3 call on the victim's bucket");
    assertEquals(keyReads, secretsManager.requestsFor(ROOT_KEYS), "the root keys were not read for it");
    assertEquals(seedReads, secretsManager.requestsFor(ROOT_SEED), "the root seed was not read for it");
    assertEquals(S3VersioningTable.EM, s3.state("prod-audit"));
  }

  @Test
  void namingTheAdminsAccountFromAnotherNamespaceIsRefusedWithoutReadingAnything() {
    s3.setState("prod-ledger", S3VersioningTable.EM);
    long keyReads = secretsManager.requestsFor(ROOT_KEYS);
    BucketProtection exploit = protection("dev", "borrow-account", "prod-ledger", "Suspended");
    exploit.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "prod-root"));
    operator.create(exploit);
    awaitReason("dev", "borrow-account", "NamespaceNotAllowed");
    assertTrue(message("dev", "borrow-account").contains("does not admit namespace dev"));
    assertEquals(0, s3Calls("prod-ledger"));
    assertEquals(keyReads, secretsManager.requestsFor(ROOT_KEYS));

    // Admitted namespace, bucket outside the account's globs.
    BucketProtection outside = protection("prod", "outside", "finance-archive", "Enabled");
    outside.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "prod-root"));
    operator.create(outside);
    awaitReason("prod", "outside", "BucketNotAllowed");
    assertEquals(0, s3Calls("finance-archive"));
  }

  @Test
  void leavingCredentialsOutLendsTheOperatorsIdentityToNobody() {
    s3.createBucket("dev-scratch");
    operator.create(protection("dev", "no-credentials", "dev-scratch", "Enabled"));
    awaitReason("dev", "no-credentials", "AccountNotFound");
    assertTrue(message("dev", "no-credentials").contains("no ClusterS3Account named default"));
    assertEquals(0, s3Calls("dev-scratch"));
  }

  @Test
  void inlineSecretsComeOnlyFromTheResourcesOwnNamespace() {
    // The keys exist, but in another namespace: the resource names "root-keys", which means dev/root-keys.
    kubernetes.client().resource(rootKeys("bucket-protection-system", "root-keys", Map.of("AWS_ACCESS_KEY_ID",
        "AKIDROOTROOTROOT0001", "AWS_SECRET_ACCESS_KEY", "root-secret-0123456789"))).create();
    s3.setState("prod-payments", S3VersioningTable.EM);
    operator.create(withCredentials(protection("dev", "other-namespace-keys", "prod-payments", "Enabled"), "root-keys"));
    awaitReason("dev", "other-namespace-keys", "SecretNotFound");
    assertTrue(message("dev", "other-namespace-keys").contains("Secret dev/root-keys does not exist"));
    assertEquals(0, s3Calls("prod-payments"));
  }

  @Test
  void noRequestGoesToAnEndpointNoAdminAllowed() throws Exception {
    AtomicInteger hostileRequests = new AtomicInteger();
    AtomicInteger allowedRequests = new AtomicInteger();
    HttpServer hostile = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    hostile.createContext("/", exchange -> {
      hostileRequests.incrementAndGet();
      HttpResponses.respond(exchange, 500, "", "text/plain");
    });
    HttpServer allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    allowed.createContext("/", exchange -> {
      allowedRequests.incrementAndGet();
      HttpResponses.respond(exchange, 500, "", "text/plain");
    });
    hostile.start();
    allowed.start();
    String hostileUrl = "http://127.0.0.1:" + hostile.getAddress().getPort();
    String allowedUrl = "http://127.0.0.1:" + allowed.getAddress().getPort();
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h",
        "BPO_ALLOWED_ENDPOINTS", allowedUrl));
    try (MockKubernetes cluster = new MockKubernetes();
         AwsBucketStore store = BucketProtectionOperator.awsBucketStore(config);
         OperatorHarness real = new OperatorHarness(cluster.client(), store, config)) {
      cluster.client().resource(rootKeys("dev", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDDEVDEVDEVDEV0001",
          "AWS_SECRET_ACCESS_KEY", "dev-secret-0123456789"))).create();
      List<String> hostileEndpoints = List.of(hostileUrl, "http://user@127.0.0.1:" + hostile.getAddress().getPort(),
          hostileUrl + "/path", hostileUrl + "?x=y", "http://169.254.169.254", "https://kubernetes.default.svc");
      for (int i = 0; i < hostileEndpoints.size(); i++) {
        BucketProtection bp = withCredentials(protection("dev", "endpoint-" + i, "dev-bucket-" + i, "Enabled"), "keys");
        bp.getSpec().setEndpoint(hostileEndpoints.get(i));
        real.create(bp);
      }
      BucketProtection control = withCredentials(protection("dev", "allowed", "dev-allowed", "Enabled"), "keys");
      control.getSpec().setEndpoint(allowedUrl);
      real.create(control);
      // The allowed endpoint is asked (it answers 500): requests really go out when allowed.
      await().atMost(TIMEOUT).until(() -> allowedRequests.get() > 0);
      for (int i = 0; i < hostileEndpoints.size(); i++) {
        String name = "endpoint-" + i;
        await().atMost(TIMEOUT).until(() -> "InvalidSpec".equals(readyReason(real.get("dev", name))));
        assertTrue(Resources.ready(real.get("dev", name)).orElseThrow().getMessage().contains("spec.endpoint"),
            hostileEndpoints.get(i));
      }
      assertEquals(0, hostileRequests.get(), "not one request to an endpoint no admin allowed");
    } finally {
      hostile.stop(0);
      allowed.stop(0);
    }
  }

  @Test
  void anIntrudersOlderResourceThatCannotReadTheBucketBlocksNothingAndIsNeverNamed() {
    // Both namespaces are admitted by an account for team-* buckets; the intruder's own keys
    // cannot read the team's bucket.
    s3.setState("team-vault", S3VersioningTable.S);
    s3.denyAccessKey("AKIDINTRUDER00000001");
    BucketProtection intruder = keys(protection("intruder", "claim", "team-vault", "Suspended"), "keys");
    operator.create(intruder);
    awaitReason("intruder", "claim", "AccessDenied");
    operator.create(keys(protection("team", "vault", "team-vault", "Enabled"), "keys"));
    awaitReason("team", "vault", "Applied");
    assertEquals(S3VersioningTable.E, s3.state("team-vault"));
    assertFalse(operator.get("team", "vault").getStatus().toString().contains("intruder"));

    // An older resource elsewhere that CAN read the bucket owns it; the team is told no name.
    s3.setState("team-shared", S3VersioningTable.E);
    operator.create(keys(protection("elsewhere", "first", "team-shared", "Enabled"), "keys"));
    awaitReason("elsewhere", "first", "InSync");
    BucketProtection second = keys(protection("team", "second", "team-shared", "Suspended"), "keys");
    second.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, "team-shared"));
    operator.create(second);
    awaitReason("team", "second", "Conflict");
    assertTrue(message("team", "second").startsWith("Another BucketProtection (in another namespace)"),
        message("team", "second"));
    assertFalse(message("team", "second").contains("elsewhere"));
    assertEquals(S3VersioningTable.E, s3.state("team-shared"));
  }

  @Test
  void aSecondSourceOfTheRootDeviceCannotShareItsQueue() throws Exception {
    // The admin's account holds the root device with the seed in Secrets Manager; a namespace
    // user names the same device with a seed of its own.
    s3.setState("dev-locked", S3VersioningTable.EM);
    kubernetes.client().resource(secret("dev", "my-seed", Map.of("seed", OTHER_SEED))).create();
    BucketProtection impostor = keys(withMfaDelete(protection("dev", "impostor", "dev-locked", "Enabled"),
        "Disabled", ROOT_DEVICE, "my-seed", 1), "keys");
    impostor.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, "dev-locked"));
    operator.create(impostor);
    awaitReason("dev", "impostor", "DeviceConflict");
    assertTrue(message("dev", "impostor").contains("ClusterS3Account prod-root names the same device"),
        message("dev", "impostor"));
    assertEquals(0, s3.calls("PutBucketVersioning", "dev-locked"), "no code of the root device was sent for it");
    assertEquals(S3VersioningTable.EM, s3.state("dev-locked"));
    assertEquals(0, s3.codesRefused(ROOT_DEVICE));
  }

  @Test
  void weakeningFromASpecChangeIsDeniedUntilTheResourceCarriesItsKey() throws Exception {
    s3.createBucket("prod-w-spec");
    s3.registerDevice("owned-device", SEED, 1);
    kubernetes.client().resource(secret("owned", "seed", Map.of("seed", SEED))).create();
    BucketProtection resource = keys(withMfaDelete(protection("owned", "spec-change", "prod-w-spec", "Enabled"),
        "Enabled", "owned-device", "seed", 1), "keys");
    // Inline credentials: the namespace owns the root here, the annotation guards against accidents.
    operator.create(resource);
    awaitReason("owned", "spec-change", "Applied");
    assertEquals(S3VersioningTable.EM, s3.state("prod-w-spec"));

    BucketProtection current = operator.get("owned", "spec-change");
    current.getSpec().setMfaDelete("Disabled");
    kubernetes.client().resource(current).update();
    await().atMost(TIMEOUT).until(() -> operator.get("owned", "spec-change").getStatus().getObservedGeneration() == 2
        && "WeakeningDenied".equals(readyReason(operator.get("owned", "spec-change"))));
    String denied = message("owned", "spec-change");
    assertTrue(denied.contains("MFA Delete Enabled -> Disabled"), denied);
    assertTrue(denied.contains("bucketprotection.io/allow-weakening: prod-w-spec"), denied);
    assertTrue(denied.contains("no MFA code was spent"), denied);
    assertEquals(S3VersioningTable.EM, s3.state("prod-w-spec"), "nothing written");

    // The key: the annotation whose value is the bucket. Adding it triggers a reconcile at once.
    current = operator.get("owned", "spec-change");
    current.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, "prod-w-spec"));
    kubernetes.client().resource(current).update();
    awaitReason("owned", "spec-change", "Applied");
    assertEquals(S3VersioningTable.E, s3.state("prod-w-spec"));
  }

  @Test
  void weakeningFromANewResourceNeedsBothKeysWithAnAdminsAccount() {
    // The admin's account says Deny: the annotation alone does not open it.
    s3.setState("prod-w-new", S3VersioningTable.E);
    BucketProtection suspend = protection("prod", "new-resource", "prod-w-new", "Suspended");
    suspend.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "prod-root"));
    suspend.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, "prod-w-new"));
    operator.create(suspend);
    awaitReason("prod", "new-resource", "WeakeningDenied");
    assertTrue(message("prod", "new-resource").contains("weakening: Allow on ClusterS3Account prod-root"));
    assertFalse(message("prod", "new-resource").contains("annotation"), "the annotation is there");
    assertEquals(S3VersioningTable.E, s3.state("prod-w-new"));

    // The admin turns its key: both keys now, and the write goes through.
    ClusterS3Account account = kubernetes.client().resources(ClusterS3Account.class).withName("prod-root").get();
    account.getSpec().setWeakening("Allow");
    kubernetes.client().resource(account).update();
    try {
      awaitReason("prod", "new-resource", "Applied");
      assertEquals(S3VersioningTable.S, s3.state("prod-w-new"));
    } finally {
      account = kubernetes.client().resources(ClusterS3Account.class).withName("prod-root").get();
      account.getSpec().setWeakening("Deny");
      kubernetes.client().resource(account).update();
    }
  }

  @Test
  void aDriftCorrectionThatWouldWeakenIsDeniedToo() {
    // The spec wants versioning Suspended; someone enables it out of band. Putting it back
    // suspends versioning: a weakening, which needs the key like any other.
    s3.setState("dev-w-drift", S3VersioningTable.S);
    BucketProtection resource = keys(protection("drift", "suspended", "dev-w-drift", "Suspended"), "keys");
    resource.getSpec().setCheckInterval("10s");
    operator.create(resource);
    awaitReason("drift", "suspended", "InSync");
    s3.setState("dev-w-drift", S3VersioningTable.E);
    awaitReason("drift", "suspended", "WeakeningDenied");
    assertTrue(message("drift", "suspended").contains("Applying versioning Enabled -> Suspended would weaken"),
        message("drift", "suspended"));
    assertEquals(S3VersioningTable.E, s3.state("dev-w-drift"), "drift not 'corrected' into weaker protection");
    await().atMost(TIMEOUT).until(() -> operator.eventReasons("drift", "suspended").contains("Warning/DriftDetected"));
  }

  @Test
  void anS3AccountServesOnlyItsOwnNamespaceAndOnlyItsOwnSecrets() {
    kubernetes.client().resource(rootKeys("team-a", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDTEAMA00000000001",
        "AWS_SECRET_ACCESS_KEY", "team-a-secret-0123456789"))).create();
    kubernetes.client().resource(Accounts.namespaced("team-a", "own", List.of("team-a-*"), "keys")).create();
    s3.createBucket("team-a-data");
    BucketProtection own = protection("team-a", "own-account", "team-a-data", "Enabled");
    own.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
    operator.create(own);
    awaitReason("team-a", "own-account", "Applied");

    // From another namespace, "S3Account own" means that namespace's own: there is none.
    s3.createBucket("team-a-other");
    BucketProtection foreign = protection("team-b", "foreign-account", "team-a-other", "Enabled");
    foreign.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
    operator.create(foreign);
    awaitReason("team-b", "foreign-account", "AccountNotFound");
    assertEquals(0, s3Calls("team-a-other"));

    // An S3Account may not name Secrets Manager: the account is not ready, and nothing is read.
    long keyReads = secretsManager.requestsFor(ROOT_KEYS);
    S3Account sneaky = Accounts.namespaced("team-b", "sneaky", List.of("*"), "unused");
    AccountCredentials credentials = new AccountCredentials();
    credentials.setSecretsManager(new SecretsManagerReference(ROOT_KEYS, null, null));
    sneaky.getSpec().setCredentials(credentials);
    kubernetes.client().resource(sneaky).create();
    s3.createBucket("team-b-data");
    BucketProtection viaSneaky = protection("team-b", "via-sneaky", "team-b-data", "Enabled");
    viaSneaky.getSpec().setAccountRef(new AccountReference("S3Account", "sneaky"));
    operator.create(viaSneaky);
    awaitReason("team-b", "via-sneaky", "AccountNotReady");
    await().atMost(TIMEOUT).until(() -> {
      S3Account account = kubernetes.client().resources(S3Account.class).inNamespace("team-b").withName("sneaky").get();
      return account.getStatus() != null && account.getStatus().getConditions().stream()
          .anyMatch(c -> "InvalidSpec".equals(c.getReason()));
    });
    assertEquals(0, s3Calls("team-b-data"));
    assertEquals(keyReads, secretsManager.requestsFor(ROOT_KEYS));
  }

  /**
   * An account that does not admit a namespace tells it nothing of itself: not that its spec is
   * invalid, not that it is not ready; only that it does not admit the namespace, as a valid one would.
   */
  @Test
  void aNamespaceTheAccountDoesNotAdmitLearnsNothingOfItsState() {
    ClusterS3Account broken = Accounts.cluster("insiders-only", List.of("*"));
    broken.getSpec().setCredentials(Accounts.operatorIdentity());
    broken.getSpec().setEndpoint("ftp://not-an-endpoint");
    broken.getSpec().setNamespaces(Accounts.names("insiders"));
    kubernetes.client().resource(broken).create();
    s3.createBucket("outsider-probe");
    BucketProtection probe = protection("outsiders", "probe", "outsider-probe", "Enabled");
    probe.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "insiders-only"));
    operator.create(probe);
    awaitReason("outsiders", "probe", "NamespaceNotAllowed");
    String message = message("outsiders", "probe");
    assertFalse(message.contains("invalid") || message.contains("not ready"), message);
    assertEquals(0, s3Calls("outsider-probe"));
  }

  /** A tenant is told what to ask its admin, never the names of the admin's secrets. */
  @Test
  void aTenantsStatusNeverNamesTheAdminsSecrets() {
    ClusterS3Account account = rootAccount("hidden-root", "hiders", "Deny");
    var credentials = new AccountCredentials();
    credentials.setSecretsManager(new SecretsManagerReference("admin/hidden-root-keys", null, null));
    account.getSpec().setCredentials(credentials);
    account.getSpec().setObserver(Accounts.operatorObserver());
    account.getSpec().setBuckets(List.of("hiders-*"));
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
    s3.createBucket("hiders-ledger");
    BucketProtection resource = protection("hiders", "ledger", "hiders-ledger", "Enabled");
    resource.getSpec().setMfaDelete("Enabled");
    resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "hidden-root"));
    operator.create(resource);
    awaitReason("hiders", "ledger", "SecretNotFound");
    String message = message("hiders", "ledger");
    assertFalse(message.contains("admin/hidden-root-keys"), message);
    assertTrue(message.contains("ClusterS3Account hidden-root"), message);
    assertFalse(operator.events("hiders", "ledger").stream().anyMatch(e -> e.getMessage() != null
        && e.getMessage().contains("admin/hidden-root-keys")), "nor do its events");
  }

  @Test
  void aNamespaceSelectorAdmitsByLabel() {
    ClusterS3Account labelled = Accounts.cluster("by-label", List.of("lab-*"));
    labelled.getSpec().setCredentials(Accounts.operatorIdentity());
    var namespaces = new io.bucketprotection.operator.api.AccountNamespaces();
    LabelSelector selector = new LabelSelector();
    selector.setMatchLabels(Map.of("team", "lab"));
    namespaces.setSelector(selector);
    labelled.getSpec().setNamespaces(namespaces);
    operator.awaitAccountReady(kubernetes.client().resource(labelled).create());
    s3.createBucket("lab-results");
    BucketProtection bp = protection("lab", "results", "lab-results", "Enabled");
    bp.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "by-label"));
    operator.create(bp);
    awaitReason("lab", "results", "NamespaceNotAllowed");
    assertEquals(0, s3Calls("lab-results"));
    // Labelling the namespace admits it; the label change alone brings the resource back.
    var namespace = kubernetes.client().namespaces().withName("lab").get();
    namespace.getMetadata().setLabels(Map.of("team", "lab"));
    kubernetes.client().resource(namespace).update();
    awaitReason("lab", "results", "Applied");
  }
}

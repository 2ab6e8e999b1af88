package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeStsServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A tenant's claim on an MFA device needs proof: sts:GetCallerIdentity with the S3Account's root
 * keys must answer the root of the device's account, else DeviceNotOwned. The real AWS SDK talks
 * to a local STS double; every request is counted there by the key that signed it.
 */
class DeviceProofMockApiTest {

  private static final String ADMIN_DEVICE = "arn:aws:iam::123456789012:mfa/admin-root";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static void run(FakeStsServer sts, ThrowingConsumer<OperatorHarness> body, MockKubernetes kubernetes)
      throws Exception {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h",
        "BPO_ALLOWED_ENDPOINTS", sts.endpoint().toString()));
    try (AwsBucketStore aws = new AwsBucketStore(config.defaultRegion(), Set.of(), FailureVerdicts::isTransient,
             AwsBucketStore.DEFAULT_CLIENT_CAPACITY,
             StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDOPERATOR00000001", "operator-secret")));
         OperatorHarness operator = new OperatorHarness(kubernetes.client(), aws, config)) {
      body.accept(operator);
    }
  }

  private interface ThrowingConsumer<T> {
    void accept(T value) throws Exception;
  }

  private static S3Account tenantAccount(MockKubernetes kubernetes, FakeStsServer sts, String namespace,
      String rootKey) {
    kubernetes.ensureNamespace(namespace);
    kubernetes.client().resource(rootKeys(namespace, "own-root", Map.of("AWS_ACCESS_KEY_ID", rootKey,
        "AWS_SECRET_ACCESS_KEY", "tenant-root-secret-0123456789"))).create();
    S3Account account = Accounts.namespaced(namespace, "own", List.of("*"), "own-root");
    account.getSpec().setEndpoint(sts.endpoint().toString());
    account.getSpec().setObserver(Accounts.observerSecret("own-root-observer"));
    kubernetes.client().resource(Resources.secret(namespace, "own-root-observer", Map.of("AWS_ACCESS_KEY_ID",
        "AKIDTENANTOBSERVER01", "AWS_SECRET_ACCESS_KEY", "tenant-observer-secret-0123"))).create();
    account.getSpec().setMfa(new MfaSpec(ADMIN_DEVICE, null, 30));
    return kubernetes.client().resource(account).create();
  }

  private static Optional<Condition> ready(MockKubernetes kubernetes, String namespace) {
    S3Account stored = kubernetes.client().resources(S3Account.class).inNamespace(namespace).withName("own").get();
    return stored.getStatus() == null ? Optional.empty() : stored.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  @Test
  void aTenantsPoolIsProvedWithOneRootSignedCallForAllItsDevices() throws Exception {
    try (FakeStsServer sts = new FakeStsServer(); MockKubernetes kubernetes = new MockKubernetes()) {
      sts.identity("AKIDTENANTROOT000002", "arn:aws:iam::999999999999:root");
      run(sts, operator -> {
        S3Account account = tenantAccount(kubernetes, sts, "pooled", "AKIDTENANTROOT000002");
        account.getSpec().setMfa(null);
        account.getSpec().setMfaDevices(List.of(new MfaSpec("arn:aws:iam::999999999999:mfa/a", null, 30),
            new MfaSpec("arn:aws:iam::999999999999:mfa/b", null, 30),
            new MfaSpec("arn:aws:iam::999999999999:mfa/c", null, 30)));
        kubernetes.client().resource(account).update();
        await().atMost(TIMEOUT).until(() -> ready(kubernetes, "pooled").map(c -> "True".equals(c.getStatus())
            && c.getObservedGeneration() == 2).orElse(false));
        assertTrue(ready(kubernetes, "pooled").orElseThrow().getMessage().contains("Its root keys were proved to own"
            + " MFA device arn:aws:iam::999999999999:mfa/a, arn:aws:iam::999999999999:mfa/b,"
            + " arn:aws:iam::999999999999:mfa/c"), ready(kubernetes, "pooled").orElseThrow().getMessage());
        // The proof is of the root keys' account, which every device of the pool names: one call, not three
        // (the first generation's device, the admin's, was proved once too).
        assertEquals(2, sts.count(FakeStsServer.GET_CALLER_IDENTITY), sts.requests().toString());
      }, kubernetes);
    }
  }

  @Test
  void aTenantNamingAnotherAccountsDeviceIsDeviceNotOwnedAndItsResourcesGetNothing() throws Exception {
    try (FakeStsServer sts = new FakeStsServer(); MockKubernetes kubernetes = new MockKubernetes()) {
      sts.identity("AKIDTENANTROOT000001", "arn:aws:iam::999999999999:root");
      run(sts, operator -> {
        tenantAccount(kubernetes, sts, "intruder", "AKIDTENANTROOT000001");
        await().atMost(TIMEOUT).until(() -> ready(kubernetes, "intruder")
            .map(c -> "DeviceNotOwned".equals(c.getReason())).orElse(false));
        String message = ready(kubernetes, "intruder").orElseThrow().getMessage();
        assertTrue(message.contains("are not the root user of account 123456789012"), message);
        S3Account stored = kubernetes.client().resources(S3Account.class).inNamespace("intruder").withName("own")
            .get();
        assertEquals("NotOwned", stored.getStatus().getDeviceProof().getOutcome());
        BucketProtection resource = protection("intruder", "grab", "admin-bucket", "Enabled");
        resource.getSpec().setMfaDelete("Enabled");
        resource.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
        operator.create(resource);
        operator.awaitReason("intruder", "grab", "AccountNotReady", TIMEOUT);
        // One proof per generation, signed with the tenant's root keys; nothing else asked.
        assertEquals(1, sts.count(FakeStsServer.GET_CALLER_IDENTITY));
        assertEquals(List.of("AKIDTENANTROOT000001"), sts.requests().stream()
            .map(FakeStsServer.Request::accessKeyId).distinct().toList());
      }, kubernetes);
    }
  }

  /** A role the trust policy does not let the operator assume: the account says so, and nothing falls back to root. */
  @Test
  void aRefusedAssumeRoleIsObserverAccessDeniedAndNothingFallsBackToRoot() throws Exception {
    try (FakeStsServer sts = new FakeStsServer(); MockKubernetes kubernetes = new MockKubernetes()) {
      sts.identity("AKIDOPERATOR00000001", "arn:aws:iam::111122223333:role/bucket-protection-operator");
      sts.allowAssume("AKIDOPERATOR00000001", "arn:aws:iam::123456789012:role/allowed", null);
      run(sts, operator -> {
        kubernetes.ensureNamespace("bucket-protection-system");
        kubernetes.client().resource(rootKeys("bucket-protection-system", "root", Map.of("AWS_ACCESS_KEY_ID",
            "AKIDADMINROOT0000001", "AWS_SECRET_ACCESS_KEY", "admin-root-secret-0123456789"))).create();
        var account = Accounts.cluster("refused-role", List.of("*"));
        account.getSpec().setEndpoint(sts.endpoint().toString());
        account.getSpec().setCredentials(Accounts.secretRef("root"));
        io.bucketprotection.operator.api.ObserverSpec observer = new io.bucketprotection.operator.api.ObserverSpec();
        observer.setAssumeRole(new io.bucketprotection.operator.api.AssumeRoleSpec(
            "arn:aws:iam::123456789012:role/not-trusted", "bucket-protection"));
        account.getSpec().setObserver(observer);
        account.getSpec().setNamespaces(Accounts.names("team"));
        kubernetes.client().resource(account).create();
        var handle = kubernetes.client().resources(io.bucketprotection.operator.api.ClusterS3Account.class)
            .withName("refused-role");
        await().atMost(TIMEOUT).until(() -> handle.get().getStatus() != null && handle.get().getStatus().getConditions()
            .stream().anyMatch(c -> "Ready".equals(c.getType()) && "ObserverAccessDenied".equals(c.getReason())));
        String message = handle.get().getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
            .findFirst().orElseThrow().getMessage();
        assertTrue(message.contains("STS refused AssumeRole into arn:aws:iam::123456789012:role/not-trusted"), message);
        assertTrue(message.contains("never falls back to the root keys"), message);
        BucketProtection resource = protection("team", "waits", "team-bucket", "Enabled");
        resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "refused-role"));
        operator.create(resource);
        operator.awaitReason("team", "waits", "AccountNotReady", TIMEOUT);
        // Only the operator's own identity asked STS; the root keys signed nothing.
        assertTrue(sts.count(FakeStsServer.ASSUME_ROLE) >= 1);
        assertEquals(List.of("AKIDOPERATOR00000001"), sts.requests().stream()
            .map(FakeStsServer.Request::accessKeyId).distinct().toList());
        assertTrue(sts.requests().stream().allMatch(r -> r.externalIdPresent()), "the external id is sent");
      }, kubernetes);
    }
  }

  /** S3 from the fake store, STS from the double: an inline resource's proof goes to the STS double. */
  private record FakeS3WithSts(io.bucketprotection.operator.testsupport.FakeBucketStore s3, AwsBucketStore sts)
      implements io.bucketprotection.operator.s3.BucketStore, io.bucketprotection.operator.s3.IdentityChecks {
    @Override
    public io.bucketprotection.operator.s3.Observation observe(io.bucketprotection.operator.s3.BucketAddress bucket)
        throws io.bucketprotection.operator.s3.BucketStoreException {
      return s3.observe(bucket);
    }

    @Override
    public boolean hasLifecycleRules(io.bucketprotection.operator.s3.BucketAddress bucket)
        throws io.bucketprotection.operator.s3.BucketStoreException {
      return s3.hasLifecycleRules(bucket);
    }

    @Override
    public io.bucketprotection.operator.s3.WriteReceipt putVersioning(
        io.bucketprotection.operator.s3.BucketAddress bucket, io.bucketprotection.operator.s3.BucketState target,
        Optional<io.bucketprotection.operator.s3.MfaToken> mfa) throws io.bucketprotection.operator.s3.BucketStoreException {
      return s3.putVersioning(bucket, target, mfa);
    }

    @Override
    public void checkObserver(io.bucketprotection.operator.s3.Signer observer) {
    }

    @Override
    public Optional<String> callerArn(io.bucketprotection.operator.s3.BucketAddress address)
        throws io.bucketprotection.operator.s3.BucketStoreException {
      return sts.callerArn(address);
    }
  }

  @Test
  void aTenantsInlineResourceNamingAnotherAccountsDeviceIsDeviceNotOwnedAndSpendsNoCode() throws Exception {
    try (FakeStsServer sts = new FakeStsServer(); MockKubernetes kubernetes = new MockKubernetes()) {
      sts.identity("AKIDINLINEROOT000001", "arn:aws:iam::999999999999:root");
      var s3 = new io.bucketprotection.operator.testsupport.FakeBucketStore(java.time.Clock.systemUTC());
      s3.registerDevice(ADMIN_DEVICE, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1);
      s3.setState("admin-logs", new io.bucketprotection.operator.s3.BucketState(
          io.bucketprotection.operator.s3.VersioningStatus.ENABLED, false));
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h",
          "BPO_ALLOWED_ENDPOINTS", sts.endpoint().toString()));
      try (AwsBucketStore aws = new AwsBucketStore(config.defaultRegion(), Set.of(), FailureVerdicts::isTransient);
           OperatorHarness operator = new OperatorHarness(kubernetes.client(), new FakeS3WithSts(s3, aws), config)) {
        kubernetes.ensureNamespace("intruder");
        kubernetes.client().resource(rootKeys("intruder", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDINLINEROOT000001",
            "AWS_SECRET_ACCESS_KEY", "inline-root-secret-0123456789"))).create();
        kubernetes.client().resource(Resources.secret("intruder", "seed", Map.of("seed",
            "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"))).create();
        BucketProtection resource = Resources.withMfaDelete(Resources.withCredentials(protection("intruder", "grab",
            "admin-logs", "Enabled"), "keys"), "Enabled", ADMIN_DEVICE, "seed", 1);
        resource.getSpec().setEndpoint(sts.endpoint().toString());
        operator.create(resource);
        BucketProtection refused = operator.awaitReason("intruder", "grab", "DeviceNotOwned", TIMEOUT);
        assertTrue(Resources.ready(refused).orElseThrow().getMessage().contains("not the root user of account"
            + " 123456789012"));
        assertEquals(0, s3.calls("PutBucketVersioning"), "no code was made or sent");
        assertEquals(List.of("AKIDINLINEROOT000001"), sts.requests().stream().map(FakeStsServer.Request::accessKeyId)
            .distinct().toList());
        assertEquals(1, sts.count(FakeStsServer.GET_CALLER_IDENTITY), "proved once for this generation");
      }
    }
  }

  @Test
  void theDevicesOwnRootIsProvedOnceAndReadyAndAnEndpointWithoutTheCallIsUnprovable() throws Exception {
    try (FakeStsServer sts = new FakeStsServer(); MockKubernetes kubernetes = new MockKubernetes()) {
      sts.identity("AKIDOWNERROOT0000001", "arn:aws:iam::123456789012:root");
      run(sts, operator -> {
        tenantAccount(kubernetes, sts, "owner", "AKIDOWNERROOT0000001");
        await().atMost(TIMEOUT).until(() -> ready(kubernetes, "owner").map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        assertTrue(ready(kubernetes, "owner").orElseThrow().getMessage().contains("were proved to own MFA device"));
        // A label change re-checks the account (same generation): the proof in its status is reused.
        S3Account stored = kubernetes.client().resources(S3Account.class).inNamespace("owner").withName("own").get();
        stored.getMetadata().setLabels(Map.of("touched", "yes"));
        kubernetes.client().resource(stored).update();
        Thread.sleep(500);
        assertEquals(1, sts.count(FakeStsServer.GET_CALLER_IDENTITY));
      }, kubernetes);
    }
    try (FakeStsServer sts = new FakeStsServer().withoutGetCallerIdentity(); MockKubernetes kubernetes =
        new MockKubernetes()) {
      sts.identity("AKIDRGWROOT000000001", "arn:aws:iam::123456789012:root");
      run(sts, operator -> {
        tenantAccount(kubernetes, sts, "lab", "AKIDRGWROOT000000001");
        await().atMost(TIMEOUT).until(() -> ready(kubernetes, "lab").map(c -> "True".equals(c.getStatus()))
            .orElse(false));
        assertTrue(ready(kubernetes, "lab").orElseThrow().getMessage().contains("was not proved"));
        assertEquals("Unprovable", kubernetes.client().resources(S3Account.class).inNamespace("lab").withName("own")
            .get().getStatus().getDeviceProof().getOutcome());
      }, kubernetes);
    }
  }
}

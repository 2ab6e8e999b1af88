package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.AssumeRoleSpec;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.ObserverSpec;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.bench.S3CountingProxy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The IAM documents in deploy/aws grant exactly what the operator uses: a whole working scenario
 * (an account whose observer is a role, root keys and seed in Secrets Manager, a coded write, a
 * plain write, a fleet policy's listing) runs against RadosGW through a proxy that records every
 * request and the key that signed it; the actions are computed from those requests and compared
 * with the documents. kms:Decrypt is the one grant no request shows (Secrets Manager decrypts on
 * the caller's behalf), and is exempt.
 */
class IamPolicyDocumentsTest {

  private static final String OWNER = "bpo-iam-owner";
  private static final String ROOT_KEY = "BPOIAMROOTACCESSKEY1";
  private static final String ROOT_SECRET = "iam-root-secret-key-0123456789abcdef";
  private static final String OPERATOR_UID = "bpo-iam-operator";
  private static final String OPERATOR_KEY = "BPOIAMOPERATORKEY001";
  private static final String OPERATOR_SECRET = "iam-operator-secret-0123456789abcdef";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/iam-test";
  /** What no request shows: Secrets Manager calls KMS on the caller's behalf. */
  private static final Set<String> EXEMPT = Set.of("kms:Decrypt");
  /** The IAM action of each request kind the proxy tells apart. */
  private static final Map<String, String> ACTIONS = Map.of(
      S3CountingProxy.GET_VERSIONING, "s3:GetBucketVersioning",
      S3CountingProxy.PUT_VERSIONING, "s3:PutBucketVersioning",
      S3CountingProxy.GET_LIFECYCLE, "s3:GetLifecycleConfiguration",
      S3CountingProxy.LIST_BUCKETS, "s3:ListAllMyBuckets",
      S3CountingProxy.STS_ASSUME_ROLE, "sts:AssumeRole",
      S3CountingProxy.STS_GET_CALLER_IDENTITY, "sts:GetCallerIdentity");

  @Test
  void theDocumentsGrantExactlyTheActionsRecordedAtTheWire() throws Exception {
    RgwLab rgw = RgwLab.shared();
    rgw.createUser(OWNER, ROOT_KEY, ROOT_SECRET, 100);
    rgw.createMfaDevice(OWNER, SERIAL, SEED, RgwIntegrationTest.STEP);
    rgw.createUser(OPERATOR_UID, OPERATOR_KEY, OPERATOR_SECRET, 10);
    String role = rgw.createRole(OWNER, "bpo-iam-observer", OPERATOR_UID,
        Files.readString(document("observer-policy.json")), null);
    // Secrets Manager is read with the operator's own identity.
    System.setProperty("aws.accessKeyId", OPERATOR_KEY);
    System.setProperty("aws.secretAccessKey", OPERATOR_SECRET);
    try (S3Client owner = rgw.client(ROOT_KEY, ROOT_SECRET);
         S3CountingProxy proxy = S3CountingProxy.start(rgw.endpoint());
         FakeSecretsManagerServer secretsManager = new FakeSecretsManagerServer();
         MockKubernetes kubernetes = new MockKubernetes()) {
      secretsManager.putSecret("iam/root", Accounts.rootKeysJson(ROOT_KEY, ROOT_SECRET));
      secretsManager.putSecret("iam/seed", "{\"seed\":\"" + SEED + "\"}");
      for (String bucket : List.of("iam-coded", "iam-plain", "iam-fleet-one")) {
        owner.createBucket(r -> r.bucket(bucket));
      }
      owner.putBucketVersioning(r -> r.bucket("iam-coded").versioningConfiguration(c -> c.status(
          BucketVersioningStatus.ENABLED)));
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(),
          "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString(), "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
      try (AwsBucketStore aws = new AwsBucketStore(config.defaultRegion(), Set.of(), FailureVerdicts::isTransient,
               AwsBucketStore.DEFAULT_CLIENT_CAPACITY,
               StaticCredentialsProvider.create(AwsBasicCredentials.create(OPERATOR_KEY, OPERATOR_SECRET)));
           OperatorHarness operator = new OperatorHarness(kubernetes.client(), aws, config)) {
        ClusterS3Account account = Accounts.cluster("iam", List.of("iam-*"));
        ObserverSpec observer = new ObserverSpec();
        observer.setAssumeRole(new AssumeRoleSpec(role, null));
        account.getSpec().setObserver(observer);
        account.getSpec().setCredentials(Accounts.rootInSecretsManager("iam/root"));
        account.getSpec().setMfa(new MfaSpec(SERIAL, new TotpSeedSource(new SecretsManagerReference("iam/seed", "seed",
            null)), RgwIntegrationTest.STEP));
        account.getSpec().setNamespaces(Accounts.names("iam"));
        operator.awaitAccountReady(kubernetes.client().resource(account).create());
        for (String[] wanted : List.of(new String[] {"coded", "iam-coded", "Enabled"},
            new String[] {"plain", "iam-plain", null})) {
          BucketProtection resource = protection("iam", wanted[0], wanted[1], "Enabled");
          resource.getSpec().setMfaDelete(wanted[2]);
          resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "iam"));
          operator.create(resource);
        }
        operator.awaitReason("iam", "coded", "Applied", Duration.ofSeconds(60));
        operator.awaitReason("iam", "plain", "Applied", Duration.ofSeconds(60));
        var policies = kubernetes.client().resources(BucketProtectionPolicy.class).inNamespace("iam");
        policies.resource(Policies.policy("iam", "fleet", "iam", List.of("iam-fleet-*"), List.of())).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          BucketProtectionPolicy stored = policies.withName("fleet").get();
          return stored.getStatus() != null && stored.getStatus().getLastScanTime() != null;
        });
      }
      S3CountingProxy.Counts wire = proxy.snapshot();
      // Root signed only the coded write: root needs (and gets) no IAM grant.
      assertEquals(Set.of(S3CountingProxy.PUT_VERSIONING_MFA), wire.requestsSignedBy(ROOT_KEY).keySet(),
          wire.byKey().toString());
      Set<String> observed = new TreeSet<>();
      for (String key : wire.signingKeys()) {
        if (!Set.of(ROOT_KEY, OPERATOR_KEY, S3CountingProxy.ANONYMOUS).contains(key)) {
          wire.requestsSignedBy(key).keySet().forEach(kind -> observed.add(action(kind)));
        }
      }
      Set<String> operatorActions = new TreeSet<>();
      wire.requestsSignedBy(OPERATOR_KEY).keySet().forEach(kind -> operatorActions.add(action(kind)));
      secretsManager.requests().forEach(r -> operatorActions.add("secretsmanager:"
          + r.target().substring(r.target().indexOf('.') + 1)));
      assertTrue(secretsManager.requests().stream().allMatch(r -> r.authorization().contains(OPERATOR_KEY)));

      assertEquals(actions("observer-policy.json"), observed, "the observer's policy grants exactly what it used");
      Set<String> granted = new TreeSet<>(actions("operator-iam-policy.json"));
      granted.removeAll(EXEMPT);
      assertEquals(granted, operatorActions, "the operator's policy grants exactly what it used");
      JsonNode trust = new ObjectMapper().readTree(document("observer-trust-policy.json").toFile());
      assertEquals(Set.of("sts:AssumeRole"), actionsOf(trust));
    }
  }

  private static String action(String kind) {
    String action = ACTIONS.get(kind);
    if (action == null) {
      throw new AssertionError("no IAM action known for a request of kind " + kind + ": add it to the documents");
    }
    return action;
  }

  private static Set<String> actions(String file) throws IOException {
    return actionsOf(new ObjectMapper().readTree(document(file).toFile()));
  }

  private static Set<String> actionsOf(JsonNode policy) {
    Set<String> actions = new TreeSet<>();
    for (JsonNode statement : policy.get("Statement")) {
      JsonNode action = statement.get("Action");
      if (action.isArray()) {
        action.forEach(a -> actions.add(a.asText()));
      } else {
        actions.add(action.asText());
      }
    }
    return actions;
  }

  static Path document(String name) {
    for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("deploy").resolve("aws").resolve(name);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("deploy/aws/" + name + " not found");
  }
}

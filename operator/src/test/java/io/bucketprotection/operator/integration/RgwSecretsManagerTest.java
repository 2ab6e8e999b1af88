package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.CredentialsSource;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.AccountCredentials;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;

/**
 * End to end on RGW with the root keys and the MFA seed in (a local stand-in for) AWS Secrets
 * Manager, reached through AWS_ENDPOINT_URL_SECRETS_MANAGER, and no region in the spec.
 */
class RgwSecretsManagerTest {

  private static final String UID = "bpo-secretsmanager";
  private static final String ACCESS_KEY = "BPOSECRETSMANAGER001";
  private static final String SECRET_KEY = "secretsmanager-secret-key-0123456789abc";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String WRONG_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/root-account-mfa-device";

  /** An admin's ClusterS3Account holding the root keys and the seed in Secrets Manager, for namespace aws-like. */
  private static ClusterS3Account rootAccount() {
    ClusterS3Account account = Accounts.cluster("root", List.of("sm-*"));
    AccountCredentials credentials = new AccountCredentials();
    credentials.setSecretsManager(new SecretsManagerReference("prod/s3-root-keys", null, null));
    account.getSpec().setCredentials(credentials);
    // The operator's own identity observes (on RadosGW: a subuser of the owner).
    account.getSpec().setObserver(Accounts.operatorObserver());
    account.getSpec().setMfa(new MfaSpec(SERIAL, new TotpSeedSource(
        new SecretsManagerReference("prod/root-mfa", "seed", null)), 5));
    account.getSpec().setNamespaces(Accounts.names("aws-like"));
    return account;
  }

  private static BucketProtection fromSecretsManager(String name, String bucket) {
    BucketProtection bp = protection("aws-like", name, bucket, "Enabled");
    bp.getSpec().setMfaDelete("Enabled");
    bp.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "root"));
    return bp;
  }

  @Test
  void theSeedIsFetchedOnceAndAgainAfterARefusedCodeAndTheRootKeysOncePerCodedWrite() throws Exception {
    RgwLab rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    rgw.createMfaDevice(UID, SERIAL, SEED, 5);
    rgw.createSubuser(UID, "operator", "full", "OPERATORIDENTITY0001", "operator-identity-secret-key-0123456789");
    System.setProperty("aws.accessKeyId", "OPERATORIDENTITY0001");
    System.setProperty("aws.secretAccessKey", "operator-identity-secret-key-0123456789");
    try (FakeSecretsManagerServer secretsManager = new FakeSecretsManagerServer();
         MockKubernetes kubernetes = new MockKubernetes();
         S3Client admin = rgw.client(ACCESS_KEY, SECRET_KEY);
         AwsBucketStore store = new AwsBucketStore("us-east-1", Set.of(), FailureVerdicts::isTransient)) {
      secretsManager.putSecret("prod/s3-root-keys",
          "{\"AWS_ACCESS_KEY_ID\":\"" + ACCESS_KEY + "\",\"AWS_SECRET_ACCESS_KEY\":\"" + SECRET_KEY + "\"}");
      secretsManager.putSecret("prod/root-mfa", "{\"seed\":\"" + WRONG_SEED + "\"}");
      admin.createBucket(r -> r.bucket("sm-first"));
      admin.createBucket(r -> r.bucket("sm-second"));
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
          "AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(),
          "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString(),
          "BPO_SECRETS_CACHE_TTL", "1h"));
      try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), store, config)) {
        operator.awaitAccountReady(kubernetes.client().resource(rootAccount()).create());
        operator.create(fromSecretsManager("first", "sm-first"));
        // The seed in Secrets Manager is wrong: the first code is refused...
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> "MfaRejected".equals(readyReason(operator.get("aws-like", "first"))));
        // ...someone rotates it to the right one; no Kubernetes event tells the operator. The
        // refusal made it forget the cached seed, so the next step's attempt fetches it again.
        secretsManager.putSecret("prod/root-mfa", "{\"seed\":\"" + SEED + "\"}");
        await().atMost(Duration.ofSeconds(60))
            .until(() -> "Applied".equals(readyReason(operator.get("aws-like", "first"))));
        assertEquals(MFADeleteStatus.ENABLED, admin.getBucketVersioning(r -> r.bucket("sm-first")).mfaDelete());
        assertEquals(2, secretsManager.requestsFor("prod/root-mfa"), "fetched, refused, fetched once more");

        operator.create(fromSecretsManager("second", "sm-second"));
        await().atMost(Duration.ofSeconds(60))
            .until(() -> "Applied".equals(readyReason(operator.get("aws-like", "second"))));
        assertEquals(MFADeleteStatus.ENABLED, admin.getBucketVersioning(r -> r.bucket("sm-second")).mfaDelete());
        // The seed is cached (lifetime 1h); the root keys never are: one GetSecretValue per coded write
        // (refused, accepted, accepted), none for the reads, which the observer signs.
        assertEquals(3, secretsManager.requestsFor("prod/s3-root-keys"));
        assertEquals(2, secretsManager.requestsFor("prod/root-mfa"));
        List<String> targets = secretsManager.requests().stream().map(FakeSecretsManagerServer.Request::target).distinct().toList();
        assertEquals(List.of("secretsmanager.GetSecretValue"), targets);
        assertTrue(secretsManager.requests().stream().allMatch(r -> r.authorization().contains("OPERATORIDENTITY0001")),
            "Secrets Manager is read with the operator's own identity");
      }
    }
  }
}

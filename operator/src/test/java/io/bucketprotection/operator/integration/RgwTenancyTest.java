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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RecordingBucketStore;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;

/**
 * Tenancy, the weakening guard and the audit trail against a real MFA-enforcing RadosGW: a team
 * namespace converges a bucket with MFA Delete through an admin's ClusterS3Account (keys and seed
 * in the cluster resource namespace); another namespace naming that account gets nothing; an
 * intruder's older resource whose keys cannot read the team's bucket blocks nothing; a weakening
 * needs both keys; and every write and every code sent leaves exactly one audit line on standard
 * output, with RadosGW's request id.
 */
class RgwTenancyTest {

  private static final String TEAM_UID = "bpo-tenancy";
  private static final String TEAM_KEY = "BPOTENANCYACCESSKEY1";
  private static final String TEAM_SECRET = "tenancy-secret-key-0123456789abcdefgh";
  private static final String INTRUDER_UID = "bpo-intruder";
  private static final String INTRUDER_KEY = "BPOINTRUDERACCESSKY1";
  private static final String INTRUDER_SECRET = "intruder-secret-key-0123456789abcdefg";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/tenancy-root";
  private static final String INLINE_SERIAL = "arn:aws:iam::123456789012:mfa/tenancy-inline";
  private static final int STEP = 5;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private static RgwLab rgw;
  private static S3Client s3;
  private static MockKubernetes kubernetes;
  private static AwsBucketStore aws;
  private static RecordingBucketStore store;
  private static OperatorHarness operator;
  private static PrintStream originalOut;
  private static final ByteArrayOutputStream STDOUT = new ByteArrayOutputStream();

  @BeforeAll
  static void start() {
    rgw = RgwLab.shared();
    rgw.createUser(TEAM_UID, TEAM_KEY, TEAM_SECRET, 100);
    rgw.createUser(INTRUDER_UID, INTRUDER_KEY, INTRUDER_SECRET, 100);
    rgw.createMfaDevice(TEAM_UID, SERIAL, SEED, STEP);
    rgw.createMfaDevice(TEAM_UID, INLINE_SERIAL, SEED, STEP);
    s3 = rgw.client(TEAM_KEY, TEAM_SECRET);
    // Standard output, where the audit lines go, is watched for the whole class (and still shown).
    originalOut = System.out;
    System.setOut(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (STDOUT) {
          STDOUT.write(b);
        }
        originalOut.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (STDOUT) {
          STDOUT.write(b, off, len);
        }
        originalOut.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8));
    kubernetes = new MockKubernetes();
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(),
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "BPO_CLUSTER_RESOURCE_NAMESPACE", "bucket-protection-system"));
    aws = BucketProtectionOperator.awsBucketStore(config);
    store = new RecordingBucketStore(aws);
    operator = new OperatorHarness(kubernetes.client(), store, config);
    // The admin's account: the root keys and the seed in the cluster resource namespace, for the team.
    kubernetes.client().resource(rootKeys("bucket-protection-system", "root-keys",
        Map.of("AWS_ACCESS_KEY_ID", TEAM_KEY, "AWS_SECRET_ACCESS_KEY", TEAM_SECRET))).create();
    kubernetes.client().resource(secret("bucket-protection-system", "root-mfa", Map.of("seed", SEED))).create();
    ClusterS3Account account = Accounts.cluster("team-root", List.of("tn-*"));
    account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
    account.getSpec().setMfa(Accounts.mfa(SERIAL, "root-mfa", STEP));
    account.getSpec().setNamespaces(Accounts.names("team"));
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
  }

  @AfterAll
  static void stop() {
    operator.close();
    aws.close();
    kubernetes.close();
    s3.close();
    System.setOut(originalOut);
  }

  private static BucketProtection awaitReason(String namespace, String name, String reason) {
    return operator.awaitReason(namespace, name, reason, TIMEOUT);
  }

  private static List<JsonNode> auditLines(String bucket) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> lines = new ArrayList<>();
    String all;
    synchronized (STDOUT) {
      all = STDOUT.toString(StandardCharsets.UTF_8);
    }
    for (String line : all.split("\n")) {
      if (line.startsWith("{\"audit\":\"bucketprotection.io/v1\"")) {
        JsonNode node = json.readTree(line);
        if (bucket.equals(node.get("bucket").asText())) {
          lines.add(node);
        }
      }
    }
    return lines;
  }

  private static BucketProtection teamResource(String name, String bucket) {
    BucketProtection bp = protection("team", name, bucket, "Enabled");
    bp.getSpec().setMfaDelete("Enabled");
    bp.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "team-root"));
    return bp;
  }

  @Test
  void aTeamConvergesMfaDeleteThroughTheAdminsAccountAndOtherNamespacesGetNothing() throws Exception {
    s3.createBucket(r -> r.bucket("tn-vault"));
    operator.create(teamResource("vault", "tn-vault"));
    awaitReason("team", "vault", "Applied");
    assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket("tn-vault")).mfaDelete());

    // The same account, named from another namespace: refused before any request.
    s3.createBucket(r -> r.bucket("tn-dev-copy"));
    BucketProtection borrowed = protection("dev", "borrowed", "tn-dev-copy", "Enabled");
    borrowed.getSpec().setMfaDelete("Enabled");
    borrowed.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "team-root"));
    operator.create(borrowed);
    awaitReason("dev", "borrowed", "NamespaceNotAllowed");
    assertEquals(0, store.getsOf("tn-dev-copy"), "no request for the refused resource");
    assertNull(s3.getBucketVersioning(r -> r.bucket("tn-dev-copy")).status());

    // The audit line of the code sent: who, which account, before and after, the step and the request id.
    List<JsonNode> lines = auditLines("tn-vault");
    assertEquals(1, lines.size(), lines.toString());
    JsonNode line = lines.get(0);
    assertEquals("team", line.get("namespace").asText());
    assertEquals("ClusterS3Account", line.get("accountKind").asText());
    assertEquals("team-root", line.get("accountName").asText());
    assertEquals(SERIAL, line.get("serialNumber").asText());
    assertEquals("seed", line.get("codeSource").asText());
    assertTrue(line.get("step").asLong() > 0);
    assertEquals("Applied", line.get("outcome").asText());
    assertTrue(line.get("requestId").asText().startsWith("tx"), "RadosGW's x-amz-request-id: " + line);
    assertTrue(line.get("extendedRequestId").isNull(), "RadosGW sends no x-amz-id-2");
    assertEquals(List.of(), auditLines("tn-dev-copy"));
  }

  @Test
  void anIntrudersOlderResourceWhoseKeysCannotReadTheBucketBlocksNothing() {
    s3.createBucket(r -> r.bucket("tn-ledger"));
    kubernetes.client().resource(rootKeys("intruder", "keys",
        Map.of("AWS_ACCESS_KEY_ID", INTRUDER_KEY, "AWS_SECRET_ACCESS_KEY", INTRUDER_SECRET))).create();
    operator.create(withCredentials(protection("intruder", "claim", "tn-ledger", "Suspended"), "keys"));
    awaitReason("intruder", "claim", "AccessDenied");
    operator.create(teamResource("ledger", "tn-ledger"));
    awaitReason("team", "ledger", "Applied");
    assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket("tn-ledger")).mfaDelete());
    assertFalse(Resources.ready(operator.get("team", "ledger")).orElseThrow().getMessage().contains("intruder"));
    // The evidence each keeps: the team's read of the bucket through its account succeeded; the intruder's never did.
    var evidence = operator.get("team", "ledger").getStatus().getBucketRead();
    assertEquals("tn-ledger", evidence.getBucket());
    assertEquals("ClusterS3Account team-root", evidence.getAccount());
    assertEquals(null, operator.get("intruder", "claim").getStatus().getBucketRead());
  }

  @Test
  void aWeakeningNeedsTheResourcesKeyWhetherFromASpecChangeANewResourceOrADriftCorrection() throws Exception {
    // Inline root keys and device: the namespace owns them; the annotation is the one key it needs.
    kubernetes.client().resource(rootKeys("owner", "keys",
        Map.of("AWS_ACCESS_KEY_ID", TEAM_KEY, "AWS_SECRET_ACCESS_KEY", TEAM_SECRET))).create();
    kubernetes.client().resource(secret("owner", "seed", Map.of("seed", SEED))).create();
    s3.createBucket(r -> r.bucket("tn-guard"));
    operator.create(withCredentials(withMfaDelete(protection("owner", "guard", "tn-guard", "Enabled"), "Enabled",
        INLINE_SERIAL, "seed", STEP), "keys"));
    awaitReason("owner", "guard", "Applied");
    assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket("tn-guard")).mfaDelete());

    // 1. A spec change that switches MFA Delete off.
    BucketProtection current = operator.get("owner", "guard");
    current.getSpec().setMfaDelete("Disabled");
    kubernetes.client().resource(current).update();
    await().atMost(TIMEOUT).until(() -> operator.get("owner", "guard").getStatus().getObservedGeneration() == 2
        && "WeakeningDenied".equals(readyReason(operator.get("owner", "guard"))));
    assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket("tn-guard")).mfaDelete());
    long codesBefore = store.tokensSent().size();

    // 2. A new resource that suspends a versioned bucket.
    s3.createBucket(r -> r.bucket("tn-newcomer"));
    s3.putBucketVersioning(r -> r.bucket("tn-newcomer").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    operator.create(withCredentials(protection("owner", "newcomer", "tn-newcomer", "Suspended"), "keys"));
    awaitReason("owner", "newcomer", "WeakeningDenied");
    assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket("tn-newcomer")).status());

    // 3. A drift correction that would suspend versioning someone switched on.
    s3.createBucket(r -> r.bucket("tn-drifter"));
    BucketProtection drifter = withCredentials(protection("owner", "drifter", "tn-drifter", "Suspended"), "keys");
    drifter.getSpec().setCheckInterval("10s");
    operator.create(drifter);
    awaitReason("owner", "drifter", "Applied");
    s3.putBucketVersioning(r -> r.bucket("tn-drifter").versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    awaitReason("owner", "drifter", "WeakeningDenied");
    assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket("tn-drifter")).status());
    assertEquals(codesBefore, store.tokensSent().size(), "no code was spent on a denied weakening");

    // With its key (the annotation naming its bucket), each goes through.
    for (String[] r : new String[][] {{"guard", "tn-guard"}, {"newcomer", "tn-newcomer"}, {"drifter", "tn-drifter"}}) {
      BucketProtection keyed = operator.get("owner", r[0]);
      keyed.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, r[1]));
      kubernetes.client().resource(keyed).update();
      awaitReason("owner", r[0], "Applied");
    }
    assertEquals(MFADeleteStatus.DISABLED, s3.getBucketVersioning(r -> r.bucket("tn-guard")).mfaDelete());
    assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(r -> r.bucket("tn-newcomer")).status());
    assertEquals(BucketVersioningStatus.SUSPENDED, s3.getBucketVersioning(r -> r.bucket("tn-drifter")).status());

    // Every write to these buckets, and every code sent, left exactly one audit line, with its request id.
    for (String bucket : List.of("tn-guard", "tn-newcomer", "tn-drifter")) {
      List<JsonNode> lines = auditLines(bucket);
      long puts = store.putsOf(bucket);
      assertEquals(puts, lines.size(), bucket + ": " + lines);
      for (JsonNode line : lines) {
        assertNotNull(line.get("requestId").textValue(), line.toString());
        assertEquals("Applied", line.get("outcome").asText());
      }
    }
    String audit;
    synchronized (STDOUT) {
      audit = STDOUT.toString(StandardCharsets.UTF_8);
    }
    for (MfaToken token : store.tokensSent()) {
      assertFalse(audit.contains(token.headerValue()), "no code in the audit trail");
    }
  }
}

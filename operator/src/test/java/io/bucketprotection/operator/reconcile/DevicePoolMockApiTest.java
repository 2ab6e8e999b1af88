package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaDeviceStatus;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A device of a tenant's pool that an admin's account holds with another seed drops out of the
 * pool (it would be DeviceConflict alone): the pool's other device serves every change, and no
 * code of the held device is sent for the tenant.
 */
class DevicePoolMockApiTest {

  private static final String ADMIN_NS = "bp-system";
  private static final String HELD = "arn:aws:iam::123456789012:mfa/held";
  private static final String OWN = "arn:aws:iam::123456789012:mfa/own";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String OTHER_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() throws Exception {
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice(HELD, SEED, 1);
    s3.registerDevice(OWN, OTHER_SEED, 1);
    operator = new OperatorHarness(kubernetes.client(), s3, OperatorConfig.fromEnvironment(Map.of(
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "BPO_CLUSTER_RESOURCE_NAMESPACE", ADMIN_NS)));
    var client = kubernetes.client();
    kubernetes.ensureNamespace(ADMIN_NS);
    client.resource(rootKeys(ADMIN_NS, "admin-root", Map.of("AWS_ACCESS_KEY_ID", "AKIDADMINROOT0000001",
        "AWS_SECRET_ACCESS_KEY", "admin-root-secret-0123456789"))).create();
    client.resource(secret(ADMIN_NS, "admin-mfa", Map.of("seed", SEED))).create();
    ClusterS3Account admin = Accounts.cluster("admin", List.of("admin-*"));
    admin.getSpec().setCredentials(Accounts.secretRef("admin-root"));
    admin.getSpec().setMfa(Accounts.mfa(HELD, "admin-mfa", 1));
    admin.getSpec().setNamespaces(Accounts.names("admins"));
    operator.awaitAccountReady(client.resource(admin).create());

    // The tenant names the admin's device with a seed of its own, and a device of its own.
    client.resource(rootKeys("team", "root", Map.of("AWS_ACCESS_KEY_ID", "AKIDTEAMROOT00000001",
        "AWS_SECRET_ACCESS_KEY", "team-root-secret-0123456789"))).create();
    client.resource(secret("team", "held-seed", Map.of("seed", OTHER_SEED))).create();
    client.resource(secret("team", "own-seed", Map.of("seed", OTHER_SEED))).create();
    S3Account pool = Accounts.namespaced("team", "pool", List.of("team-*"), "root");
    pool.getSpec().setMfaDevices(List.of(Accounts.mfa(HELD, "held-seed", 1), Accounts.mfa(OWN, "own-seed", 1)));
    client.resource(pool).create();
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
  }

  @Test
  void aHeldDeviceDropsOutAndTheRestOfThePoolServes() {
    List<String> buckets = List.of("team-a", "team-b", "team-c");
    for (String bucket : buckets) {
      s3.setState(bucket, S3VersioningTable.E);
      BucketProtection resource = protection("team", bucket, bucket, "Enabled");
      resource.getSpec().setMfaDelete("Enabled");
      resource.getSpec().setAccountRef(new AccountReference("S3Account", "pool"));
      operator.create(resource);
    }
    for (String bucket : buckets) {
      operator.awaitReason("team", bucket, "Applied", TIMEOUT);
      assertEquals(S3VersioningTable.EM, s3.state(bucket), bucket);
    }
    List<String> serials = s3.tokensReceived().stream().map(MfaToken::serialNumber).toList();
    assertEquals(List.of(OWN, OWN, OWN), serials, "every code came from the tenant's own device");
    assertEquals(0, s3.codesRefused(HELD));
    await().atMost(TIMEOUT).until(() -> {
      List<MfaDeviceStatus> devices = kubernetes.client().resources(S3Account.class).inNamespace("team")
          .withName("pool").get().getStatus().getMfaDevices();
      return devices != null && devices.size() == 2 && devices.get(1).getNextFreeStep() != null;
    });
    List<MfaDeviceStatus> devices = kubernetes.client().resources(S3Account.class).inNamespace("team")
        .withName("pool").get().getStatus().getMfaDevices();
    assertEquals(List.of(HELD, OWN), devices.stream().map(MfaDeviceStatus::getSerialNumber).toList());
    assertTrue(devices.stream().allMatch(d -> "Ready".equals(d.getState()) && d.getWaiting() == 0), devices.toString());
  }
}

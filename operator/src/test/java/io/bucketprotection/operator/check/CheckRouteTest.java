package io.bucketprotection.operator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code check} names the endpoint a resource's requests would go to, for a policy as for a
 * BucketProtection: the account's, else the operator's default (AWS_ENDPOINT_URL_S3), never "AWS"
 * for a listing that would go to RadosGW.
 */
class CheckRouteTest {

  private static final Map<String, String> RADOSGW = Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:7480");

  /** An admin's account naming no endpoint, admitting namespace team. */
  private static final String ACCOUNT = "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\n"
      + "metadata: {name: shared}\n"
      + "spec: {credentials: {secretRef: {name: root-keys}}, buckets: ['team-*'], namespaces: {names: [team]}}\n";

  @Test
  void aPolicyOnAnAccountWithoutEndpointIsRoutedToTheDefaultEndpoint() {
    String yaml = ACCOUNT + "---\napiVersion: bucketprotection.io/v1alpha1\nkind: BucketProtectionPolicy\n"
        + "metadata: {name: logs, namespace: team}\n"
        + "spec: {accountRef: {kind: ClusterS3Account, name: shared}, selector: {include: ['team-*-logs']},"
        + " template: {versioning: Enabled}}\n";
    CheckRun run = CheckRun.of(RADOSGW, yaml, "--offline", "--trust-input-accounts");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.block("BucketProtectionPolicy team/logs").contains(" at http://127.0.0.1:7480, via ClusterS3Account"
        + " shared"), run.toString());
  }

  @Test
  void aBucketProtectionOnTheSameAccountIsRoutedThereToo() {
    String yaml = ACCOUNT + "---\napiVersion: bucketprotection.io/v1alpha1\nkind: BucketProtection\n"
        + "metadata: {name: logs, namespace: team}\n"
        + "spec: {bucket: team-app-logs, versioning: Enabled, accountRef: {kind: ClusterS3Account, name: shared}}\n";
    CheckRun run = CheckRun.of(RADOSGW, yaml, "--offline", "--trust-input-accounts");
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.block("BucketProtection team/logs").contains(" at http://127.0.0.1:7480, via ClusterS3Account"
        + " shared"), run.toString());
  }
}

package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.unlabelledSecret;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The GETs that tell a user "your Secret exists but lacks the label" are a shared budget: one
 * namespace naming many unlabelled Secrets gets at most one such GET a second, so it cannot use
 * the whole budget and starve everyone else's checks. Counted at the API server, stamped by a
 * poller every 100 ms.
 */
class UnlabelledSecretChecksMockApiTest {

  private static final int NOISY = 20;

  @Test
  void oneNamespaceGetsAtMostOneUnlabelledSecretCheckASecond() throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes();
         OperatorHarness operator = new OperatorHarness(kubernetes.client(), new FakeBucketStore(Clock.systemUTC()),
             OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h")))) {
      kubernetes.ensureNamespace("noisy");
      for (int i = 0; i < NOISY; i++) {
        kubernetes.client().resource(unlabelledSecret("noisy", "keys-" + i, Map.of("AWS_ACCESS_KEY_ID", "AKID",
            "AWS_SECRET_ACCESS_KEY", "secret"))).create();
      }
      kubernetes.drainRequests();
      // Each account's check reads its observer's keys: each Secret exists without the label.
      for (int i = 0; i < NOISY; i++) {
        S3Account account = Accounts.namespaced("noisy", "account-" + i, List.of("*"), "root-" + i);
        account.getSpec().setObserver(Accounts.observerSecret("keys-" + i));
        kubernetes.client().resource(account).create();
      }
      // Poll the API server's log for 3 s, stamping each GET of an unlabelled Secret as it arrives.
      List<Long> arrivals = new ArrayList<>();
      long start = System.nanoTime();
      while (System.nanoTime() - start < 3_000_000_000L) {
        for (RecordedRequest request : kubernetes.drainRequests()) {
          if ("GET".equals(request.getMethod()) && request.getPath().startsWith("/api/v1/namespaces/noisy/secrets/keys-")) {
            arrivals.add(System.nanoTime() - start);
          }
        }
        Thread.sleep(100);
      }
      // One a second over 3 s is at most 4 (one at each end); the shared budget alone would allow 15.
      assertTrue(arrivals.size() <= 4, arrivals.size() + " GETs in 3 s for one namespace: " + arrivals);
      assertTrue(!arrivals.isEmpty(), "the namespace's users are still told about the label");
    }
  }
}

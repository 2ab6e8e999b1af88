package io.bucketprotection.operator.ops;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.SecretsManagerReference;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.http.OperatorHttpServer;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.FakeSecretsManagerServer;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /healthz and /readyz (probe server) and /metrics (metrics server) served from the real operator, and the series move with its work. */
class HealthAndMetricsTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one Prometheus sample, or 0 when the series is absent. */
  /** The series' value, summed over its labels (codes are counted by device); 0 when absent. */
  static double sample(String scrape, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
    double sum = 0;
    while (m.find()) {
      sum += Double.parseDouble(m.group(2));
    }
    return sum;
  }

  @Test
  void beforeTheOperatorHasStartedTheProbesAnswer503() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (MockKubernetes kubernetes = new MockKubernetes();
         var secretsManager = new io.bucketprotection.operator.secrets.AwsSecretsManagerReader("us-east-1", null)) {
      var notStarted = io.bucketprotection.operator.BucketProtectionOperator.create(OperatorConfig.fromEnvironment(Map.of()),
          kubernetes.client(), new FakeBucketStore(Clock.systemUTC()), secretsManager, new OperatorMetrics(registry),
          Clock.systemUTC());
      try (OperatorHttpServer probes = OperatorHttpServer.probes(0, notStarted);
           OperatorHttpServer metrics = OperatorHttpServer.metrics(0, registry)) {
        assertEquals(503, get(probes.port(), "/healthz").statusCode());
        assertEquals(503, get(probes.port(), "/readyz").statusCode());
        assertEquals(200, get(metrics.port(), "/metrics").statusCode());
      }
    }
  }

  @Test
  void endpointsAnswerAndTheSeriesMove() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    System.setProperty("aws.accessKeyId", "OPERATORIDENTITY0001");
    System.setProperty("aws.secretAccessKey", "operator-identity-secret-key-0123456789");
    FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice("metrics-device", SEED, 1);
    s3.createBucket("metrics-plain");
    s3.setState("metrics-mfa", new BucketState(VersioningStatus.ENABLED, false));
    try (MockKubernetes kubernetes = new MockKubernetes();
         FakeSecretsManagerServer secretsManager = new FakeSecretsManagerServer()) {
      secretsManager.putSecret("metrics/seed", "{\"seed\":\"" + SEED + "\"}");
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
          "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager.endpoint().toString()));
      try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), s3, config, Clock.systemUTC(),
               new OperatorMetrics(registry));
           OperatorHttpServer probes = OperatorHttpServer.probes(0, operator.operator());
           OperatorHttpServer metrics = OperatorHttpServer.metrics(0, registry)) {
        await().atMost(Duration.ofSeconds(10)).until(() -> get(probes.port(), "/readyz").statusCode() == 200);
        assertEquals(200, get(probes.port(), "/healthz").statusCode());
        int port = metrics.port();
        String before = get(port, "/metrics").body();
        assertTrue(before.contains("bpo_mfa_devices"), "our series are exported");
        assertTrue(before.contains("operator_sdk_"), "JOSDK's series are exported");

        // An admin's account: the operator's identity, the seed in Secrets Manager.
        var account = Accounts.cluster("metrics", java.util.List.of("metrics-*"));
        // The operator's identity observes; the root keys (in Secrets Manager) sign the coded write.
        secretsManager.putSecret("metrics/root", Accounts.rootKeysJson("AKIDMETRICSROOT00001", "root-secret-0123456789"));
        account.getSpec().setObserver(Accounts.operatorObserver());
        account.getSpec().setCredentials(Accounts.rootInSecretsManager("metrics/root"));
        account.getSpec().setMfa(new MfaSpec("metrics-device",
            new TotpSeedSource(new SecretsManagerReference("metrics/seed", "seed", null)), 1));
        account.getSpec().setNamespaces(Accounts.names("metrics"));
        operator.awaitAccountReady(kubernetes.client().resource(account).create());
        var plain = protection("metrics", "plain", "metrics-plain", "Enabled");
        plain.getSpec().setCheckInterval("10s");
        plain.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "metrics"));
        operator.create(plain);
        var mfa = protection("metrics", "mfa", "metrics-mfa", "Enabled");
        mfa.getSpec().setMfaDelete("Enabled");
        mfa.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "metrics"));
        operator.create(mfa);
        operator.awaitReason("metrics", "plain", "Applied", Duration.ofSeconds(30));
        operator.awaitReason("metrics", "mfa", "Applied", Duration.ofSeconds(30));

        await().atMost(Duration.ofSeconds(5)).until(() ->
            sample(get(port, "/metrics").body(), "bpo_buckets{ready=\"True\",reason=\"Applied\"}") == 2);
        String after = get(port, "/metrics").body();
        assertTrue(sample(after, "bpo_s3_requests_seconds_count{operation=\"GetBucketVersioning\",outcome=\"ok\"}") >= 2, after);
        assertTrue(sample(after, "bpo_s3_requests_seconds_count{operation=\"PutBucketVersioning\",outcome=\"ok\"}") >= 2);
        assertEquals(1, sample(after, "bpo_mfa_codes_used_total"));
        assertEquals(0, sample(after, "bpo_mfa_codes_refused_total"));
        // The seed, cached; and the root keys, read past the cache for the one coded write.
        assertEquals(2, sample(after, "bpo_secretsmanager_fetches_total{outcome=\"ok\"}"));
        // Root signed that one coded write and nothing else: the operator's identity observed.
        assertEquals(1, sample(after,
            "bpo_root_requests_total{account=\"ClusterS3Account metrics\",purpose=\"coded-write\"}"));
        assertFalse(after.contains("purpose=\"read\""), after);
        assertFalse(after.contains("purpose=\"plain-write\""), after);
        assertEquals(0, sample(after, "bpo_drift_detected_total"));

        // Drift made behind the operator's back: found at the next check and put back.
        s3.setState("metrics-plain", new BucketState(VersioningStatus.SUSPENDED, false));
        await().atMost(Duration.ofSeconds(30)).until(() -> sample(get(port, "/metrics").body(), "bpo_drift_corrected_total") == 1);
        assertEquals(1, sample(get(port, "/metrics").body(), "bpo_drift_detected_total"));
      }
    }
  }
}

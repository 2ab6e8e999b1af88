package io.bucketprotection.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What an empty environment gives and how each kind of setting reads its text (blank, padded,
 * fallbacks, bad values and their messages), pinned so that declaring the settings another way
 * changes none of it.
 */
class OperatorConfigDefaultsTest {

  @Test
  void anEmptyEnvironmentGivesTheDefaults() {
    OperatorConfig c = OperatorConfig.fromEnvironment(Map.of());
    assertEquals(Set.of(), c.namespaces());
    assertNull(c.labelSelector());
    assertEquals("us-east-1", c.defaultRegion());
    assertNull(c.defaultEndpoint());
    assertEquals(Duration.ofMinutes(5), c.defaultCheckInterval());
    assertEquals(20, c.reconcileThreads());
    assertEquals(10, c.maxThreadsPerEndpoint());
    assertEquals(Duration.ofMinutes(15), c.mfaPause());
    assertEquals(Duration.ofSeconds(5), c.maxClockSkew());
    assertNull(c.secretsManagerEndpoint());
    assertEquals(Duration.ofMinutes(5), c.secretsCacheLifetime());
    assertEquals(Set.of(), c.contentMd5Endpoints());
    assertEquals(8080, c.httpPort());
    assertEquals(8081, c.metricsPort());
    assertNull(c.leaderElection());
    assertEquals("INFO", c.logLevel());
    assertEquals("plain", c.logFormat());
    assertEquals(Set.of(), c.allowedEndpoints());
    assertEquals("bucket-protection-system", c.clusterResourceNamespace());
    assertNull(c.accountSelector());
    assertTrue(c.clusterAccounts());
  }

  @Test
  void blankValuesFallBackWhereAFallbackIsNamed() {
    OperatorConfig c = OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_REGION", " ", "AWS_REGION", " eu-west-1 ",
        "AWS_ENDPOINT_URL_S3", "", "AWS_ENDPOINT_URL", "http://127.0.0.1:9000",
        "BPO_CLUSTER_RESOURCE_NAMESPACE", " ", "POD_NAMESPACE", "ops", "BPO_LABEL_SELECTOR", " ",
        "BPO_ACCOUNT_SELECTOR", " fleet=eu ", "BPO_RECONCILE_THREADS", " 7 "));
    assertEquals("eu-west-1", c.defaultRegion());
    assertEquals("http://127.0.0.1:9000", c.defaultEndpoint().toString());
    assertEquals("http://127.0.0.1:9000", c.secretsManagerEndpoint().toString());
    assertEquals("ops", c.clusterResourceNamespace());
    assertNull(c.labelSelector());
    assertEquals("fleet=eu", c.accountSelector());
    assertEquals(7, c.reconcileThreads());
    assertEquals(3, c.maxThreadsPerEndpoint(), "half the reconcile threads, rounded down");
    assertEquals(1, OperatorConfig.fromEnvironment(Map.of("BPO_RECONCILE_THREADS", "1")).maxThreadsPerEndpoint());
    assertEquals("trace", OperatorConfig.fromEnvironment(Map.of("LOG_LEVEL", "trace")).logLevel().toLowerCase());
    assertEquals("json", OperatorConfig.fromEnvironment(Map.of("LOG_FORMAT", "JSON")).logFormat());
    assertFalse(OperatorConfig.fromEnvironment(Map.of("BPO_CLUSTER_ACCOUNTS", " false ")).clusterAccounts());
  }

  @Test
  void leaderElectionReadsItsSettingsOnlyWhenOn() {
    // Off: its other settings are not even parsed.
    assertNull(OperatorConfig.fromEnvironment(Map.of("BPO_LEADER_ELECTION_LEASE_DURATION", "soon")).leaderElection());
    OperatorConfig.LeaderElection e = OperatorConfig.fromEnvironment(Map.of("BPO_LEADER_ELECTION", "true",
        "POD_NAMESPACE", "ops", "HOSTNAME", "host-1")).leaderElection();
    assertEquals("ops", e.leaseNamespace());
    assertEquals("bucket-protection-operator", e.leaseName());
    assertEquals("host-1", e.identity());
    assertEquals(Duration.ofSeconds(15), e.leaseDuration());
    assertEquals("bucket-protection-operator", OperatorConfig.fromEnvironment(Map.of("BPO_LEADER_ELECTION", "true",
        "BPO_LEADER_ELECTION_NAMESPACE", "ops")).leaderElection().identity());
  }

  @Test
  void badValuesAreRefusedWithTheSettingsName() {
    assertMessage("BPO_RECONCILE_THREADS must be a whole number", Map.of("BPO_RECONCILE_THREADS", "many"));
    assertMessage("BPO_HTTP_PORT must be a whole number", Map.of("BPO_HTTP_PORT", ""));
    assertMessage("BPO_RECONCILE_THREADS must be at least 1", Map.of("BPO_RECONCILE_THREADS", "0"));
    assertMessage("BPO_MAX_THREADS_PER_ENDPOINT must be at least 1", Map.of("BPO_MAX_THREADS_PER_ENDPOINT", "0"));
    assertMessage("BPO_DEFAULT_CHECK_INTERVAL must be between 10s and 24h", Map.of("BPO_DEFAULT_CHECK_INTERVAL", "25h"));
    assertMessage("a duration such as 30s, 5m or 1h30m is needed", Map.of("BPO_DEFAULT_CHECK_INTERVAL", ""));
    assertMessage("'soon' is not a duration such as 30s, 5m or 1h30m", Map.of("BPO_MFA_PAUSE", "soon"));
    assertMessage("BPO_HTTP_PORT must be between 0 (no HTTP at all) and 65535, not 70000",
        Map.of("BPO_HTTP_PORT", "70000"));
    assertMessage("BPO_METRICS_PORT must differ from BPO_HTTP_PORT (8081): /metrics has a port of its own, which the"
        + " NetworkPolicy opens only to Prometheus", Map.of("BPO_HTTP_PORT", "8081"));
    assertMessage("LOG_FORMAT must be plain or json", Map.of("LOG_FORMAT", "xml"));
    assertMessage("BPO_ALLOWED_ENDPOINTS: 'ftp://x' is not an http(s)://host[:port] URL",
        Map.of("BPO_ALLOWED_ENDPOINTS", "ftp://x"));
    assertMessage("BPO_LEADER_ELECTION=true needs the Lease's namespace: BPO_LEADER_ELECTION_NAMESPACE or POD_NAMESPACE",
        Map.of("BPO_LEADER_ELECTION", "true"));
  }

  @Test
  void everyVariableIsAFlagButHostname() {
    for (String name : new String[] {"aws-region", "aws-endpoint-url", "aws-endpoint-url-s3", "pod-namespace",
        "pod-name", "cluster-accounts", "max-threads-per-endpoint", "log-format"}) {
      OperatorConfig.fromEnvironmentAndArgs(Map.of(), new String[] {"--" + name + "=" + ("log-format".equals(name)
          ? "json" : "cluster-accounts".equals(name) ? "false" : "max-threads-per-endpoint".equals(name) ? "2" : "x")});
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OperatorConfig.fromEnvironmentAndArgs(Map.of(), new String[] {"--hostname=x"}));
    // In the order of the variables' names.
    assertEquals("unknown flag --hostname; the settings are --aws-endpoint-url --aws-endpoint-url-s3"
        + " --aws-endpoint-url-secrets-manager --aws-region --account-selector --allowed-endpoints --cluster-accounts"
        + " --cluster-resource-namespace --content-md5-endpoints --default-check-interval --default-region --http-port"
        + " --label-selector --leader-election --leader-election-lease --leader-election-lease-duration"
        + " --leader-election-namespace --max-clock-skew --max-threads-per-endpoint --metrics-port --mfa-pause"
        + " --reconcile-threads --secrets-cache-ttl --watch-namespaces --log-format --log-level --pod-name"
        + " --pod-namespace", e.getMessage());
  }

  private static void assertMessage(String message, Map<String, String> env) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OperatorConfig.fromEnvironment(env));
    assertEquals(message, e.getMessage());
  }
}

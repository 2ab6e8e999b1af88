package io.bucketprotection.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, read once at start from environment variables.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param defaultRegion region for resources without spec.region
 * @param defaultEndpoint S3 endpoint for resources without spec.endpoint; null means AWS
 * @param defaultCheckInterval drift re-check period for resources without spec.checkInterval
 * @param reconcileThreads how many resources are reconciled at once
 * @param mfaPause how long an MFA device stays paused after refused codes (unless its seed changes)
 * @param maxClockSkew the largest difference from the S3 server's clock at which codes are still made
 * @param secretsManagerEndpoint a Secrets Manager endpoint override (VPC endpoint, test double), or null
 * @param secretsCacheLifetime how long a value read from Secrets Manager is kept
 * @param contentMd5Endpoints S3 endpoints that need Content-MD5 instead of CRC32 checksums
 */
public record OperatorConfig(
    Set<String> namespaces,
    String defaultRegion,
    URI defaultEndpoint,
    Duration defaultCheckInterval,
    int reconcileThreads,
    Duration mfaPause,
    Duration maxClockSkew,
    URI secretsManagerEndpoint,
    Duration secretsCacheLifetime,
    Set<String> contentMd5Endpoints) {

  public static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(10);
  public static final Duration MAX_CHECK_INTERVAL = Duration.ofHours(24);

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    contentMd5Endpoints = Set.copyOf(contentMd5Endpoints);
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException("BPO_RECONCILE_THREADS must be at least 1");
    }
    if (defaultCheckInterval.compareTo(MIN_CHECK_INTERVAL) < 0
        || defaultCheckInterval.compareTo(MAX_CHECK_INTERVAL) > 0) {
      throw new IllegalArgumentException("BPO_DEFAULT_CHECK_INTERVAL must be between 10s and 24h");
    }
  }

  /** Settings from environment variables; see the configuration table in README.md. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    String region = firstNonBlank(env.get("BPO_DEFAULT_REGION"), env.get("AWS_REGION"), "us-east-1");
    String endpoint = firstNonBlank(env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"), null);
    String secretsManager = firstNonBlank(env.get("AWS_ENDPOINT_URL_SECRETS_MANAGER"), env.get("AWS_ENDPOINT_URL"), null);
    Set<String> namespaces = list(env.get("BPO_WATCH_NAMESPACES"));
    Set<String> md5Endpoints = list(env.get("BPO_CONTENT_MD5_ENDPOINTS"));
    Duration interval = Durations.parse(env.getOrDefault("BPO_DEFAULT_CHECK_INTERVAL", "5m"));
    int threads;
    try {
      threads = Integer.parseInt(env.getOrDefault("BPO_RECONCILE_THREADS", "20"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BPO_RECONCILE_THREADS must be a whole number");
    }
    return new OperatorConfig(namespaces, region, endpoint == null ? null : URI.create(endpoint),
        interval, threads, Durations.parse(env.getOrDefault("BPO_MFA_PAUSE", "15m")),
        Durations.parse(env.getOrDefault("BPO_MAX_CLOCK_SKEW", "5s")),
        secretsManager == null ? null : URI.create(secretsManager),
        Durations.parse(env.getOrDefault("BPO_SECRETS_CACHE_TTL", "5m")), md5Endpoints);
  }

  private static Set<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated == null ? new String[0] : commaSeparated.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
  }

  private static String firstNonBlank(String a, String b, String fallback) {
    if (a != null && !a.isBlank()) {
      return a.trim();
    }
    if (b != null && !b.isBlank()) {
      return b.trim();
    }
    return fallback;
  }
}

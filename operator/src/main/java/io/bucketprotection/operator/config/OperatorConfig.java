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
 */
public record OperatorConfig(
    Set<String> namespaces,
    String defaultRegion,
    URI defaultEndpoint,
    Duration defaultCheckInterval,
    int reconcileThreads,
    Duration mfaPause,
    Duration maxClockSkew) {

  public static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(10);
  public static final Duration MAX_CHECK_INTERVAL = Duration.ofHours(24);

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
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
    Set<String> namespaces = Arrays.stream(env.getOrDefault("BPO_WATCH_NAMESPACES", "").split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toSet());
    Duration interval = Durations.parse(env.getOrDefault("BPO_DEFAULT_CHECK_INTERVAL", "5m"));
    int threads;
    try {
      threads = Integer.parseInt(env.getOrDefault("BPO_RECONCILE_THREADS", "20"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("BPO_RECONCILE_THREADS must be a whole number");
    }
    return new OperatorConfig(namespaces, region, endpoint == null ? null : URI.create(endpoint),
        interval, threads, Durations.parse(env.getOrDefault("BPO_MFA_PAUSE", "15m")),
        Durations.parse(env.getOrDefault("BPO_MAX_CLOCK_SKEW", "5s")));
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

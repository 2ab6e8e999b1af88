package io.bucketprotection.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The operator's settings, read once at start from environment variables, each of which can
 * also be given as a flag: {@code BPO_WATCH_NAMESPACES} is {@code --watch-namespaces=...},
 * {@code LOG_LEVEL} is {@code --log-level=...}. Flags win over the environment.
 *
 * @param namespaces namespaces to watch; empty means all
 * @param labelSelector only BucketProtections with these labels (to split a fleet), or null
 * @param defaultRegion region for the first request to a bucket whose spec names none
 * @param defaultEndpoint S3 endpoint for resources without spec.endpoint; null means AWS
 * @param defaultCheckInterval drift re-check period for resources without spec.checkInterval
 * @param reconcileThreads how many resources are reconciled at once
 * @param mfaPause how long an MFA device stays paused after refused codes (unless its seed changes)
 * @param maxClockSkew the largest difference from the S3 server's clock at which codes are still made
 * @param secretsManagerEndpoint a Secrets Manager endpoint override (VPC endpoint, test double), or null
 * @param secretsCacheLifetime how long a value read from Secrets Manager is kept
 * @param contentMd5Endpoints S3 endpoints that need Content-MD5 instead of CRC32 checksums
 * @param httpPort port of /healthz and /readyz (the kubelet's probes); 0 serves no HTTP at all
 * @param metricsPort port of /metrics (Prometheus), never the probe port, so that a NetworkPolicy
 *     can let only Prometheus reach it
 * @param leaderElection the Lease that makes one replica the leader, or null for no election
 * @param logLevel the root log level
 * @param logFormat plain or json
 * @param allowedEndpoints the S3 endpoints (scheme://host:port) BucketProtections and S3Accounts
 *     may name; the default endpoint is always allowed, and a ClusterS3Account may name any
 * @param clusterResourceNamespace where the Kubernetes Secrets of ClusterS3Accounts live
 * @param accountSelector only accounts with these labels are served (to split a fleet), or null
 * @param clusterAccounts serve ClusterS3Accounts (and read Namespaces); false in the namespaced install
 */
public record OperatorConfig(
    Set<String> namespaces,
    String labelSelector,
    String defaultRegion,
    URI defaultEndpoint,
    Duration defaultCheckInterval,
    int reconcileThreads,
    int maxThreadsPerEndpoint,
    Duration mfaPause,
    Duration maxClockSkew,
    URI secretsManagerEndpoint,
    Duration secretsCacheLifetime,
    Set<String> contentMd5Endpoints,
    int httpPort,
    int metricsPort,
    LeaderElection leaderElection,
    String logLevel,
    String logFormat,
    Set<String> allowedEndpoints,
    String clusterResourceNamespace,
    String accountSelector,
    boolean clusterAccounts) {

  public static final Duration MIN_CHECK_INTERVAL = Duration.ofSeconds(10);
  public static final Duration MAX_CHECK_INTERVAL = Duration.ofHours(24);

  /** Every setting the operator reads, for flag validation and the README's table. */
  public static final List<String> SETTINGS = List.of("BPO_WATCH_NAMESPACES", "BPO_LABEL_SELECTOR",
      "BPO_DEFAULT_REGION", "AWS_REGION", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL",
      "AWS_ENDPOINT_URL_SECRETS_MANAGER", "BPO_DEFAULT_CHECK_INTERVAL", "BPO_RECONCILE_THREADS",
      "BPO_MAX_THREADS_PER_ENDPOINT",
      "BPO_MFA_PAUSE", "BPO_MAX_CLOCK_SKEW", "BPO_SECRETS_CACHE_TTL", "BPO_CONTENT_MD5_ENDPOINTS",
      "BPO_HTTP_PORT", "BPO_METRICS_PORT", "BPO_LEADER_ELECTION", "BPO_LEADER_ELECTION_LEASE",
      "BPO_LEADER_ELECTION_NAMESPACE",
      "BPO_LEADER_ELECTION_LEASE_DURATION", "POD_NAMESPACE", "POD_NAME", "LOG_LEVEL", "LOG_FORMAT",
      "BPO_ALLOWED_ENDPOINTS", "BPO_CLUSTER_RESOURCE_NAMESPACE", "BPO_ACCOUNT_SELECTOR", "BPO_CLUSTER_ACCOUNTS");

  /** Where ClusterS3Accounts' Secrets live when neither the setting nor the pod's namespace says. */
  public static final String DEFAULT_CLUSTER_RESOURCE_NAMESPACE = "bucket-protection-system";

  /**
   * One replica leads, holding a Lease; the others wait to take over.
   *
   * @param exitOnLoss end the process when the lease is lost, so a fresh start (with a fresh MFA
   *     ledger that waits out any step the old leader may have used) is the only way back
   */
  public record LeaderElection(String leaseName, String leaseNamespace, String identity, Duration leaseDuration,
      boolean exitOnLoss) {

    public Duration renewDeadline() {
      return leaseDuration.multipliedBy(2).dividedBy(3);
    }

    public Duration retryPeriod() {
      return leaseDuration.dividedBy(7);
    }

    public LeaderElection withExitOnLoss(boolean exit) {
      return new LeaderElection(leaseName, leaseNamespace, identity, leaseDuration, exit);
    }
  }

  public OperatorConfig {
    namespaces = Set.copyOf(namespaces);
    contentMd5Endpoints = Set.copyOf(contentMd5Endpoints);
    allowedEndpoints = Set.copyOf(allowedEndpoints);
    if (reconcileThreads < 1) {
      throw new IllegalArgumentException("BPO_RECONCILE_THREADS must be at least 1");
    }
    if (maxThreadsPerEndpoint < 1) {
      throw new IllegalArgumentException("BPO_MAX_THREADS_PER_ENDPOINT must be at least 1");
    }
    if (defaultCheckInterval.compareTo(MIN_CHECK_INTERVAL) < 0
        || defaultCheckInterval.compareTo(MAX_CHECK_INTERVAL) > 0) {
      throw new IllegalArgumentException("BPO_DEFAULT_CHECK_INTERVAL must be between 10s and 24h");
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("BPO_HTTP_PORT must be between 0 (no HTTP at all) and 65535, not " + httpPort);
    }
    if (metricsPort < 1 || metricsPort > 65535) {
      throw new IllegalArgumentException("BPO_METRICS_PORT must be between 1 and 65535, not " + metricsPort
          + " (to serve no HTTP at all, set BPO_HTTP_PORT=0)");
    }
    if (metricsPort == httpPort) {
      throw new IllegalArgumentException("BPO_METRICS_PORT must differ from BPO_HTTP_PORT (" + httpPort
          + "): /metrics has a port of its own, which the NetworkPolicy opens only to Prometheus");
    }
    if (!"plain".equals(logFormat) && !"json".equals(logFormat)) {
      throw new IllegalArgumentException("LOG_FORMAT must be plain or json");
    }
  }

  /** Settings from environment variables; see the configuration table in README.md. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironmentAndArgs(env, new String[0]);
  }

  /** Settings from environment variables, overridden by {@code --name=value} flags. */
  public static OperatorConfig fromEnvironmentAndArgs(Map<String, String> env, String[] args) {
    Map<String, String> settings = new HashMap<>(env);
    settings.putAll(flags(args));
    String region = firstNonBlank(settings.get("BPO_DEFAULT_REGION"), settings.get("AWS_REGION"), "us-east-1");
    String endpoint = firstNonBlank(settings.get("AWS_ENDPOINT_URL_S3"), settings.get("AWS_ENDPOINT_URL"), null);
    String secretsManager = firstNonBlank(settings.get("AWS_ENDPOINT_URL_SECRETS_MANAGER"),
        settings.get("AWS_ENDPOINT_URL"), null);
    int threads = integer(settings, "BPO_RECONCILE_THREADS", 20);
    return new OperatorConfig(
        list(settings.get("BPO_WATCH_NAMESPACES")),
        firstNonBlank(settings.get("BPO_LABEL_SELECTOR"), null, null),
        region,
        endpoint == null ? null : URI.create(endpoint),
        Durations.parse(settings.getOrDefault("BPO_DEFAULT_CHECK_INTERVAL", "5m")),
        threads,
        // Half the threads by default: a silent endpoint leaves the other half to the rest.
        integer(settings, "BPO_MAX_THREADS_PER_ENDPOINT", Math.max(1, threads / 2)),
        Durations.parse(settings.getOrDefault("BPO_MFA_PAUSE", "15m")),
        Durations.parse(settings.getOrDefault("BPO_MAX_CLOCK_SKEW", "5s")),
        secretsManager == null ? null : URI.create(secretsManager),
        Durations.parse(settings.getOrDefault("BPO_SECRETS_CACHE_TTL", "5m")),
        list(settings.get("BPO_CONTENT_MD5_ENDPOINTS")),
        integer(settings, "BPO_HTTP_PORT", 8080),
        integer(settings, "BPO_METRICS_PORT", 8081),
        leaderElection(settings),
        settings.getOrDefault("LOG_LEVEL", "INFO").toUpperCase(Locale.ROOT),
        settings.getOrDefault("LOG_FORMAT", "plain").toLowerCase(Locale.ROOT),
        allowedEndpoints(settings.get("BPO_ALLOWED_ENDPOINTS")),
        firstNonBlank(settings.get("BPO_CLUSTER_RESOURCE_NAMESPACE"), settings.get("POD_NAMESPACE"),
            DEFAULT_CLUSTER_RESOURCE_NAMESPACE),
        firstNonBlank(settings.get("BPO_ACCOUNT_SELECTOR"), null, null),
        Boolean.parseBoolean(settings.getOrDefault("BPO_CLUSTER_ACCOUNTS", "true").trim()));
  }

  /** The same settings with another leader election (tests run several instances in one JVM). */
  public OperatorConfig withLeaderElection(LeaderElection election) {
    return new OperatorConfig(namespaces, labelSelector, defaultRegion, defaultEndpoint, defaultCheckInterval,
        reconcileThreads, maxThreadsPerEndpoint, mfaPause, maxClockSkew, secretsManagerEndpoint, secretsCacheLifetime, contentMd5Endpoints,
        httpPort, metricsPort, election, logLevel, logFormat, allowedEndpoints, clusterResourceNamespace, accountSelector,
        clusterAccounts);
  }

  /** BPO_ALLOWED_ENDPOINTS: each entry as scheme://host:port, the form endpoints are compared in. */
  private static Set<String> allowedEndpoints(String commaSeparated) {
    Set<String> origins = new java.util.HashSet<>();
    for (String entry : list(commaSeparated)) {
      URI uri;
      try {
        uri = new URI(entry);
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("BPO_ALLOWED_ENDPOINTS: '" + entry + "' is not a URL");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException("BPO_ALLOWED_ENDPOINTS: '" + entry + "' is not an http(s)://host[:port] URL");
      }
      origins.add(io.bucketprotection.operator.s3.S3Endpoints.origin(uri));
    }
    return origins;
  }

  private static LeaderElection leaderElection(Map<String, String> settings) {
    if (!Boolean.parseBoolean(settings.getOrDefault("BPO_LEADER_ELECTION", "false"))) {
      return null;
    }
    String namespace = firstNonBlank(settings.get("BPO_LEADER_ELECTION_NAMESPACE"), settings.get("POD_NAMESPACE"), null);
    if (namespace == null) {
      throw new IllegalArgumentException(
          "BPO_LEADER_ELECTION=true needs the Lease's namespace: BPO_LEADER_ELECTION_NAMESPACE or POD_NAMESPACE");
    }
    String identity = firstNonBlank(settings.get("POD_NAME"), settings.get("HOSTNAME"), "bucket-protection-operator");
    return new LeaderElection(settings.getOrDefault("BPO_LEADER_ELECTION_LEASE", "bucket-protection-operator"),
        namespace, identity, Durations.parse(settings.getOrDefault("BPO_LEADER_ELECTION_LEASE_DURATION", "15s")),
        true);
  }

  /** {@code --watch-namespaces=a,b} -> BPO_WATCH_NAMESPACES; {@code --log-level=DEBUG} -> LOG_LEVEL. */
  static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    Set<String> known = new TreeSet<>(SETTINGS);
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("flags look like --name=value, not '" + arg + "'");
      }
      String name = arg.substring(2, eq).toUpperCase(Locale.ROOT).replace('-', '_');
      String key = known.contains(name) ? name : "BPO_" + name;
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown flag " + arg.substring(0, eq) + "; the settings are "
            + known.stream().map(k -> "--" + k.replaceFirst("^BPO_", "").toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(" ")));
      }
      flags.put(key, arg.substring(eq + 1));
    }
    return flags;
  }

  private static int integer(Map<String, String> settings, String name, int fallback) {
    try {
      return Integer.parseInt(settings.getOrDefault(name, String.valueOf(fallback)).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number");
    }
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

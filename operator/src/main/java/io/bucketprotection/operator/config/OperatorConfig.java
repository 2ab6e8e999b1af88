package io.bucketprotection.operator.config;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, read once at start from environment variables, each of which can
 * also be given as a flag: {@code BPO_WATCH_NAMESPACES} is {@code --watch-namespaces=...},
 * {@code LOG_LEVEL} is {@code --log-level=...}. Flags win over the environment. Each variable,
 * with its default, parser and meaning, is declared once, in {@link Settings}.
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

  /** Settings from environment variables; see docs/reference/configuration.md. */
  public static OperatorConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironmentAndArgs(env, new String[0]);
  }

  /** Settings from environment variables, overridden by {@code --name=value} flags. */
  public static OperatorConfig fromEnvironmentAndArgs(Map<String, String> env, String[] args) {
    Map<String, String> settings = new HashMap<>(env);
    settings.putAll(flags(args));
    // Read in the order they always were, so that of two bad settings the same one is named.
    String region = Settings.DEFAULT_REGION.read(settings);
    URI endpoint = Settings.DEFAULT_ENDPOINT.read(settings);
    URI secretsManager = Settings.SECRETS_MANAGER_ENDPOINT.read(settings);
    int threads = Settings.RECONCILE_THREADS.read(settings);
    return new OperatorConfig(
        Settings.WATCH_NAMESPACES.read(settings),
        Settings.LABEL_SELECTOR.read(settings),
        region,
        endpoint,
        Settings.DEFAULT_CHECK_INTERVAL.read(settings),
        threads,
        maxThreadsPerEndpoint(settings, threads),
        Settings.MFA_PAUSE.read(settings),
        Settings.MAX_CLOCK_SKEW.read(settings),
        secretsManager,
        Settings.SECRETS_CACHE_TTL.read(settings),
        Settings.CONTENT_MD5_ENDPOINTS.read(settings),
        Settings.HTTP_PORT.read(settings),
        Settings.METRICS_PORT.read(settings),
        leaderElection(settings),
        Settings.LOG_LEVEL.read(settings),
        Settings.LOG_FORMAT.read(settings),
        Settings.ALLOWED_ENDPOINTS.read(settings),
        Settings.CLUSTER_RESOURCE_NAMESPACE.read(settings),
        Settings.ACCOUNT_SELECTOR.read(settings),
        Settings.CLUSTER_ACCOUNTS.read(settings));
  }

  /** The same settings with another leader election (tests run several instances in one JVM). */
  public OperatorConfig withLeaderElection(LeaderElection election) {
    return new OperatorConfig(namespaces, labelSelector, defaultRegion, defaultEndpoint, defaultCheckInterval,
        reconcileThreads, maxThreadsPerEndpoint, mfaPause, maxClockSkew, secretsManagerEndpoint, secretsCacheLifetime, contentMd5Endpoints,
        httpPort, metricsPort, election, logLevel, logFormat, allowedEndpoints, clusterResourceNamespace, accountSelector,
        clusterAccounts);
  }

  /** Half the reconcile threads unless set: a silent endpoint leaves the other half to the rest. */
  private static int maxThreadsPerEndpoint(Map<String, String> settings, int threads) {
    Integer set = Settings.MAX_THREADS_PER_ENDPOINT.read(settings);
    return set != null ? set : Math.max(1, threads / 2);
  }

  /** Reads the election's other settings only when it is on. */
  private static LeaderElection leaderElection(Map<String, String> settings) {
    if (!Settings.LEADER_ELECTION.read(settings)) {
      return null;
    }
    String namespace = Settings.LEADER_ELECTION_NAMESPACE.read(settings);
    if (namespace == null) {
      throw new IllegalArgumentException(Settings.LEADER_ELECTION.name() + "=true needs the Lease's namespace: "
          + Settings.LEADER_ELECTION_NAMESPACE.name() + " or POD_NAMESPACE");
    }
    return new LeaderElection(Settings.LEADER_ELECTION_LEASE.read(settings), namespace,
        Settings.POD_NAME.read(settings), Settings.LEADER_ELECTION_LEASE_DURATION.read(settings), true);
  }

  /** {@code --watch-namespaces=a,b} -> BPO_WATCH_NAMESPACES; {@code --log-level=DEBUG} -> LOG_LEVEL. */
  static Map<String, String> flags(String[] args) {
    Map<String, String> flags = new HashMap<>();
    Set<String> known = Settings.flagVariables();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("flags look like --name=value, not '" + arg + "'");
      }
      String name = arg.substring(2, eq).toUpperCase(Locale.ROOT).replace('-', '_');
      String key = known.contains(name) ? name : "BPO_" + name;
      if (!known.contains(key)) {
        throw new IllegalArgumentException("unknown flag " + arg.substring(0, eq) + "; the settings are "
            + known.stream().map(Setting::flag).collect(Collectors.joining(" ")));
      }
      flags.put(key, arg.substring(eq + 1));
    }
    return flags;
  }
}

package io.bucketprotection.operator.config;

import static io.bucketprotection.operator.config.Setting.firstNonBlank;
import static io.bucketprotection.operator.config.Setting.of;

import io.bucketprotection.operator.s3.S3Endpoints;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every setting the operator reads, each declared once: variable, fallbacks, default, parser and
 * meaning. {@link OperatorConfig} reads them; docs/reference/configuration.md's table is
 * {@link #markdownTable()} (SettingsTableTest holds it there). The checks that join two
 * settings (ports, thread counts, ranges) are in {@link OperatorConfig}'s constructor.
 */
public final class Settings {

  public static final Setting<Set<String>> WATCH_NAMESPACES = firstNonBlank("BPO_WATCH_NAMESPACES", List.of(), null,
      "all", Setting::list, "comma-separated namespaces to watch");
  public static final Setting<String> LABEL_SELECTOR = firstNonBlank("BPO_LABEL_SELECTOR", List.of(), null, "none",
      Setting::asIs, "only BucketProtections with these labels");
  public static final Setting<String> DEFAULT_REGION = firstNonBlank("BPO_DEFAULT_REGION", List.of("AWS_REGION"),
      "us-east-1", null, Setting::asIs, "region for the first request to a bucket whose spec names none");
  public static final Setting<URI> DEFAULT_ENDPOINT = firstNonBlank("AWS_ENDPOINT_URL_S3",
      List.of("AWS_ENDPOINT_URL"), null, "AWS", Setting::uri, "S3 endpoint for resources without `spec.endpoint`");
  public static final Setting<URI> SECRETS_MANAGER_ENDPOINT = firstNonBlank("AWS_ENDPOINT_URL_SECRETS_MANAGER",
      List.of("AWS_ENDPOINT_URL"), null, "AWS", Setting::uri, "Secrets Manager endpoint (a VPC endpoint, a test double)");
  public static final Setting<Duration> DEFAULT_CHECK_INTERVAL = of("BPO_DEFAULT_CHECK_INTERVAL", "5m",
      Setting::duration, "drift re-check period for resources without `spec.checkInterval` (10s..24h)");
  public static final Setting<Integer> RECONCILE_THREADS = of("BPO_RECONCILE_THREADS", "20", Setting::integer,
      "resources reconciled at once");
  // No fixed default: half the reconcile threads, so a silent endpoint leaves the other half to the rest.
  public static final Setting<Integer> MAX_THREADS_PER_ENDPOINT = new Setting<>("BPO_MAX_THREADS_PER_ENDPOINT",
      Setting::integer, List.of(), null, "half of `BPO_RECONCILE_THREADS`", "reconcile threads one S3 endpoint may"
      + " hold at once (policies' listings included), so a slow endpoint cannot starve the others; with a single"
      + " endpoint, set it to"
      + " `BPO_RECONCILE_THREADS`", false);
  public static final Setting<Duration> MFA_PAUSE = of("BPO_MFA_PAUSE", "15m", Setting::duration,
      "how long an MFA device stays paused after two refused codes in a row (a changed seed lifts it sooner)");
  public static final Setting<Duration> MAX_CLOCK_SKEW = of("BPO_MAX_CLOCK_SKEW", "5s", Setting::duration,
      "largest difference from the S3 server's clock at which codes are still made");
  public static final Setting<Duration> SECRETS_CACHE_TTL = of("BPO_SECRETS_CACHE_TTL", "5m", Setting::duration,
      "how long a value read from Secrets Manager is kept");
  public static final Setting<Set<String>> CONTENT_MD5_ENDPOINTS = firstNonBlank("BPO_CONTENT_MD5_ENDPOINTS",
      List.of(), null, "none", Setting::list,
      "comma-separated S3 endpoints that need `Content-MD5` instead of CRC32 checksums");
  public static final Setting<Integer> HTTP_PORT = of("BPO_HTTP_PORT", "8080", Setting::integer,
      "port of `/healthz` and `/readyz` (the kubelet's probes), 0..65535; `0` serves no HTTP at all (no probes,"
      + " no `/metrics`)");
  public static final Setting<Integer> METRICS_PORT = of("BPO_METRICS_PORT", "8081", Setting::integer,
      "port of `/metrics` (Prometheus), 1..65535 and never `BPO_HTTP_PORT`: a port of its own, so the NetworkPolicy"
      + " can open it to Prometheus only");
  public static final Setting<Boolean> LEADER_ELECTION = of("BPO_LEADER_ELECTION", "false", Setting::bool,
      "run for leader (the Deployment sets `true`); needs the Lease's namespace");
  public static final Setting<String> LEADER_ELECTION_NAMESPACE = firstNonBlank("BPO_LEADER_ELECTION_NAMESPACE",
      List.of("POD_NAMESPACE"), null, "none", Setting::asIs, "namespace of the Lease");
  public static final Setting<String> LEADER_ELECTION_LEASE = of("BPO_LEADER_ELECTION_LEASE",
      "bucket-protection-operator", Setting::asIs, "name of the Lease");
  public static final Setting<Duration> LEADER_ELECTION_LEASE_DURATION = of("BPO_LEADER_ELECTION_LEASE_DURATION",
      "15s", Setting::duration, "lease duration; renew deadline 2/3 of it");
  public static final Setting<String> POD_NAME = firstNonBlank("POD_NAME", List.of("HOSTNAME"),
      "bucket-protection-operator", null, Setting::asIs, "this replica's identity in the Lease");
  public static final Setting<String> LOG_LEVEL = of("LOG_LEVEL", "INFO", Setting::upperCase,
      "log level (the secret-printing loggers stay at INFO whatever it says)");
  public static final Setting<String> LOG_FORMAT = of("LOG_FORMAT", "plain", Setting::lowerCase,
      "`plain` or `json` (one JSON object a line)");
  public static final Setting<Set<String>> ALLOWED_ENDPOINTS = firstNonBlank("BPO_ALLOWED_ENDPOINTS", List.of(),
      null, "none", Settings::origins, "comma-separated S3 endpoints (`scheme://host[:port]`) that BucketProtections"
      + " and S3Accounts may name; the default endpoint is always allowed, a ClusterS3Account may name any");
  public static final Setting<String> CLUSTER_RESOURCE_NAMESPACE = firstNonBlank("BPO_CLUSTER_RESOURCE_NAMESPACE",
      List.of("POD_NAMESPACE"), OperatorConfig.DEFAULT_CLUSTER_RESOURCE_NAMESPACE, null, Setting::asIs,
      "where the Kubernetes Secrets of ClusterS3Accounts live");
  public static final Setting<String> ACCOUNT_SELECTOR = firstNonBlank("BPO_ACCOUNT_SELECTOR", List.of(), null,
      "none", Setting::asIs,
      "only accounts with these labels are served (give each operator deployment its own accounts and devices)");
  public static final Setting<Boolean> CLUSTER_ACCOUNTS = of("BPO_CLUSTER_ACCOUNTS", "true", Setting::trimmedBool,
      "serve ClusterS3Accounts (and watch Namespaces for their selectors); `deploy/namespaced/` sets `false`");

  /** All of them, in the documented table's order. */
  public static final List<Setting<?>> ALL = List.of(WATCH_NAMESPACES, LABEL_SELECTOR, DEFAULT_REGION,
      DEFAULT_ENDPOINT, SECRETS_MANAGER_ENDPOINT, DEFAULT_CHECK_INTERVAL, RECONCILE_THREADS, MAX_THREADS_PER_ENDPOINT,
      MFA_PAUSE, MAX_CLOCK_SKEW, SECRETS_CACHE_TTL, CONTENT_MD5_ENDPOINTS, HTTP_PORT, METRICS_PORT, LEADER_ELECTION,
      LEADER_ELECTION_NAMESPACE, LEADER_ELECTION_LEASE, LEADER_ELECTION_LEASE_DURATION, POD_NAME, LOG_LEVEL,
      LOG_FORMAT, ALLOWED_ENDPOINTS, CLUSTER_RESOURCE_NAMESPACE, ACCOUNT_SELECTOR, CLUSTER_ACCOUNTS);

  /** The shell and the container runtime set HOSTNAME for every process; it is read, but it is no flag. */
  private static final Set<String> NOT_FLAGS = Set.of("HOSTNAME");

  private Settings() {
  }

  /** Every variable that can also be given as a flag: the settings and their fallbacks, sorted. */
  public static Set<String> flagVariables() {
    Set<String> names = new TreeSet<>();
    for (Setting<?> setting : ALL) {
      names.add(setting.name());
      names.addAll(setting.fallbacks());
    }
    names.removeAll(NOT_FLAGS);
    return names;
  }

  /** docs/reference/configuration.md's table: header, separator, one row per setting. */
  public static List<String> markdownTable() {
    List<String> lines = new ArrayList<>(List.of("| variable | default | meaning |", "| --- | --- | --- |"));
    ALL.forEach(setting -> lines.add(setting.tableRow()));
    return lines;
  }

  /** BPO_ALLOWED_ENDPOINTS: each entry as scheme://host:port, the form endpoints are compared in. */
  private static Set<String> origins(String name, String commaSeparated) {
    Set<String> origins = new HashSet<>();
    for (String entry : Setting.list(name, commaSeparated)) {
      URI uri;
      try {
        uri = new URI(entry);
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(name + ": '" + entry + "' is not a URL");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
        throw new IllegalArgumentException(name + ": '" + entry + "' is not an http(s)://host[:port] URL");
      }
      origins.add(S3Endpoints.origin(uri));
    }
    return origins;
  }
}

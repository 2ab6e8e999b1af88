package io.bucketprotection.operator.metrics;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.status.Conditions;
import io.bucketprotection.operator.decide.Reason;
import io.fabric8.kubernetes.api.model.Condition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The operator's own metrics (JOSDK adds its reconciliation metrics to the same registry). In
 * Prometheus: bpo_buckets, bpo_drift_detected_total, bpo_drift_corrected_total,
 * bpo_s3_requests_seconds, bpo_mfa_codes_used_total, bpo_mfa_codes_refused_total,
 * bpo_mfa_queue_length, bpo_mfa_wait_seconds, bpo_secretsmanager_fetches_total,
 * bpo_mfa_devices, bpo_awaiting_mfa_code, bpo_endpoint_busy_total, bpo_root_requests_total.
 */
public final class OperatorMetrics {

  private static final long COUNT_CACHE_MILLIS = 1000;

  private final MeterRegistry registry;
  private final Counter driftDetected;
  private final Counter driftCorrected;
  private final Counter endpointBusy;
  private volatile Map<String, Long> reasonCounts = Map.of();
  private volatile long reasonCountsAt;
  private volatile Runnable awaitingRefresh = () -> { };
  private volatile Runnable queueRefresh = () -> { };
  static final int MAX_DEVICE_SERIES = 50;
  /** The devices named in the code counters (bounded: see {@link #deviceLabel}). */
  private final Set<String> codeDevices = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Accounts named in bpo_root_requests_total; the rest add up under account="other". */
  static final int MAX_ACCOUNT_SERIES = 50;
  private final java.util.Set<String> rootAccounts = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Why a request was signed with root keys: the label of bpo_root_requests_total. */
  public enum RootPurpose {
    CODED_WRITE("coded-write"), READ("read"), LIST("list"), PLAIN_WRITE("plain-write"), DELETE("delete"),
    PROOF("proof");

    private final String label;

    RootPurpose(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.driftDetected = Counter.builder("bpo.drift.detected")
        .description("Buckets found changed outside the operator").register(registry);
    this.driftCorrected = Counter.builder("bpo.drift.corrected")
        .description("Drift the operator put back (Enforce mode)").register(registry);
    this.endpointBusy = Counter.builder("bpo.endpoint.busy")
        .description("Reconciles put off because their S3 endpoint held its share of the threads")
        .register(registry);
  }

  /**
   * bpo_root_requests_total{account, purpose}: one request signed with an account's root keys
   * (nothing for an observer's). Only coded writes, deletions and proofs need root: any other
   * purpose means an account without an observer.
   */
  public void rootRequest(io.bucketprotection.operator.s3.Signer signer, RootPurpose purpose) {
    if (!signer.root()) {
      return;
    }
    String account = signer.account();
    if (!rootAccounts.contains(account)) {
      synchronized (rootAccounts) {
        if (rootAccounts.size() < MAX_ACCOUNT_SERIES) {
          rootAccounts.add(account);
        }
      }
      if (!rootAccounts.contains(account)) {
        account = "other";
      }
    }
    Counter.builder("bpo.root.requests").description("Requests signed with an account's root keys, by purpose")
        .tag("account", account).tag("purpose", purpose.label()).register(registry).increment();
  }

  public void endpointBusy() {
    endpointBusy.increment();
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void driftDetected() {
    driftDetected.increment();
  }

  public void driftCorrected() {
    driftCorrected.increment();
  }

  /** bpo_mfa_codes_used_total{device} and bpo_mfa_wait_seconds{device}: a code of {@code device} was sent. */
  public void mfaCodeUsed(String device, Duration waited) {
    String label = deviceLabel(device);
    Counter.builder("bpo.mfa.codes.used").description("MFA codes sent to S3, by device").tag("device", label)
        .register(registry).increment();
    Timer.builder("bpo.mfa.wait").description("How long changes waited for their MFA time step, by device")
        .tag("device", label).register(registry).record(waited);
  }

  /** bpo_mfa_codes_refused_total{device}. */
  public void mfaCodeRefused(String device) {
    Counter.builder("bpo.mfa.codes.refused").description("MFA codes S3 refused, by device")
        .tag("device", deviceLabel(device)).register(registry).increment();
  }

  /**
   * The device label of a code's series: at most {@link #MAX_DEVICE_SERIES} devices are named,
   * the rest count as "other", so a namespace naming many serials cannot flood Prometheus.
   */
  private String deviceLabel(String device) {
    if (!codeDevices.contains(device)) {
      synchronized (codeDevices) {
        if (codeDevices.size() < MAX_DEVICE_SERIES && codeDevices.add(device)) {
          // Both counters of a device exist from its first code: a refusal rate is defined before the first refusal.
          Counter.builder("bpo.mfa.codes.used").description("MFA codes sent to S3, by device").tag("device", device)
              .register(registry);
          Counter.builder("bpo.mfa.codes.refused").description("MFA codes S3 refused, by device")
              .tag("device", device).register(registry);
        }
      }
    }
    return codeDevices.contains(device) ? device : "other";
  }

  /** One S3 call: its operation, its outcome ("ok" or an error kind) and how long it took. */
  public void s3Call(String operation, String outcome, long nanos) {
    Timer.builder("bpo.s3.requests").description("S3 calls by operation and outcome")
        .tag("operation", operation).tag("outcome", outcome)
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** One GetSecretValue (cache misses only): "ok" or the problem kind. */
  public void secretsManagerFetch(String outcome) {
    Counter.builder("bpo.secretsmanager.fetches").description("GetSecretValue calls by outcome")
        .tag("outcome", outcome).register(registry).increment();
  }

  /** bpo_buckets{ready, reason}: BucketProtections by Ready reason, counted from the informer cache. */
  public void watchBuckets(Supplier<Collection<BucketProtection>> resources) {
    for (Reason reason : Reason.values()) {
      Gauge.builder("bpo.buckets", () -> countByReason(resources).getOrDefault(reason.name(), 0L))
          .description("BucketProtections by Ready reason")
          .tag("ready", reason.ready().value()).tag("reason", reason.name())
          .register(registry);
    }
  }

  /** bpo_mfa_queue_length{device}: changes waiting for an MFA time step, by the device each will take. */
  public void watchMfaQueue(Supplier<Map<String, Integer>> waiting) {
    queueRefresh = byDevice(MultiGauge.builder("bpo.mfa.queue.length")
        .description("Changes waiting for an MFA time step, by the device each will take").register(registry), waiting);
    queueRefresh.run();
  }

  /** Rows of {@code gauge} by device, at most {@link #MAX_DEVICE_SERIES} named, the rest under "other". */
  private static Runnable byDevice(MultiGauge gauge, Supplier<Map<String, Integer>> counts) {
    return () -> {
      Map<String, Integer> named = new java.util.TreeMap<>();
      counts.get().forEach((device, count) -> named.merge(named.size() < MAX_DEVICE_SERIES
          || named.containsKey(device) ? device : "other", count, Integer::sum));
      gauge.register(named.entrySet().stream()
          .map(e -> MultiGauge.Row.of(Tags.of("device", e.getKey()), e.getValue()))
          .collect(Collectors.toList()), true);
    };
  }

  /**
   * bpo_awaiting_mfa_code{device}: changes waiting for a person's code, by device, so an alert can
   * page whoever holds the token. Devices come and go with their waiters (a waiter that gives up
   * is gone within minutes), and at most {@link #MAX_DEVICE_SERIES} devices are named: the rest add
   * up under device="other", so a namespace naming many serials cannot flood Prometheus.
   */
  public void watchAwaitingMfaCode(Supplier<Map<String, Integer>> waiting) {
    MultiGauge gauge = MultiGauge.builder("bpo.awaiting.mfa.code")
        .description("Changes waiting for a code a person supplies, by MFA device").register(registry);
    awaitingRefresh = byDevice(gauge, waiting);
    awaitingRefresh.run();
  }

  /** Brings bpo_awaiting_mfa_code and bpo_mfa_queue_length up to date (after a reconcile, and before a scrape). */
  public void refreshAwaitingMfaCode() {
    awaitingRefresh.run();
    queueRefresh.run();
  }

  /** bpo_mfa_devices: MFA devices the ledger remembers (idle ones are forgotten). */
  public void watchMfaDevices(Supplier<Integer> devices) {
    Gauge.builder("bpo.mfa.devices", devices::get)
        .description("MFA devices the code ledger remembers").register(registry);
  }

  private Map<String, Long> countByReason(Supplier<Collection<BucketProtection>> resources) {
    // One pass over the cache per scrape, not one per reason.
    long now = System.currentTimeMillis();
    if (now - reasonCountsAt > COUNT_CACHE_MILLIS) {
      reasonCounts = resources.get().stream()
          .map(bp -> bp.getStatus() == null ? null
              : Conditions.find(bp.getStatus().getConditions(), Conditions.READY).map(Condition::getReason).orElse(null))
          .filter(r -> r != null)
          .collect(Collectors.groupingBy(r -> r, Collectors.counting()));
      reasonCountsAt = now;
    }
    return reasonCounts;
  }
}

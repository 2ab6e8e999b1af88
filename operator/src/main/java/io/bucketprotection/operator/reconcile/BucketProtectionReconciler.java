package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.secrets.CachingSecretsManagerReader;
import io.bucketprotection.operator.secrets.SecretReader;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.status.Conditions;
import io.bucketprotection.operator.status.EventRecorder;
import io.bucketprotection.operator.status.ReadyReason;
import io.bucketprotection.operator.status.StatusBuilder;
import io.bucketprotection.operator.status.Verdict;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles BucketProtections: validate, check bucket ownership, then {@link BucketSync}; turns
 * the verdict into a status (patched only when it changed), events and the next check time.
 */
@ControllerConfiguration(name = BucketProtectionReconciler.NAME)
public class BucketProtectionReconciler implements Reconciler<BucketProtection> {

  public static final String NAME = "bucketprotection";
  private static final Logger LOG = LoggerFactory.getLogger(BucketProtectionReconciler.class);
  static final String SECRET_INDEX = "bucketprotection.io/secret-refs";
  static final String BUCKET_INDEX = "bucketprotection.io/bucket";
  static final Duration MIN_BACKOFF = Duration.ofSeconds(2);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private final OperatorConfig config;
  private final BucketSync sync;
  private final EventRecorder events;
  private final Clock clock;
  private final CachingSecretsManagerReader secretsManager;
  private final OperatorMetrics metrics;
  private volatile SecretResolver secrets;

  public BucketProtectionReconciler(OperatorConfig config, BucketStore store, MfaCodeLedger ledger,
      CachingSecretsManagerReader secretsManager, EventRecorder events, Clock clock, OperatorMetrics metrics) {
    this.config = config;
    this.secretsManager = secretsManager;
    this.metrics = metrics;
    this.sync = new BucketSync(config, store, ledger, new TotpCodeGenerator(), clock, metrics);
    metrics.watchMfaQueue(ledger::waiting);
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, BucketProtection>> prepareEventSources(EventSourceContext<BucketProtection> context) {
    context.getPrimaryCache().addIndexers(Map.of(
        SECRET_INDEX, this::referencedSecrets,
        BUCKET_INDEX, this::bucketKeys));
    metrics.watchBuckets(() -> context.getPrimaryCache().list().toList());
    // Secrets come from an informer: a reconcile never costs an API GET, and a change to a
    // referenced Secret (a fixed seed, rotated keys) triggers the resources that use it.
    InformerEventSourceConfiguration<Secret> configuration = InformerEventSourceConfiguration
        .from(Secret.class, BucketProtection.class)
        .withName("secrets")
        .withSecondaryToPrimaryMapper(secret -> context.getPrimaryCache()
            .byIndex(SECRET_INDEX, secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName())
            .stream()
            .map(ResourceID::fromResource)
            .collect(Collectors.toSet()))
        .build();
    InformerEventSource<Secret, BucketProtection> secretSource = new InformerEventSource<>(configuration, context);
    secrets = new SecretResolver(
        new SecretReader((namespace, name) -> secretSource.get(new ResourceID(name, namespace))), secretsManager);
    return List.of(secretSource);
  }

  @Override
  public UpdateControl<BucketProtection> reconcile(BucketProtection resource, Context<BucketProtection> context) {
    Instant now = clock.instant();
    DesiredState desired;
    try {
      desired = SpecValidator.validate(resource.getSpec(), config);
    } catch (InvalidSpecException e) {
      return finish(resource, Verdict.of(ReadyReason.InvalidSpec, e.getMessage()
          + " Correct the spec; nothing is written to the bucket until then."), config.defaultCheckInterval(), now);
    }
    return finish(resource, decide(resource, desired, context.getPrimaryCache()), desired.checkInterval(), now);
  }

  private Verdict decide(BucketProtection resource, DesiredState desired, IndexedResourceCache<BucketProtection> cache) {
    Optional<BucketProtection> owner = owner(cache, bucketKeyOf(desired));
    if (owner.isPresent() && !sameResource(owner.get(), resource)) {
      BucketProtection other = owner.get();
      return Verdict.of(ReadyReason.Conflict, "BucketProtection " + other.getMetadata().getNamespace() + "/"
          + other.getMetadata().getName() + " (older) already manages bucket " + desired.bucket()
          + " at this endpoint. This resource writes nothing while that one exists: delete one of the two.");
    }
    return sync.sync(resource, desired, secrets);
  }

  private UpdateControl<BucketProtection> finish(BucketProtection resource, Verdict verdict, Duration checkInterval,
      Instant now) {
    BucketProtectionStatus previous = resource.getStatus();
    long generation = Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
    BucketProtectionStatus next = StatusBuilder.next(previous, generation, verdict, now);
    publishEvents(resource, previous, verdict);
    Duration delay = nextCheck(verdict, next, checkInterval, now);

    UpdateControl<BucketProtection> control;
    if (next.equals(previous)) {
      control = UpdateControl.noUpdate();
    } else {
      resource.setStatus(next);
      control = UpdateControl.patchStatus(resource);
    }
    return delay == null ? control : control.rescheduleAfter(delay);
  }

  @Override
  public ErrorStatusUpdateControl<BucketProtection> updateErrorStatus(BucketProtection resource,
      Context<BucketProtection> context, Exception e) {
    LOG.error("Unexpected error reconciling {}/{}", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), e);
    Verdict verdict = Verdict.of(ReadyReason.ReconcileError, "Unexpected " + e.getClass().getSimpleName()
        + " inside the operator; it retries with back-off. If this persists, see the operator's log.");
    BucketProtectionStatus previous = resource.getStatus();
    long generation = Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
    BucketProtectionStatus next = StatusBuilder.next(previous, generation, verdict, clock.instant());
    publishEvents(resource, previous, verdict);
    if (next.equals(previous)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    resource.setStatus(next);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  /**
   * Normal on every change made; Warning when drift is first seen, and when a problem starts or
   * its message changes (not on every re-check of a lasting problem).
   */
  private void publishEvents(BucketProtection resource, BucketProtectionStatus previous, Verdict verdict) {
    Optional<Condition> previousReady = Conditions.find(previous == null ? null : previous.getConditions(),
        Conditions.READY);
    boolean wasReady = previousReady.map(c -> "True".equals(c.getStatus())).orElse(false);
    boolean driftEvent = verdict.drift() != null && wasReady;
    if (verdict.correctedDrift()) {
      metrics.driftCorrected();
    }
    if (driftEvent) {
      metrics.driftDetected();
      events.record(resource, EventRecorder.Type.Warning, ReadyReason.DriftDetected.name(),
          "Bucket " + resource.getSpec().getBucket() + " was changed outside the operator and no longer"
              + " matches the spec (to restore: " + verdict.drift() + ")."
              + ("Observe".equals(resource.getSpec().getMode())
                  ? " Observe mode: not corrected." : " Putting it back."));
    }
    if (verdict.change() != null) {
      events.record(resource, EventRecorder.Type.Normal, ReadyReason.Applied.name(), verdict.message());
    }
    boolean sameAsBefore = previousReady
        .map(c -> verdict.reason().name().equals(c.getReason()) && verdict.message().equals(c.getMessage()))
        .orElse(false);
    if (verdict.reason().isProblem() && !sameAsBefore && !driftEvent) {
      events.record(resource, EventRecorder.Type.Warning, verdict.reason().name(), verdict.message());
    }
  }

  /** When to look at the bucket again; null when only a spec change should trigger it. */
  private static Duration nextCheck(Verdict verdict, BucketProtectionStatus next, Duration checkInterval, Instant now) {
    return switch (verdict.reason().recheck()) {
      case CHECK_INTERVAL -> checkInterval;
      case SPEC_CHANGE -> null;
      case AT_RETRY_TIME -> {
        if (verdict.retryAt() == null) {
          yield checkInterval;
        }
        Duration wait = Duration.between(now, verdict.retryAt());
        yield wait.isNegative() ? Duration.ZERO : wait;
      }
      case BACKOFF -> backoff(next, now, checkInterval);
    };
  }

  /**
   * Grows with how long the problem has lasted (the Ready condition's lastTransitionTime), so it
   * doubles roughly each retry without keeping any counter in memory.
   */
  static Duration backoff(BucketProtectionStatus status, Instant now, Duration checkInterval) {
    Duration lasted = Conditions.find(status.getConditions(), Conditions.READY)
        .map(Condition::getLastTransitionTime)
        .map(t -> sinceTransition(t, now))
        .orElse(Duration.ZERO);
    Duration cap = checkInterval.compareTo(MAX_BACKOFF) < 0 ? checkInterval : MAX_BACKOFF;
    if (lasted.compareTo(MIN_BACKOFF) < 0) {
      return MIN_BACKOFF;
    }
    return lasted.compareTo(cap) > 0 ? cap : lasted;
  }

  /** A status edited by someone else may hold any text: then the back-off starts over. */
  private static Duration sinceTransition(String lastTransitionTime, Instant now) {
    try {
      return Duration.between(Instant.parse(lastTransitionTime), now);
    } catch (java.time.format.DateTimeParseException e) {
      return Duration.ZERO;
    }
  }

  /** The oldest valid BucketProtection naming this bucket at this endpoint owns it. */
  private Optional<BucketProtection> owner(IndexedResourceCache<BucketProtection> cache, String bucketKey) {
    return cache.byIndex(BUCKET_INDEX, bucketKey).stream()
        .filter(this::isValid)
        .min(Comparator.<BucketProtection, String>comparing(
                bp -> Objects.requireNonNullElse(bp.getMetadata().getCreationTimestamp(), "~"))
            .thenComparing(bp -> bp.getMetadata().getNamespace())
            .thenComparing(bp -> bp.getMetadata().getName()));
  }

  private boolean isValid(BucketProtection resource) {
    try {
      SpecValidator.validate(resource.getSpec(), config);
      return true;
    } catch (InvalidSpecException e) {
      return false;
    }
  }

  private static boolean sameResource(BucketProtection a, BucketProtection b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }

  private String bucketKeyOf(DesiredState desired) {
    return BucketSync.endpointKey(desired.endpoint() != null ? desired.endpoint() : config.defaultEndpoint())
        + "/" + desired.bucket();
  }

  private List<String> bucketKeys(BucketProtection resource) {
    try {
      return List.of(bucketKeyOf(SpecValidator.validate(resource.getSpec(), config)));
    } catch (InvalidSpecException e) {
      return List.of();
    }
  }

  private List<String> referencedSecrets(BucketProtection resource) {
    BucketProtectionSpec spec = resource.getSpec();
    List<String> keys = new ArrayList<>();
    if (spec == null) {
      return keys;
    }
    String namespace = resource.getMetadata().getNamespace();
    // Only Kubernetes Secrets: Secrets Manager values are cached for a bounded time instead.
    if (spec.getCredentials() != null && spec.getCredentials().getSecretRef() != null) {
      keys.add(namespace + "/" + spec.getCredentials().getSecretRef().getName());
    }
    if (spec.getMfa() != null && spec.getMfa().getTotpSeed() != null
        && spec.getMfa().getTotpSeed().getSecretKeyRef() != null) {
      keys.add(namespace + "/" + spec.getMfa().getTotpSeed().getSecretKeyRef().getName());
    }
    return keys;
  }
}

package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.InvalidSpecException;
import io.bucketprotection.operator.reconcile.decide.Reason;
import io.bucketprotection.operator.reconcile.decide.SpecValidator;
import io.bucketprotection.operator.reconcile.decide.Verdict;
import io.bucketprotection.operator.secrets.InformerSecretLookup;
import io.bucketprotection.operator.status.EventRecorder;
import io.bucketprotection.operator.status.StatusBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK glue for BucketProtections: validate the spec, let the {@link BucketOwnership} say
 * who may write the bucket, run the {@link BucketReconciliation}, then turn its verdict into a
 * status (patched only when it changed), the events {@link EventPolicy} names, metrics and the
 * next check time ({@link NextCheck}).
 */
@ControllerConfiguration(name = BucketProtectionReconciler.NAME)
public class BucketProtectionReconciler implements Reconciler<BucketProtection> {

  public static final String NAME = "bucketprotection";
  private static final Logger LOG = LoggerFactory.getLogger(BucketProtectionReconciler.class);
  static final String SECRET_INDEX = "bucketprotection.io/secret-refs";

  private final OperatorConfig config;
  private final BucketReconciliation reconciliation;
  private final BucketOwnership ownership;
  private final InformerSecretLookup secrets;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final Clock clock;

  public BucketProtectionReconciler(OperatorConfig config, BucketReconciliation reconciliation,
      BucketOwnership ownership, InformerSecretLookup secrets, EventRecorder events, OperatorMetrics metrics,
      Clock clock) {
    this.config = config;
    this.reconciliation = reconciliation;
    this.ownership = ownership;
    this.secrets = secrets;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, BucketProtection>> prepareEventSources(EventSourceContext<BucketProtection> context) {
    context.getPrimaryCache().addIndexers(Map.of(
        SECRET_INDEX, BucketProtectionReconciler::referencedSecrets,
        BucketOwnership.INDEX, ownership::indexKeys));
    metrics.watchBuckets(() -> context.getPrimaryCache().list().toList());
    return List.of(secrets.createEventSource(context, secret -> context.getPrimaryCache()
        .byIndex(SECRET_INDEX, secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName())
        .stream()
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet())));
  }

  @Override
  public UpdateControl<BucketProtection> reconcile(BucketProtection resource, Context<BucketProtection> context) {
    Instant now = clock.instant();
    DesiredState desired;
    try {
      desired = SpecValidator.validate(resource.getSpec(), config);
    } catch (InvalidSpecException e) {
      return finish(resource, Verdict.problem(Reason.InvalidSpec, e.getMessage()
          + " Correct the spec; nothing is written to the bucket until then.", null), config.defaultCheckInterval(), now);
    }
    Optional<Verdict> conflict = ownership.conflict(resource, desired,
        context.getPrimaryCache().byIndex(BucketOwnership.INDEX, ownership.key(desired)));
    Verdict verdict = conflict.orElseGet(() -> reconciliation.run(resource, desired));
    return finish(resource, verdict, desired.checkInterval(), now);
  }

  private UpdateControl<BucketProtection> finish(BucketProtection resource, Verdict verdict, Duration checkInterval,
      Instant now) {
    BucketProtectionStatus next = publish(resource, verdict, now);
    Duration delay = NextCheck.after(verdict, next, checkInterval, now);
    UpdateControl<BucketProtection> control;
    if (next.equals(resource.getStatus())) {
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
    Verdict verdict = Verdict.problem(Reason.ReconcileError, "Unexpected " + e.getClass().getSimpleName()
        + " inside the operator; it retries with back-off. If this persists, see the operator's log.", null);
    BucketProtectionStatus next = publish(resource, verdict, clock.instant());
    if (next.equals(resource.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    resource.setStatus(next);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  /** Records the verdict's events and metrics; returns the status it leads to. */
  private BucketProtectionStatus publish(BucketProtection resource, Verdict verdict, Instant now) {
    BucketProtectionStatus previous = resource.getStatus();
    long generation = Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
    BucketProtectionSpec spec = resource.getSpec();
    EventPolicy.Events planned = EventPolicy.of(previous, verdict, spec == null ? null : spec.getBucket(),
        spec != null && "Observe".equals(spec.getMode()));
    if (planned.driftDetected()) {
      metrics.driftDetected();
    }
    if (verdict.correctedDrift()) {
      metrics.driftCorrected();
    }
    planned.events().forEach(event -> events.record(resource, event.type(), event.reason(), event.message()));
    return StatusBuilder.next(previous, generation, verdict, now);
  }

  /** "namespace/name" of the Kubernetes Secrets a resource reads (Secrets Manager values are cached instead). */
  static List<String> referencedSecrets(BucketProtection resource) {
    BucketProtectionSpec spec = resource.getSpec();
    List<String> keys = new ArrayList<>();
    if (spec == null) {
      return keys;
    }
    String namespace = resource.getMetadata().getNamespace();
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

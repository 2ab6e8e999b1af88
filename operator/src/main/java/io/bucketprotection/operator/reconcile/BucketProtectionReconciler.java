package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionSpec;
import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.ProtectionSpec;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.secrets.InformerSecretLookup;
import io.bucketprotection.operator.status.EventRecorder;
import io.bucketprotection.operator.status.StatusBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK glue for BucketProtections: validate the spec, bind it to its account
 * ({@link Tenancy}), run the {@link BucketReconciliation} with the other resources and accounts
 * as {@link CacheNeighbours}, then turn the verdict into a status (patched only when it changed),
 * the events {@link EventPolicy} names, metrics and the next check time ({@link NextCheck}).
 */
@ControllerConfiguration(name = BucketProtectionReconciler.NAME, generationAwareEventProcessing = false)
public class BucketProtectionReconciler implements Reconciler<BucketProtection> {

  public static final String NAME = "bucketprotection";
  private static final Logger LOG = LoggerFactory.getLogger(BucketProtectionReconciler.class);
  static final String SECRET_INDEX = "bucketprotection.io/secret-refs";

  /** The least wait before a resource whose endpoint is busy tries again (plus up to as much jitter). */
  static final Duration ENDPOINT_BUSY_RETRY = Duration.ofMillis(500);

  /**
   * An update is reconciled when the spec changed (a new generation) or one of the operator's own
   * annotations did; status patches, the operator's own included, are not. The filter is also
   * where a person's code is seen arriving: only it sees the old object beside the new.
   */
  public static OnUpdateFilter<BucketProtection> relevantUpdate(PersonCodes personCodes) {
    return (updated, previous) -> {
      String code = annotation(updated, CodeHolder.ANNOTATION);
      String before = annotation(previous, CodeHolder.ANNOTATION);
      personCodes.changed(CodeHolder.resource(updated.getMetadata().getNamespace(), updated.getMetadata().getName())
          .key(), before, code);
      return !Objects.equals(updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
          || !Objects.equals(annotation(updated, Tenancy.ALLOW_WEAKENING), annotation(previous, Tenancy.ALLOW_WEAKENING))
          || (code != null && !code.equals(before))
          || updated.isMarkedForDeletion();
    };
  }

  private final OperatorConfig config;
  private final BucketReconciliation reconciliation;
  private final BucketOwnership ownership;
  private final TenancyCaches tenancy;
  private final InformerSecretLookup secrets;
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final EndpointSlots endpointSlots;
  private final ProtectionIndex index;
  private final Clock clock;

  /**
   * @param index filled with this controller's cache, for the policy controller
   * @param endpointSlots each endpoint's share of threads, shared with the policy controller
   */
  public BucketProtectionReconciler(OperatorConfig config, BucketReconciliation reconciliation,
      BucketOwnership ownership, TenancyCaches tenancy, InformerSecretLookup secrets, EventRecorder events,
      OperatorMetrics metrics, ProtectionIndex index, EndpointSlots endpointSlots, Clock clock) {
    this.config = config;
    this.reconciliation = reconciliation;
    this.ownership = ownership;
    this.tenancy = tenancy;
    this.secrets = secrets;
    this.events = events;
    this.metrics = metrics;
    this.endpointSlots = endpointSlots;
    this.index = index;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, BucketProtection>> prepareEventSources(EventSourceContext<BucketProtection> context) {
    context.getPrimaryCache().addIndexers(Map.of(
        SECRET_INDEX, neverThrowing(BucketProtectionReconciler::referencedSecrets),
        BucketOwnership.INDEX, neverThrowing(BucketOwnership::indexKeys),
        TenancyCaches.ACCOUNT_INDEX, neverThrowing(TenancyCaches::accountKeys),
        CacheNeighbours.INLINE_DEVICE_INDEX, neverThrowing(CacheNeighbours::inlineSerials)));
    index.attach(context.getPrimaryCache());
    metrics.watchBuckets(() -> context.getPrimaryCache().list().toList());
    List<EventSource<?, BucketProtection>> sources = new ArrayList<>(tenancy.createEventSources(context));
    sources.add(secrets.createEventSource(context, secret -> {
      Set<ResourceID> affected = new HashSet<>(tenancy.usersOfAccountsReading(secret, context));
      context.getPrimaryCache()
          .byIndex(SECRET_INDEX, secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName())
          .forEach(bp -> affected.add(ResourceID.fromResource(bp)));
      return affected;
    }, secretNamespaces()));
    return sources;
  }

  /** The watched namespaces plus the cluster resource namespace (ClusterS3Accounts' Secrets); empty for all. */
  private Set<String> secretNamespaces() {
    if (config.namespaces().isEmpty()) {
      return Set.of();
    }
    Set<String> namespaces = new HashSet<>(config.namespaces());
    if (config.clusterAccounts()) {
      namespaces.add(config.clusterResourceNamespace());
    }
    return namespaces;
  }

  @Override
  public UpdateControl<BucketProtection> reconcile(BucketProtection resource, Context<BucketProtection> context) {
    Instant now = clock.instant();
    ProtectionSpec spec;
    try {
      spec = SpecValidator.validate(resource, config);
    } catch (InvalidSpecException e) {
      return finish(resource, Verdict.problem(Reason.InvalidSpec, e.getMessage()
          + " Correct the spec; nothing is written to the bucket until then.", null), config.defaultCheckInterval(), now,
          null);
    }
    Tenancy.Binding binding = Tenancy.bind(resource, spec, tenancy, config);
    if (binding.refusal() != null) {
      return finish(resource, binding.refusal(), spec.checkInterval(), now, null);
    }
    IndexedResourceCache<BucketProtection> cache = context.getPrimaryCache();
    if (ownership.recorded() > cache.list().count() + 100) {
      ownership.retainOnly(cache.list().map(BucketOwnership::uid).collect(Collectors.toSet()));
    }
    CacheNeighbours neighbours = new CacheNeighbours(config, ownership, tenancy, cache, reconciliation.devices());
    // A person's code is used the moment it arrives, never left to expire behind a slow endpoint:
    // a reconcile that may use one (a code is annotated on the device's holder now) goes through
    // the holder's code lane, one at a time, without a slot. Every other read of such a resource
    // takes a slot, like everyone's.
    boolean codeToUse = binding.desired().mfa() != null && binding.desired().mfa().personCodes()
        && neighbours.annotatedCode(resource, binding.desired().mfa().codes()) != null;
    Optional<EndpointSlots.Slot> slot = codeToUse
        ? endpointSlots.tryTakeCodeLane(binding.desired().mfa().codes().key()) : Optional.empty();
    if (slot.isEmpty()) {
      slot = endpointSlots.tryTake(binding.desired().endpoint());
    }
    if (slot.isEmpty()) {
      // Its endpoint holds its share of the threads (slow, or silent): come back in a moment,
      // holding no thread meanwhile. A queued MFA change keeps its place (the ledger keeps a
      // waiter for a whole step past its turn).
      metrics.endpointBusy();
      return UpdateControl.<BucketProtection>noUpdate().rescheduleAfter(ENDPOINT_BUSY_RETRY.toMillis()
          + ThreadLocalRandom.current().nextLong(ENDPOINT_BUSY_RETRY.toMillis()));
    }
    Verdict verdict;
    try (EndpointSlots.Slot held = slot.get()) {
      verdict = reconciliation.run(resource, binding.desired(), neighbours);
    }
    metrics.refreshAwaitingMfaCode();
    return finish(resource, verdict, spec.checkInterval(), now, binding.desired());
  }

  /** @param desired the resource's bound state, or null when it is invalid or refused (it has no evidence then) */
  private UpdateControl<BucketProtection> finish(BucketProtection resource, Verdict verdict, Duration checkInterval,
      Instant now, DesiredState desired) {
    BucketProtectionStatus next = publish(resource, verdict, now, desired);
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
    // A reconcile that failed read nothing: the resource has no evidence until one succeeds.
    ownership.cannotRead(resource);
    BucketProtectionStatus next = publish(resource, verdict, clock.instant(), null);
    if (next.equals(resource.getStatus())) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    resource.setStatus(next);
    return ErrorStatusUpdateControl.patchStatus(resource);
  }

  /** Records the verdict's events and metrics; returns the status it leads to. */
  private BucketProtectionStatus publish(BucketProtection resource, Verdict verdict, Instant now,
      DesiredState desired) {
    if (desired == null) {
      ownership.cannotRead(resource);
    }
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
    BucketProtectionStatus next = StatusBuilder.next(previous, generation, verdict, now);
    next.setBucketRead(ownership.evidence(resource, desired));
    return next;
  }

  /**
   * Indexers run inside the informer: one that threw would disturb every resource. Each is written
   * not to (null-safe, no parsing), and this makes sure: a resource it cannot index is simply not
   * indexed, and its own reconcile reports why.
   */
  static Function<BucketProtection, List<String>> neverThrowing(Function<BucketProtection, List<String>> indexer) {
    return resource -> {
      try {
        return indexer.apply(resource);
      } catch (RuntimeException e) {
        return List.of();
      }
    };
  }

  private static String annotation(BucketProtection resource, String key) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  /** "namespace/name" of the Kubernetes Secrets a resource reads inline (accounts' Secrets are found through them). */
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

  /** The bound desired state of any resource (for ownership): empty when invalid or refused. */
  static java.util.Optional<DesiredState> bind(BucketProtection resource, OperatorConfig config, Tenancy.View view) {
    try {
      return java.util.Optional.ofNullable(Tenancy.bind(resource, SpecValidator.validate(resource, config), view,
          config).desired());
    } catch (InvalidSpecException e) {
      return java.util.Optional.empty();
    }
  }
}

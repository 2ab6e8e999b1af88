package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.act.Codes;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.status.EventRecorder;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JOSDK glue for ObjectVersionDeletions: one {@link DeletionRun} per reconcile (at most one
 * batch), its verdict turned into conditions ({@link DeletionStatus}), the status written by this
 * controller itself (so a batch is marked as being sent before its request goes), events on each
 * change of reason, and the approval annotation removed once the request is finished or deleted.
 * A finished request is never acted on again.
 */
@ControllerConfiguration(name = ObjectVersionDeletionReconciler.NAME)
public class ObjectVersionDeletionReconciler implements Reconciler<ObjectVersionDeletion>,
    Cleaner<ObjectVersionDeletion> {

  public static final String NAME = "objectversiondeletion";
  private static final Logger LOG = LoggerFactory.getLogger(ObjectVersionDeletionReconciler.class);
  /** A request that waits for its account (approval, Allow, readiness) looks again this often as well. */
  static final Duration ACCOUNT_RECHECK = Duration.ofMinutes(5);
  static final Duration CHECK = Duration.ofMinutes(1);
  static final Duration BACKOFF = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final DeletionAccounts accounts;
  private final DeletionRun run;
  private final EventRecorder events;
  private final Clock clock;
  /** The last status this controller wrote per request uid: the informer's copy may not have caught up yet. */
  private final Map<String, ObjectVersionDeletionStatus> written = new ConcurrentHashMap<>();
  /**
   * Per request uid, the account's resourceVersion from which this controller removed its approval:
   * while the informer still shows that version, the annotation it shows is already gone (a second
   * patch would fail its test, 422, and warn for nothing).
   */
  private final Map<String, String> approvalRemovedFrom = new ConcurrentHashMap<>();

  /** @param namespaces the namespaces' labels (the BucketProtection controller's caches) */
  ObjectVersionDeletionReconciler(OperatorConfig config, KubernetesClient client, Tenancy.View namespaces,
      DeletionRun run, EventRecorder events, Clock clock) {
    this.client = client;
    this.accounts = new DeletionAccounts(config, namespaces);
    this.run = run;
    this.events = events;
    this.clock = clock;
  }

  /** The controller with its parts: codes from {@code codes}, the line versioning changes use too. */
  public static ObjectVersionDeletionReconciler create(OperatorConfig config, KubernetesClient client,
      Tenancy.View namespaces, BucketStore store, VersionStore versions, Codes codes, Signers signers, AuditLog audit,
      EventRecorder events, Clock clock) {
    return new ObjectVersionDeletionReconciler(config, client, namespaces, new DeletionRun(config, signers, versions,
        new BatchSender(store, versions, codes, signers, audit, config.maxClockSkew(), clock)), events, clock);
  }

  @Override
  public List<EventSource<?, ObjectVersionDeletion>> prepareEventSources(
      EventSourceContext<ObjectVersionDeletion> context) {
    return accounts.createEventSources(context);
  }

  @Override
  public UpdateControl<ObjectVersionDeletion> reconcile(ObjectVersionDeletion request,
      Context<ObjectVersionDeletion> context) {
    ObjectVersionDeletionStatus previous = newest(request);
    if (DeletionStatus.finished(previous)) {
      removeApproval(request);
      return UpdateControl.noUpdate();
    }
    ObjectVersionDeletionStatus status = DeletionStatus.copy(previous);
    Verdict verdict = run.run(request, status, accounts, s -> write(request, s), mfa -> codeOn(request, mfa.codes()));
    Instant now = clock.instant();
    String before = previous == null ? null : reason(previous);
    // Between two batches, the wait for the device's next step is part of Deleting: the conditions
    // stay, and nothing is written or announced for it.
    boolean betweenBatches = verdict.reason() == Reason.WaitingForMfaWindow
        && Reason.Deleting.name().equals(before);
    if (!betweenBatches) {
      DeletionStatus.with(status, verdict.reason(), verdict.message(), now);
    }
    if (!betweenBatches && !Objects.equals(before, verdict.reason().name())) {
      events.record(request, verdict.reason().isProblem() && verdict.reason() != Reason.AwaitingApproval
          ? EventRecorder.Type.Warning : EventRecorder.Type.Normal, verdict.reason().name(), verdict.message());
    }
    if (!DeletionStatus.same(status, previous)) {
      write(request, status);
    }
    if (DeletionStatus.finished(status)) {
      removeApproval(request);
      run.forget(request);
      return UpdateControl.noUpdate();
    }
    Duration next = recheck(verdict, now);
    return next == null ? UpdateControl.noUpdate() : UpdateControl.<ObjectVersionDeletion>noUpdate()
        .rescheduleAfter(next);
  }

  /**
   * An unexpected exception (a status edited into nonsense, a bug) becomes a ReconcileError condition,
   * so the request never waits without saying why; JOSDK retries with back-off.
   */
  @Override
  public ErrorStatusUpdateControl<ObjectVersionDeletion> updateErrorStatus(ObjectVersionDeletion request,
      Context<ObjectVersionDeletion> context, Exception e) {
    LOG.error("Unexpected error reconciling {}/{}", request.getMetadata().getNamespace(),
        request.getMetadata().getName(), e);
    ObjectVersionDeletionStatus previous = newest(request);
    ObjectVersionDeletionStatus status = DeletionStatus.with(DeletionStatus.copy(previous), Reason.ReconcileError,
        "Unexpected " + e.getClass().getSimpleName() + " inside the operator; it retries with back-off. If this"
            + " persists, see the operator's log.", clock.instant());
    if (!DeletionStatus.same(status, previous)) {
      try {
        write(request, status);
      } catch (KubernetesClientException patchFailed) {
        LOG.warn("Could not record the error of {}/{}: HTTP {}", request.getMetadata().getNamespace(),
            request.getMetadata().getName(), patchFailed.getCode());
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /** Deleting the request stops it (no batch goes after this) and withdraws its approval. */
  @Override
  public DeleteControl cleanup(ObjectVersionDeletion request, Context<ObjectVersionDeletion> context) {
    removeApproval(request);
    run.forget(request);
    written.remove(String.valueOf(request.getMetadata().getUid()));
    approvalRemovedFrom.remove(String.valueOf(request.getMetadata().getUid()));
    return DeleteControl.defaultDelete();
  }

  private static Duration recheck(Verdict verdict, Instant now) {
    return switch (verdict.reason().recheck()) {
      case AT_RETRY_TIME -> verdict.retryAt() == null ? Duration.ZERO
          : Duration.ofMillis(Math.max(0, verdict.retryAt().toEpochMilli() - now.toEpochMilli()));
      case BACKOFF -> BACKOFF;
      case CHECK_INTERVAL -> CHECK;
      case ACCOUNT_CHANGE -> ACCOUNT_RECHECK;
      case SPEC_CHANGE, NEVER -> null;
    };
  }

  private static String reason(ObjectVersionDeletionStatus status) {
    return status.getConditions() == null ? null : status.getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).map(c -> c.getReason()).findFirst().orElse(null);
  }

  /** The status as this controller last wrote it, when the informer's copy is older. */
  private ObjectVersionDeletionStatus newest(ObjectVersionDeletion request) {
    ObjectVersionDeletionStatus own = written.get(String.valueOf(request.getMetadata().getUid()));
    ObjectVersionDeletionStatus cached = request.getStatus();
    if (own == null || cached == null) {
      return own != null ? own : cached;
    }
    // Progress only grows: the copy that has sent more batches (or finished) is the newer.
    long ownDone = DeletionProgress.value(own.getBatchesDone());
    long cachedDone = DeletionProgress.value(cached.getBatchesDone());
    if (ownDone != cachedDone) {
      return ownDone > cachedDone ? own : cached;
    }
    return DeletionStatus.same(own, cached) || DeletionStatus.finished(cached) ? cached : own;
  }

  private void write(ObjectVersionDeletion request, ObjectVersionDeletionStatus status) {
    client.resources(ObjectVersionDeletion.class).inNamespace(request.getMetadata().getNamespace())
        .withName(request.getMetadata().getName()).subresource("status")
        .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
            Map.of("op", "add", "path", "/status", "value", status))));
    written.put(String.valueOf(request.getMetadata().getUid()), DeletionStatus.copy(status));
  }

  /** The code a person annotated on {@code holder} (the request's account), or null. */
  private String codeOn(ObjectVersionDeletion request, CodeHolder holder) {
    if (holder == null) {
      return null;
    }
    return accounts.object(account(request)).map(HasMetadata::getMetadata).map(m -> m.getAnnotations())
        .map(a -> a.get(CodeHolder.ANNOTATION)).orElse(null);
  }

  private static AccountId account(ObjectVersionDeletion request) {
    var ref = request.getSpec() == null ? null : request.getSpec().getAccountRef();
    if (ref == null || ref.getName() == null) {
      return null;
    }
    return "S3Account".equals(ref.getKind()) ? AccountId.namespaced(request.getMetadata().getNamespace(),
        ref.getName()) : AccountId.cluster(ref.getName());
  }

  /** Removes this request's approval from its account, when the account carries it (a test and a remove: nothing else). */
  private void removeApproval(ObjectVersionDeletion request) {
    AccountId id = account(request);
    if (id == null || request.getMetadata().getUid() == null) {
      return;
    }
    var object = accounts.object(id);
    String key = Approval.key(request);
    if (object.isEmpty() || object.get().getMetadata().getAnnotations() == null
        || !object.get().getMetadata().getAnnotations().containsKey(key)) {
      return;
    }
    String seen = object.get().getMetadata().getResourceVersion();
    if (seen != null && seen.equals(approvalRemovedFrom.get(request.getMetadata().getUid()))) {
      return; // the informer has not caught up with this controller's own removal yet
    }
    String path = "/metadata/annotations/" + key.replace("~", "~0").replace("/", "~1");
    String value = object.get().getMetadata().getAnnotations().get(key);
    try {
      var resources = id.kind() == AccountId.Kind.ClusterS3Account
          ? client.resources(io.bucketprotection.operator.api.ClusterS3Account.class).withName(id.name())
          : client.resources(io.bucketprotection.operator.api.S3Account.class).inNamespace(id.namespace())
              .withName(id.name());
      resources.patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
          Map.of("op", "test", "path", path, "value", value), Map.of("op", "remove", "path", path))));
      if (seen != null) {
        approvalRemovedFrom.put(request.getMetadata().getUid(), seen);
      }
      LOG.info("{}/{}: removed its approval from {}", request.getMetadata().getNamespace(),
          request.getMetadata().getName(), id);
    } catch (KubernetesClientException e) {
      LOG.warn("Could not remove the approval of {}/{} from {}: HTTP {}", request.getMetadata().getNamespace(),
          request.getMetadata().getName(), id, e.getCode());
    }
  }
}

package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus.VersionFailure;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One reconcile of a deletion, in order: the spec is valid and unchanged; the namespace may use
 * the account for the bucket (and for the manifest's bucket); the account allows deletions; the
 * manifest is pinned; the account carries this request's approval; then one batch. Every refusal
 * happens before any secret is read or request sent, and each reconcile checks all of it again.
 */
final class DeletionRun {

  private final OperatorConfig config;
  private final Signers signers;
  private final ManifestSource manifests;
  private final BatchSender sender;

  DeletionRun(OperatorConfig config, Signers signers, VersionStore versions, BatchSender sender) {
    this.config = config;
    this.signers = signers;
    this.manifests = new ManifestSource(versions);
    this.sender = sender;
  }

  /**
   * @param status the request's status, updated in place (counts, pinned manifest, batch being sent)
   * @param accounts the accounts and namespaces, from the operator's caches
   * @param record writes the status before a batch goes
   * @param annotated the code a person annotated on a seedless device's holder, or null
   */
  Verdict run(ObjectVersionDeletion request, ObjectVersionDeletionStatus status, Tenancy.View accounts,
      Consumer<ObjectVersionDeletionStatus> record, Function<AccountSettings.MfaSettings, String> annotated) {
    DeletionSpec spec;
    try {
      spec = DeletionSpec.validate(request);
    } catch (InvalidSpecException e) {
      return Verdict.problem(Reason.InvalidSpec, e.getMessage(), null);
    }
    String namespace = request.getMetadata().getNamespace();
    Tenancy.AccountBinding bound = Tenancy.bindAccount(namespace, spec.account(), spec.bucket(), accounts, config);
    if (bound.refusal() != null) {
      return bound.refusal();
    }
    if (spec.manifest() != null) {
      Tenancy.AccountBinding manifest = Tenancy.bindAccount(namespace, spec.account(), spec.manifest().bucket(),
          accounts, config);
      if (manifest.refusal() != null) {
        return Verdict.problem(manifest.refusal().reason(), "spec.manifest.bucket: " + manifest.refusal().message(),
            null);
      }
    }
    Account account = bound.account();
    if (!account.versionDeletionAllowed()) {
      return Verdict.problem(Reason.VersionDeletionDenied, account.id() + " says versionDeletion: Deny (the default):"
          + " no version is deleted through it. Its owner may set versionDeletion: Allow, and each request still"
          + " needs its own approval annotation on the account. Nothing was read or deleted.", null);
    }
    DesiredState desired = desired(spec.bucket(), account);
    if (spec.manifest() != null && status.getManifest() == null) {
      Verdict pinned = pin(spec, desired, status);
      if (pinned != null) {
        return pinned;
      }
    }
    long listed = spec.versions() != null ? spec.versions().size() : status.getManifest().getLines();
    status.setListed(listed);
    Optional<? extends HasMetadata> object = spec.account().kind() == AccountId.Kind.ClusterS3Account
        ? accounts.clusterAccount(spec.account().name()) : accounts.account(namespace, spec.account().name());
    if (object.isEmpty() || !Approval.approves(object.get(), request)) {
      return Verdict.problem(Reason.AwaitingApproval, listed + " listed versions of bucket " + spec.bucket()
          + " would be deleted permanently through " + spec.account() + " (reason: " + spec.reason() + ")."
          + " Nothing is deleted until whoever may edit the account approves this request: "
          + Approval.command(spec.account(), request) + ". An approval naming another uid or request approves"
          + " nothing.", null);
    }
    return batch(request, spec, desired, status, listed, record, annotated);
  }

  /** The request is finished or deleted: it holds no place in any line. */
  void forget(ObjectVersionDeletion request) {
    sender.forget(request);
  }

  private Verdict batch(ObjectVersionDeletion request, DeletionSpec spec, DesiredState desired,
      ObjectVersionDeletionStatus status, long listed, Consumer<ObjectVersionDeletionStatus> record,
      Function<AccountSettings.MfaSettings, String> annotated) {
    DeletionProgress.Next next = DeletionProgress.next(status, listed);
    if (next == null) {
      return finished(spec, status);
    }
    int size = next.retry() != null ? next.retry().size()
        : (int) Math.min(VersionStore.MAX_BATCH, listed - next.index() * VersionStore.MAX_BATCH);
    BatchSender.Batch batch = new BatchSender.Batch(request, spec, desired, next,
        DeletionProgress.batches(listed), size, () -> load(spec, desired, status, next), annotated);
    Verdict verdict;
    try {
      verdict = sender.send(batch, status, record);
    } catch (SecretProblem e) {
      return FailureVerdicts.fromSecret(e, desired.observer() == null ? FailureVerdicts.ROOT_KEYS
          : "the observer or root credentials", null);
    }
    return verdict.reason() == Reason.Deleting && DeletionProgress.allSent(status, listed)
        ? finished(spec, status) : verdict;
  }

  /**
   * The versions of batch {@code next}: read once its code is granted, so a batch that waits for a
   * step costs no read of the manifest.
   */
  private BatchSender.Loaded load(DeletionSpec spec, DesiredState desired, ObjectVersionDeletionStatus status,
      DeletionProgress.Next next) {
    if (next.retry() != null) {
      return BatchSender.Loaded.of(next.retry().stream().map(r -> new ObjectVersion(r.getKey(), r.getVersionId()))
          .toList(), null);
    }
    if (spec.versions() != null) {
      int from = (int) (next.index() * VersionStore.MAX_BATCH);
      return BatchSender.Loaded.of(spec.versions().subList(from, Math.min(spec.versions().size(),
          from + VersionStore.MAX_BATCH)), null);
    }
    BucketAddress address;
    try {
      address = manifestAddress(spec, desired);
    } catch (SecretProblem e) {
      return BatchSender.Loaded.refused(FailureVerdicts.fromSecret(e, "the observer credentials", null));
    }
    try {
      ManifestSource.Lines lines = manifests.batch(address, spec.manifest().key(), spec.bucket(),
          status.getManifest());
      return lines.versions().isEmpty()
          ? BatchSender.Loaded.refused(changed(spec, status, "it ends before the lines counted when it was pinned"))
          : BatchSender.Loaded.of(lines.versions(), lines.nextByte());
    } catch (BucketStoreException e) {
      return BatchSender.Loaded.refused(manifestFailure(spec, e, status, address));
    } catch (ManifestLines.InvalidManifest e) {
      return BatchSender.Loaded.refused(changed(spec, status, "its lines are not the ones counted when it was"
          + " pinned"));
    }
  }

  private Verdict pin(DeletionSpec spec, DesiredState desired, ObjectVersionDeletionStatus status) {
    BucketAddress address;
    try {
      address = manifestAddress(spec, desired);
    } catch (SecretProblem e) {
      return FailureVerdicts.fromSecret(e, "the observer credentials", null);
    }
    try {
      status.setManifest(manifests.pin(address, spec.manifest().key(), spec.bucket()));
      return null;
    } catch (ManifestLines.InvalidManifest e) {
      return Verdict.problem(Reason.ManifestInvalid, "The manifest s3://" + spec.manifest().bucket() + "/"
          + spec.manifest().key() + " cannot be used: " + e.getMessage() + ". Nothing was deleted. Fix the manifest"
          + " and create a new request.", null);
    } catch (BucketStoreException e) {
      return manifestFailure(spec, e, status, address);
    }
  }

  private static Verdict manifestFailure(DeletionSpec spec, BucketStoreException e, ObjectVersionDeletionStatus status,
      BucketAddress address) {
    if (status.getManifest() != null && (e.kind() == S3ErrorKind.MANIFEST_CHANGED
        || e.kind() == S3ErrorKind.MANIFEST_NOT_FOUND)) {
      return changed(spec, status, "the object was replaced or removed");
    }
    if (e.kind() == S3ErrorKind.MANIFEST_NOT_FOUND) {
      return Verdict.problem(Reason.ManifestNotFound, "The manifest s3://" + spec.manifest().bucket() + "/"
          + spec.manifest().key() + " does not exist. Upload it there (or correct the request); it is looked for"
          + " again.", null);
    }
    return FailureVerdicts.fromS3(e, "GetObject", address, null, null);
  }

  private static Verdict changed(DeletionSpec spec, ObjectVersionDeletionStatus status, String how) {
    return Verdict.problem(Reason.ManifestChanged, "The manifest s3://" + spec.manifest().bucket() + "/"
        + spec.manifest().key() + " is not the object pinned before approval (ETag " + status.getManifest().getEtag()
        + "): " + how + ". Nothing more is deleted (" + DeletionProgress.value(status.getDeleted()) + " versions were"
        + " deleted before). Create a new request for the new manifest.", null);
  }

  private static Verdict finished(DeletionSpec spec, ObjectVersionDeletionStatus status) {
    long failed = DeletionProgress.value(status.getFailed());
    String counts = DeletionProgress.value(status.getDeleted()) + " versions and "
        + DeletionProgress.value(status.getDeleteMarkersRemoved()) + " delete markers of bucket " + spec.bucket()
        + " were deleted in " + DeletionProgress.value(status.getBatchesDone()) + " batches";
    if (failed > 0) {
      List<VersionFailure> failures = status.getFailures();
      return Verdict.problem(Reason.DeletionFailed, failed + " listed versions could not be deleted (status.failures"
          + " lists " + (failures == null ? 0 : failures.size()) + " with S3's error codes); " + counts + ". The"
          + " request is finished: fix the cause and create a new request for those versions.", null);
    }
    return Verdict.problem(Reason.Completed, counts + ". The request is finished and never acts again.", null);
  }

  private BucketAddress manifestAddress(DeletionSpec spec, DesiredState desired) throws SecretProblem {
    return new BucketAddress(desired.endpoint(), desired.region(), spec.manifest().bucket(), signers.reader(
        desired.observer(), desired.credentials(), desired.endpoint(), desired.region(), desired.account()),
        desired.expectedBucketOwner());
  }

  /** The request's bucket bound to its account: where, as whom, with which devices. */
  private static DesiredState desired(String bucket, Account account) {
    AccountSettings settings = account.settings();
    boolean soleNamespace = account.admission() == null
        || (account.admission().selector() == null && account.admission().names().size() == 1);
    return new DesiredState(bucket, null, null, false, settings.endpoint(), settings.region(),
        settings.credentials(), settings.expectedBucketOwner(), settings.mfa(), Duration.ofMinutes(1), account.id(),
        new DesiredState.WeakeningGuard(false, false), List.of(), settings.observer(), soleNamespace,
        settings.mfaDevices());
  }
}

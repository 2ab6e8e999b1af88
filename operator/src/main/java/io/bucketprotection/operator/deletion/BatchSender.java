package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.act.Actor;
import io.bucketprotection.operator.act.Asked;
import io.bucketprotection.operator.act.CodedChange;
import io.bucketprotection.operator.act.Codes;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.decide.Decider;
import io.bucketprotection.operator.decide.DeviceAnswers;
import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.mfa.CodeChange;
import io.bucketprotection.operator.mfa.Reservation;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.VersionStore.DeleteReceipt;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.DesiredState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch of a deletion: reads the bucket's MFA Delete as the observer, takes a code from
 * the account's line when it is on (one code, one request), reads the root keys just in time,
 * marks the batch as being sent, sends the one DeleteObjects, writes an audit line per deleted
 * version, and folds the answer into the status. Decides nothing the status does not say.
 */
final class BatchSender {

  private static final Logger LOG = LoggerFactory.getLogger(BatchSender.class);

  /**
   * One batch to send.
   *
   * @param desired the request's bucket bound to its account (endpoint, keys, devices)
   * @param size how many versions the batch holds
   * @param loader reads exactly the listed versions of this batch, once its code is granted
   * @param annotated the code a person annotated on a seedless device's holder, or null
   */
  record Batch(ObjectVersionDeletion request, DeletionSpec spec, DesiredState desired,
      DeletionProgress.Next next, long batches, int size, Supplier<Loaded> loader,
      Function<AccountSettings.MfaSettings, String> annotated) {

    String describe() {
      return (next.retry() != null ? "sending again " + size + " versions of batch " + (next.index() + 1)
          : "batch " + (next.index() + 1) + " of " + batches + " (" + size + " versions)")
          + " of bucket " + spec.bucket();
    }
  }

  /**
   * A batch's versions as read, or why they cannot be.
   *
   * @param nextByte where the manifest's next batch starts, or null for inline versions
   * @param refusal the verdict when they cannot be read (the manifest changed, ...), else null
   */
  record Loaded(List<ObjectVersion> versions, Long nextByte, Verdict refusal) {
    static Loaded of(List<ObjectVersion> versions, Long nextByte) {
      return new Loaded(versions, nextByte, null);
    }

    static Loaded refused(Verdict refusal) {
      return new Loaded(List.of(), null, refusal);
    }
  }

  private final BucketStore store;
  private final VersionStore versions;
  private final Codes codes;
  private final Signers signers;
  private final AuditLog audit;
  private final Duration maxClockSkew;
  private final Clock clock;

  /** @param maxClockSkew the largest difference from the S3 server's clock at which codes are made */
  BatchSender(BucketStore store, VersionStore versions, Codes codes, Signers signers, AuditLog audit,
      Duration maxClockSkew, Clock clock) {
    this.maxClockSkew = maxClockSkew;
    this.clock = clock;
    this.store = store;
    this.versions = versions;
    this.codes = codes;
    this.signers = signers;
    this.audit = audit;
  }

  /**
   * Sends {@code batch}, or says why it waits or cannot go.
   *
   * @param status the request's status, updated in place
   * @param beforeSending records the status (the batch marked as being sent) before the request goes
   * @return the verdict for Ready: Deleting when the batch was answered
   */
  Verdict send(Batch batch, ObjectVersionDeletionStatus status, Consumer<ObjectVersionDeletionStatus> beforeSending)
      throws SecretProblem {
    Verdict verdict = Verdict.problem(Reason.ReconcileError, "unfinished", null);
    try {
      verdict = sendOnce(batch, status, beforeSending);
      return verdict;
    } finally {
      // A request that no longer waits for a person's code leaves that line.
      codes.settled(requester(batch.request()), verdict.reason());
    }
  }

  /** The request is finished or deleted: it leaves any line of a person's codes it waits in. */
  void forget(ObjectVersionDeletion request) {
    codes.settled(requester(request), Reason.Completed);
  }

  private Verdict sendOnce(Batch batch, ObjectVersionDeletionStatus status,
      Consumer<ObjectVersionDeletionStatus> beforeSending) throws SecretProblem {
    DesiredState desired = batch.desired();
    Signer observer = signers.reader(desired.observer(), desired.credentials(), desired.endpoint(), desired.region(),
        desired.account());
    BucketAddress address = new BucketAddress(desired.endpoint(), desired.region(), desired.bucket(), observer,
        desired.expectedBucketOwner());
    Observation observation;
    try {
      observation = store.observe(address);
    } catch (BucketStoreException e) {
      return FailureVerdicts.fromS3(e, "GetBucketVersioning", address, null, null);
    }
    boolean mfaDelete = observation.state().mfaDeleteEnabled();
    // A code made on a clock the server does not share would be refused (and pause the device).
    Verdict skewed = mfaDelete ? Decider.clockSkew(observation.serverTime(), clock.instant(), maxClockSkew, null)
        : null;
    if (skewed != null) {
      return skewed;
    }
    Actor.Requester requester = requester(batch.request());
    Asked asked = null;
    Signer root;
    if (mfaDelete) {
      if (desired.mfaDevices().isEmpty()) {
        return Verdict.problem(Reason.MfaRequired, "Bucket " + desired.bucket() + " has MFA Delete on, so deleting"
            + " its versions needs an MFA code, and " + desired.account() + " names no MFA device. Give the account"
            + " spec.mfa or spec.mfaDevices. Nothing was deleted.", null);
      }
      asked = codes.ask(requester, desired, change(batch), desired.mfaDevices(), batch.annotated());
      desired = asked.desired(desired);
      Verdict waiting = DeviceAnswers.forChange(desired, "Deleting " + batch.describe(), true, null, asked.state());
      if (waiting != null) {
        status.setMfaChangeId(waiting.mfaChangeId());
        return waiting;
      }
      root = asked.root();
    } else {
      root = signers.root(desired.credentials(), Signers.accountLabel(desired.account()));
    }
    status.setMfaChangeId(null);
    Loaded loaded = batch.loader().get();
    if (loaded.refusal() != null) {
      return loaded.refusal();
    }
    boolean retry = status.getSending() != null && status.getSending() == batch.next().index();
    status.setSending(batch.next().index());
    beforeSending.accept(status);
    return deleteAndRecord(batch, loaded, status, address.signedBy(root), desired, asked, requester, retry);
  }

  private Verdict deleteAndRecord(Batch batch, Loaded loaded, ObjectVersionDeletionStatus status,
      BucketAddress address, DesiredState desired, Asked asked, Actor.Requester requester, boolean retry) {
    Optional<MfaToken> token = asked == null ? Optional.empty() : Optional.of(codes.token(asked, desired));
    DeleteReceipt receipt;
    try {
      receipt = versions.deleteVersions(address, loaded.versions(), token);
    } catch (BucketStoreException e) {
      if (e.httpStatus() > 0) {
        status.setSending(null); // answered as a whole: nothing of this batch was deleted
      }
      audit.recordRefusedBatch(line(batch, desired, asked, null, null, e.receipt().requestId(),
          e.receipt().extendedRequestId(), retry), loaded.versions().size(), FailureVerdicts.reasonOf(e.kind()).name());
      if (token.isPresent() && e.kind() == S3ErrorKind.MFA_REJECTED) {
        Reservation.Paused paused = codes.refused(asked, requester.key(), desired);
        return Verdict.retryAt(Reason.MfaRejected, "S3 refused the MFA code of device "
            + desired.mfa().serialNumber() + " for " + batch.describe() + ": nothing of the batch was deleted. It is"
            + " sent again with a code of a later step" + (paused != null ? "; the device is paused until "
            + paused.until() + " (MfaDevicePaused): check its seed and serial" : "") + ".", null,
            paused != null && !desired.pooled() ? paused.until() : codes.nextStep(asked, desired));
      }
      return FailureVerdicts.fromS3(e, "DeleteObjects", address, token.map(MfaToken::serialNumber).orElse(null),
          null);
    } finally {
      if (asked != null) {
        codes.spent(asked);
      }
    }
    if (asked != null) {
      codes.accepted(asked, requester.key());
    }
    for (VersionStore.Deleted deleted : receipt.deleted()) {
      audit.record(line(batch, desired, asked, deleted.key(), deleted, receipt.requestId(),
          receipt.extendedRequestId(), retry));
    }
    ObjectVersionDeletion request = batch.request();
    DeletionProgress.fold(status, batch.next(), loaded.versions(), receipt, loaded.nextByte());
    LOG.info("{}/{}: {}: {} deleted, {} not", request.getMetadata().getNamespace(), request.getMetadata().getName(),
        batch.describe(), receipt.deleted().size(), receipt.failed().size());
    return Verdict.problem(Reason.Deleting, "Deleted " + batch.describe() + ".", null);
  }

  /** The audit line of one deleted version ({@code deleted} null: of a batch refused as a whole). */
  private static AuditLog.Deletion line(Batch batch, DesiredState desired, Asked asked, String key,
      VersionStore.Deleted deleted, String requestId, String extendedRequestId, boolean retry) {
    ObjectVersionDeletion request = batch.request();
    Long step = asked != null && asked.state() instanceof DeviceState.Granted granted ? granted.step() : null;
    return new AuditLog.Deletion(request.getMetadata().getNamespace(), request.getMetadata().getName(),
        request.getMetadata().getUid(), desired.account().kind().name(), desired.account().name(), desired.bucket(),
        desired.endpoint() == null ? "aws" : desired.endpoint().toString(), key,
        deleted == null ? null : deleted.versionId(), deleted != null && deleted.deleteMarker(),
        Approval.describe(request), batch.spec().reason(), asked == null ? null : desired.mfa().serialNumber(), step,
        asked == null ? null : desired.mfa().personCodes() ? "person" : "seed", requestId, extendedRequestId, retry);
  }

  /** The line and a person's codes know a deletion apart from a BucketProtection of the same name. */
  static Actor.Requester requester(ObjectVersionDeletion request) {
    return new Actor.Requester(request.getMetadata().getNamespace(), ObjectVersionDeletion.KIND + ":"
        + request.getMetadata().getName(), request.getMetadata().getUid(), 1L);
  }

  /** What a person's code signs: this request, this batch (and attempt), on this device. */
  private static CodedChange change(Batch batch) {
    String uid = batch.request().getMetadata().getUid();
    String what = batch.next().retry() != null ? "retry " + batch.next().retry().size() : "batch";
    return new CodedChange(batch.desired().endpoint(), batch.describe() + ": delete permanently", true,
        serial -> CodeChange.changeId(uid, batch.next().index(), batch.spec().bucket(), what,
            "deleted", serial));
  }
}

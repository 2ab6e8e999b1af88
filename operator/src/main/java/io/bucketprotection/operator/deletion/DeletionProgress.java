package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.Limits;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus.VersionFailure;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.VersionStore.DeleteReceipt;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which batch comes next and what a batch's answer makes of the counts: pure, over the status,
 * which is the request's only memory (a restart or another leader resumes from it).
 */
final class DeletionProgress {

  /** How many times a version is sent in all: once, and twice more when S3 fails it with a passing error. */
  static final int MAX_ATTEMPTS = 3;
  /** S3's per-version error codes that may pass: the version is sent again. Others are final. */
  static final Set<String> PASSING = Set.of("InternalError", "SlowDown", "ServiceUnavailable", "OperationAborted",
      "RequestTimeout");

  /**
   * The batch to send next.
   *
   * @param index the batch's number (0-based) among the request's batches; for a retry, the batch it retries
   * @param retry the versions of the last batch sent again, or null for the next regular batch
   */
  record Next(long index, List<VersionFailure> retry) {
  }

  private DeletionProgress() {
  }

  /** How many batches a request of {@code listed} versions has. */
  static long batches(long listed) {
    return (listed + VersionStore.MAX_BATCH - 1) / VersionStore.MAX_BATCH;
  }

  /** The batch to send next, or null when none is left. */
  static Next next(ObjectVersionDeletionStatus status, long listed) {
    long done = value(status.getBatchesDone());
    if (status.getRetrying() != null && !status.getRetrying().isEmpty()) {
      return new Next(done - 1, status.getRetrying());
    }
    return done < batches(listed) ? new Next(done, null) : null;
  }

  /**
   * The status after {@code receipt} answered batch {@code next}: counts added, per-version
   * failures kept for another attempt or counted failed, the batch counted done.
   *
   * @param nextByte where the manifest's next batch starts, or null for inline versions
   */
  static void fold(ObjectVersionDeletionStatus status, Next next, List<ObjectVersion> sent, DeleteReceipt receipt,
      Long nextByte) {
    long markers = receipt.deleted().stream().filter(VersionStore.Deleted::deleteMarker).count();
    status.setDeleted(value(status.getDeleted()) + receipt.deleted().size() - markers);
    status.setDeleteMarkersRemoved(value(status.getDeleteMarkersRemoved()) + markers);
    List<VersionFailure> retrying = new ArrayList<>();
    List<VersionFailure> failures = new ArrayList<>(Objects.requireNonNullElse(status.getFailures(), List.of()));
    long failed = value(status.getFailed());
    for (VersionStore.Failed failure : receipt.failed()) {
      int attempts = attemptsBefore(next, failure) + 1;
      VersionFailure entry = new VersionFailure(failure.key(), failure.versionId(), failure.code(), attempts);
      if (PASSING.contains(failure.code()) && attempts < MAX_ATTEMPTS) {
        retrying.add(entry);
      } else {
        failed++;
        if (failures.size() < Limits.FAILURES_LISTED) {
          failures.add(entry);
        }
      }
    }
    status.setFailed(failed);
    status.setFailures(failures.isEmpty() ? null : failures);
    status.setRetrying(retrying.isEmpty() ? null : retrying);
    if (next.retry() == null) {
      status.setBatchesDone(next.index() + 1);
      if (nextByte != null && status.getManifest() != null) {
        status.getManifest().setNextByte(nextByte);
      }
    }
    status.setSending(null);
  }

  private static int attemptsBefore(Next next, VersionStore.Failed failure) {
    if (next.retry() == null) {
      return 0;
    }
    return next.retry().stream().filter(r -> Objects.equals(r.getKey(), failure.key())
        && Objects.equals(r.getVersionId(), failure.versionId())).mapToInt(r -> value(r.getAttempts())).findFirst()
        .orElse(0);
  }

  /** Every batch answered and nothing left to send again. */
  static boolean allSent(ObjectVersionDeletionStatus status, long listed) {
    return next(status, listed) == null;
  }

  static long value(Long value) {
    return value == null ? 0 : value;
  }

  static int value(Integer value) {
    return value == null ? 0 : value;
  }
}

package io.bucketprotection.operator.deletion;

import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/**
 * A deletion's conditions: Ready with where it stands, kstatus' Reconciling and Stalled, and a
 * Job's Complete and Failed once it is finished (which it then stays: it never acts again).
 */
final class DeletionStatus {

  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  /** The reasons that end a request without every version deleted. */
  static final Set<Reason> FAILING = Set.of(Reason.DeletionFailed, Reason.ManifestChanged, Reason.ManifestInvalid,
      Reason.InvalidSpec);

  private DeletionStatus() {
  }

  /** {@code status} with the conditions of {@code reason}; finished ones get their completion time. */
  static ObjectVersionDeletionStatus with(ObjectVersionDeletionStatus status, Reason reason, String message,
      Instant now) {
    List<Condition> conditions = Conditions.kstatus(status.getConditions(), reason.ready().value(),
        reason.reconciling(), reason.stalled(), reason.name(), message, 1L, now);
    boolean complete = reason == Reason.Completed;
    boolean failed = FAILING.contains(reason);
    conditions = Conditions.abnormalTrue(conditions, COMPLETE, complete, reason.name(), message, 1L, now);
    conditions = Conditions.abnormalTrue(conditions, FAILED, failed, reason.name(), message, 1L, now);
    status.setConditions(conditions);
    status.setObservedGeneration(1L);
    if ((complete || failed) && status.getCompletionTime() == null) {
      status.setCompletionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
    }
    return status;
  }

  /** Finished: Complete or Failed. A finished request never acts again. */
  static boolean finished(ObjectVersionDeletionStatus status) {
    return status != null && (isTrue(status, COMPLETE) || isTrue(status, FAILED));
  }

  private static boolean isTrue(ObjectVersionDeletionStatus status, String type) {
    return Conditions.find(status.getConditions(), type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** A deep copy, so a reconcile never edits the cached object. */
  static ObjectVersionDeletionStatus copy(ObjectVersionDeletionStatus status) {
    return status == null ? new ObjectVersionDeletionStatus()
        : Serialization.unmarshal(Serialization.asJson(status), ObjectVersionDeletionStatus.class);
  }

  /** Same content (the status class has no equals: compared as JSON). */
  static boolean same(ObjectVersionDeletionStatus a, ObjectVersionDeletionStatus b) {
    return a != null && b != null && Serialization.asJson(a).equals(Serialization.asJson(b));
  }
}

package io.bucketprotection.operator.status;

import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.reconcile.decide.Reason;
import io.bucketprotection.operator.reconcile.decide.Verdict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Computes the whole desired status from the previous one and a verdict. */
public final class StatusBuilder {

  private StatusBuilder() {
  }

  public static BucketProtectionStatus next(BucketProtectionStatus previous, long generation,
      Verdict verdict, Instant now) {
    BucketProtectionStatus prev = previous == null ? new BucketProtectionStatus() : previous;
    BucketProtectionStatus next = new BucketProtectionStatus();
    next.setObservedGeneration(generation);
    boolean matches = verdict.reason() == Reason.InSync || verdict.reason() == Reason.Applied;
    next.setSyncedGeneration(matches ? Long.valueOf(generation) : prev.getSyncedGeneration());
    if (verdict.observed() != null) {
      next.setVersioning(verdict.observed().versioning().displayName());
      next.setMfaDelete(verdict.observed().mfaDeleteDisplayName());
    } else {
      next.setVersioning(prev.getVersioning());
      next.setMfaDelete(prev.getMfaDelete());
    }
    next.setLastChangeTime(verdict.change() != null
        ? now.truncatedTo(ChronoUnit.SECONDS).toString() : prev.getLastChangeTime());
    next.setDriftCorrections(prev.getDriftCorrections() + (verdict.correctedDrift() ? 1 : 0));
    next.setConditions(Conditions.with(prev.getConditions(), Conditions.READY,
        verdict.reason().ready().value(), verdict.reason().name(), verdict.message(), generation, now));
    return next;
  }
}

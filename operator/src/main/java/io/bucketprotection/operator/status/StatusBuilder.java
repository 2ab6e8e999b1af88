package io.bucketprotection.operator.status;

import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Computes the whole desired status from the previous one and a verdict: Ready with the verdict's
 * reason, and kstatus' Reconciling or Stalled as the reason table says (docs/reference/reasons.md).
 */
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
    next.setMfaChangeId(verdict.mfaChangeId());
    Reason reason = verdict.reason();
    String message = verdict.message();
    if (reason == Reason.InSync && keepsApplied(prev, generation)) {
      // The check after a write finds what the write made: Ready stays as the write left it
      // (Ready's reason is why it last became True), and the status costs no second patch.
      reason = Reason.Applied;
      message = Conditions.find(prev.getConditions(), Conditions.READY).orElseThrow().getMessage();
    }
    next.setConditions(Conditions.kstatus(prev.getConditions(), reason.ready().value(), reason.reconciling(),
        reason.stalled(), reason.name(), message, generation, now));
    return next;
  }

  /** The previous status says this generation was Applied, and nothing has happened since. */
  private static boolean keepsApplied(BucketProtectionStatus prev, long generation) {
    return prev.getSyncedGeneration() != null && prev.getSyncedGeneration() == generation
        && Conditions.find(prev.getConditions(), Conditions.READY)
            .filter(c -> "True".equals(c.getStatus()) && Reason.Applied.name().equals(c.getReason()))
            .isPresent();
  }
}

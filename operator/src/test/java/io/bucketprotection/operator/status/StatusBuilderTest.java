package io.bucketprotection.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {

  private static final BucketState ENABLED = new BucketState(VersioningStatus.ENABLED, false);
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-28T10:05:00Z");

  private static Condition ready(BucketProtectionStatus status) {
    return Conditions.find(status.getConditions(), Conditions.READY).orElseThrow();
  }

  @Test
  void anUnchangedVerdictGivesAnEqualStatusSoNothingIsWritten() {
    Verdict inSync = Verdict.inSync(ENABLED);
    BucketProtectionStatus first = StatusBuilder.next(null, 1, inSync, T0);
    BucketProtectionStatus second = StatusBuilder.next(first, 1, inSync, T1);
    assertEquals(first, second);
    assertEquals("2026-11-28T10:00:00Z", ready(second).getLastTransitionTime());
  }

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    BucketProtectionStatus applied = StatusBuilder.next(null, 1,
        Verdict.applied(ENABLED, "versioning Unversioned -> Enabled", "Changed", null), T0);
    // A new generation found in sync: another reason, same status, so the time stays.
    BucketProtectionStatus inSync = StatusBuilder.next(applied, 2, Verdict.inSync(ENABLED), T1);
    assertEquals(T0.toString(), ready(inSync).getLastTransitionTime());
    assertEquals("InSync", ready(inSync).getReason());
    assertNotEquals(applied, inSync);

    BucketProtectionStatus broken = StatusBuilder.next(inSync, 1,
        Verdict.problem(Reason.EndpointUnreachable, "down", null), T1);
    assertEquals(T1.toString(), ready(broken).getLastTransitionTime());
    assertEquals("False", ready(broken).getStatus());
    // Unknown bucket state keeps the last observation.
    assertEquals("Enabled", broken.getVersioning());
  }

  @Test
  void countsDriftCorrectionsAndChangeTimesAndTheSyncedGeneration() {
    BucketProtectionStatus inSync = StatusBuilder.next(null, 3, Verdict.inSync(ENABLED), T0);
    assertEquals(3L, inSync.getSyncedGeneration());
    BucketProtectionStatus corrected = StatusBuilder.next(inSync, 3, Verdict.applied(ENABLED,
        "versioning Suspended -> Enabled", "Changed", "versioning Suspended -> Enabled"), T1);
    assertEquals(1, corrected.getDriftCorrections());
    assertEquals(T1.toString(), corrected.getLastChangeTime());
    assertEquals(3L, ready(corrected).getObservedGeneration());

    BucketProtectionStatus waiting = StatusBuilder.next(corrected, 4,
        Verdict.problem(Reason.WaitingForMfaWindow, "wait", null), T1);
    assertEquals(3L, waiting.getSyncedGeneration());
    assertEquals("Unknown", ready(waiting).getStatus());
    assertEquals(4L, waiting.getObservedGeneration());
  }

  @Test
  void theCheckAfterAWriteKeepsAppliedAndWritesNothingUntilTheSpecChanges() {
    Instant then = Instant.parse("2026-11-30T12:00:00Z");
    BucketState enabled = new BucketState(VersioningStatus.ENABLED, false);
    BucketProtectionStatus applied = StatusBuilder.next(null, 2,
        Verdict.applied(enabled, "versioning Unversioned -> Enabled", "changed bucket b", null), then);
    BucketProtectionStatus checked = StatusBuilder.next(applied, 2, Verdict.inSync(enabled), then.plusSeconds(300));
    assertEquals(applied, checked, "no second patch");
    BucketProtectionStatus newGeneration = StatusBuilder.next(checked, 3, Verdict.inSync(enabled), then.plusSeconds(600));
    assertEquals("InSync", Conditions.find(newGeneration.getConditions(), Conditions.READY).orElseThrow().getReason());
  }
}

package io.bucketprotection.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.status.StatusBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventPolicyTest {

  private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");
  private static final BucketState ENABLED = new BucketState(VersioningStatus.ENABLED, false);
  private static final BucketState SUSPENDED = new BucketState(VersioningStatus.SUSPENDED, false);

  private static List<String> events(BucketProtectionStatus previous, Verdict verdict, boolean observe) {
    return EventPolicy.of(previous, verdict, "logs", observe).events().stream()
        .map(e -> e.type() + "/" + e.reason()).toList();
  }

  private static BucketProtectionStatus after(Verdict verdict) {
    return StatusBuilder.next(null, 1, verdict, T);
  }

  @Test
  void everyChangeIsANormalEvent() {
    Verdict applied = Verdict.applied(ENABLED, "versioning Unversioned -> Enabled", "Changed it.", null);
    assertEquals(List.of("Normal/Applied"), events(null, applied, false));
  }

  @Test
  void driftOnAReadyBucketIsAWarningOnceAndCounted() {
    BucketProtectionStatus ready = after(Verdict.inSync(ENABLED));
    Verdict corrected = Verdict.applied(ENABLED, "versioning Suspended -> Enabled", "Changed.",
        "versioning Suspended -> Enabled");
    EventPolicy.Events planned = EventPolicy.of(ready, corrected, "logs", false);
    assertTrue(planned.driftDetected());
    assertEquals(List.of("Warning/DriftDetected", "Normal/Applied"),
        planned.events().stream().map(e -> e.type() + "/" + e.reason()).toList());
    assertTrue(planned.events().get(0).message().endsWith("Putting it back."));

    Verdict observed = Verdict.problem(Reason.DriftDetected, "differs", SUSPENDED).withDrift("versioning Suspended -> Enabled");
    EventPolicy.Events observeMode = EventPolicy.of(ready, observed, "logs", true);
    assertEquals(List.of("Warning/DriftDetected"), observeMode.events().stream().map(e -> e.type() + "/" + e.reason()).toList());
    assertTrue(observeMode.events().get(0).message().endsWith("Observe mode: not corrected."));
    // The next check of the same drift: the bucket was not Ready, so no second drift event.
    assertFalse(EventPolicy.of(after(observed), observed, "logs", true).driftDetected());
    assertEquals(List.of(), events(after(observed), observed, true));
  }

  @Test
  void aProblemIsAWarningWhenItStartsOrItsMessageChangesNotOnEveryCheck() {
    Verdict down = Verdict.problem(Reason.EndpointUnreachable, "down", null);
    assertEquals(List.of("Warning/EndpointUnreachable"), events(null, down, false));
    assertEquals(List.of(), events(after(down), down, false));
    assertEquals(List.of("Warning/EndpointUnreachable"),
        events(after(down), Verdict.problem(Reason.EndpointUnreachable, "still down, differently", null), false));
    assertEquals(List.of(), events(null, Verdict.inSync(ENABLED), false), "in sync: nothing to say");
    assertEquals(List.of(), events(null, Verdict.problem(Reason.WaitingForMfaWindow, "wait", null), false),
        "waiting is not a problem");
    assertEquals(List.of("Warning/ReconcileError"),
        events(null, Verdict.problem(Reason.ReconcileError, "bug", null), false));
  }
}

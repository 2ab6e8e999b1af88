package io.bucketprotection.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The status as kstatus reads it (kubernetes-sigs/cli-utils pkg/kstatus, the library behind
 * Flux's health checks and `kpt live status`). For a custom resource kstatus ignores Ready and
 * decides on the generic properties alone, in this order (status/generic.go):
 * deletionTimestamp set: Terminating; status.observedGeneration differs from metadata.generation:
 * InProgress; a condition Reconciling=True: InProgress; a condition Stalled=True: Failed; else
 * Current. {@link #kstatus} is that order, written out from the documentation, not from our code.
 */
class KstatusTest {

  enum Kstatus { InProgress, Failed, Current, Terminating }

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

  /** What GitOps tools must see for each reason: done, moving on by itself, or waiting for a person. */
  private static final Set<Reason> CURRENT = EnumSet.of(Reason.InSync, Reason.Applied,
      // Observe mode reporting a difference is what the resource was asked to do.
      Reason.DriftDetected,
      // A policy whose children are all Ready.
      Reason.AllProtected,
      // A version deletion that deleted every listed version.
      Reason.Completed);
  private static final Set<Reason> IN_PROGRESS = EnumSet.of(Reason.WaitingForMfaWindow, Reason.MfaRejected,
      Reason.EndpointUnreachable, Reason.Throttled, Reason.S3ServerError, Reason.SecretUnavailable,
      Reason.ReconcileError,
      // The operator goes on with each code a person types: Reconciling, as for a step of a seed.
      Reason.AwaitingMfaCode, Reason.MfaCodeExpired,
      // A namespace's share of a device's line is full: it asks again by itself.
      Reason.DeviceQueueFull,
      // A policy's children converging (a policy Stalled by its children is PolicyStatusBuilderTest's case).
      Reason.ChildrenNotReady,
      // A version deletion sending its batches.
      Reason.Deleting,
      // A first start: the account is checked in a moment, and that wakes the resource.
      Reason.AccountPending);

  static Kstatus kstatus(boolean deleting, long generation, Long observedGeneration, List<Condition> conditions) {
    if (deleting) {
      return Kstatus.Terminating;
    }
    if (observedGeneration != null && observedGeneration != generation) {
      return Kstatus.InProgress;
    }
    for (Condition condition : conditions) {
      if ("Reconciling".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return Kstatus.InProgress;
      }
      if ("Stalled".equals(condition.getType()) && "True".equals(condition.getStatus())) {
        return Kstatus.Failed;
      }
    }
    return Kstatus.Current;
  }

  private static Kstatus expected(Reason reason) {
    if (CURRENT.contains(reason)) {
      return Kstatus.Current;
    }
    return IN_PROGRESS.contains(reason) ? Kstatus.InProgress : Kstatus.Failed;
  }

  private static Verdict verdict(Reason reason) {
    return Verdict.problem(reason, "message of " + reason, new BucketState(VersioningStatus.ENABLED, false));
  }

  @Test
  void everyReasonReadsAsDoneMovingOnOrWaitingForAPerson() {
    List<String> wrong = new ArrayList<>();
    for (Reason reason : Reason.values()) {
      BucketProtectionStatus status = StatusBuilder.next(null, 3, verdict(reason), NOW);
      Kstatus seen = kstatus(false, 3, status.getObservedGeneration(), status.getConditions());
      if (seen != expected(reason)) {
        wrong.add(reason + " reads as " + seen + ", not " + expected(reason));
      }
    }
    assertTrue(wrong.isEmpty(), String.join("; ", wrong));
  }

  @Test
  void theStalledReasonsAreExactlyTheOnesNeedingAPerson() {
    for (Reason reason : Reason.values()) {
      assertEquals(reason.needsPerson(), expected(reason) == Kstatus.Failed, reason.name());
    }
  }

  @Test
  void aConditionThatNoLongerHoldsIsRemovedAndReadyStays() {
    BucketProtectionStatus stalled = StatusBuilder.next(null, 1, verdict(Reason.SecretNotFound), NOW);
    assertEquals(List.of("Ready", "Stalled"), stalled.getConditions().stream().map(Condition::getType).toList());
    Condition stalledCondition = stalled.getConditions().get(1);
    assertEquals("SecretNotFound", stalledCondition.getReason());
    assertEquals("message of SecretNotFound", stalledCondition.getMessage());
    assertEquals(1L, stalledCondition.getObservedGeneration());

    BucketProtectionStatus waiting = StatusBuilder.next(stalled, 1, verdict(Reason.WaitingForMfaWindow), NOW);
    assertEquals(List.of("Ready", "Reconciling"), waiting.getConditions().stream().map(Condition::getType).toList());
    BucketProtectionStatus done = StatusBuilder.next(waiting, 1, verdict(Reason.Applied), NOW);
    assertEquals(List.of("Ready"), done.getConditions().stream().map(Condition::getType).toList());
    assertEquals(Kstatus.Current, kstatus(false, 1, done.getObservedGeneration(), done.getConditions()));
  }

  @Test
  void aNewGenerationIsInProgressUntilTheOperatorHasSeenIt() {
    BucketProtectionStatus done = StatusBuilder.next(null, 1, verdict(Reason.InSync), NOW);
    assertEquals(Kstatus.InProgress, kstatus(false, 2, done.getObservedGeneration(), done.getConditions()));
    BucketProtectionStatus seen = StatusBuilder.next(done, 2, verdict(Reason.InSync), NOW);
    assertEquals(Kstatus.Current, kstatus(false, 2, seen.getObservedGeneration(), seen.getConditions()));
  }
}

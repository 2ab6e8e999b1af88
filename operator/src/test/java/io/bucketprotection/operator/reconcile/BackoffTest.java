package io.bucketprotection.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.status.ReadyReason;
import io.bucketprotection.operator.status.StatusBuilder;
import io.bucketprotection.operator.status.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void growsWithHowLongTheProblemHasLastedUpToTheCap() {
    var status = StatusBuilder.next(
        StatusBuilder.next(null, 1, Verdict.of(ReadyReason.InSync, "ok", BucketState.UNVERSIONED), START.minusSeconds(600)),
        1, Verdict.of(ReadyReason.Throttled, "slow down"), START);
    Duration fiveMinutes = Duration.ofMinutes(5);
    assertEquals(Duration.ofSeconds(2), BucketProtectionReconciler.backoff(status, START, fiveMinutes));
    assertEquals(Duration.ofSeconds(2), BucketProtectionReconciler.backoff(status, START.plusSeconds(2), fiveMinutes));
    assertEquals(Duration.ofSeconds(8), BucketProtectionReconciler.backoff(status, START.plusSeconds(8), fiveMinutes));
    assertEquals(Duration.ofSeconds(64), BucketProtectionReconciler.backoff(status, START.plusSeconds(64), fiveMinutes));
    assertEquals(fiveMinutes, BucketProtectionReconciler.backoff(status, START.plusSeconds(3600), Duration.ofHours(1)));
    // Never later than the resource's own check interval.
    assertEquals(Duration.ofSeconds(30), BucketProtectionReconciler.backoff(status, START.plusSeconds(600), Duration.ofSeconds(30)));
  }

  @Test
  void aMalformedTransitionTimeWrittenBySomeoneElseStartsTheBackoffOver() {
    var status = StatusBuilder.next(null, 1, Verdict.of(ReadyReason.Throttled, "slow down"), START);
    status.getConditions().get(0).setLastTransitionTime("yesterday");
    assertEquals(Duration.ofSeconds(2), BucketProtectionReconciler.backoff(status, START, Duration.ofMinutes(5)));
  }
}

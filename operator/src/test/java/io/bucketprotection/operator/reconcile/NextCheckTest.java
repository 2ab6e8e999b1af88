package io.bucketprotection.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.status.StatusBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NextCheckTest {

  private static final Instant START = Instant.parse("2026-11-28T10:00:00Z");

  @Test
  void growsWithHowLongTheProblemHasLastedUpToTheCap() {
    var status = StatusBuilder.next(
        StatusBuilder.next(null, 1, Verdict.inSync(BucketState.UNVERSIONED), START.minusSeconds(600)),
        1, Verdict.problem(Reason.Throttled, "slow down", null), START);
    Duration fiveMinutes = Duration.ofMinutes(5);
    assertEquals(Duration.ofSeconds(2), NextCheck.backoff(status, START, fiveMinutes));
    assertEquals(Duration.ofSeconds(2), NextCheck.backoff(status, START.plusSeconds(2), fiveMinutes));
    assertEquals(Duration.ofSeconds(8), NextCheck.backoff(status, START.plusSeconds(8), fiveMinutes));
    assertEquals(Duration.ofSeconds(64), NextCheck.backoff(status, START.plusSeconds(64), fiveMinutes));
    assertEquals(fiveMinutes, NextCheck.backoff(status, START.plusSeconds(3600), Duration.ofHours(1)));
    // Never later than the resource's own check interval.
    assertEquals(Duration.ofSeconds(30), NextCheck.backoff(status, START.plusSeconds(600), Duration.ofSeconds(30)));
  }

  @Test
  void aMalformedTransitionTimeWrittenBySomeoneElseStartsTheBackoffOver() {
    var status = StatusBuilder.next(null, 1, Verdict.problem(Reason.Throttled, "slow down", null), START);
    status.getConditions().get(0).setLastTransitionTime("yesterday");
    assertEquals(Duration.ofSeconds(2), NextCheck.backoff(status, START, Duration.ofMinutes(5)));
  }
}

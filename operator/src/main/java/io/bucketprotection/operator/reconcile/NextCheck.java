package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** When to look at a bucket again, from the reason's recheck policy in the reason table. */
public final class NextCheck {

  static final Duration MIN_BACKOFF = Duration.ofSeconds(2);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

  private NextCheck() {
  }

  /**
   * @param next the status this reconcile ends with (its Ready condition dates the problem)
   * @return the delay, or null when only a spec change should bring the resource back
   */
  public static Duration after(Verdict verdict, BucketProtectionStatus next, Duration checkInterval, Instant now) {
    return switch (verdict.reason().recheck()) {
      case CHECK_INTERVAL, ACCOUNT_CHANGE -> checkInterval;
      case SPEC_CHANGE, NEVER -> null;
      case AT_RETRY_TIME -> {
        if (verdict.retryAt() == null) {
          yield checkInterval;
        }
        Duration wait = Duration.between(now, verdict.retryAt());
        yield wait.isNegative() ? Duration.ZERO : wait;
      }
      case BACKOFF -> backoff(next, now, checkInterval);
    };
  }

  /**
   * Grows with how long the problem has lasted (the Ready condition's lastTransitionTime), so it
   * doubles roughly each retry without keeping any counter in memory.
   */
  static Duration backoff(BucketProtectionStatus status, Instant now, Duration checkInterval) {
    Duration lasted = Conditions.find(status.getConditions(), Conditions.READY)
        .map(Condition::getLastTransitionTime)
        .map(t -> sinceTransition(t, now))
        .orElse(Duration.ZERO);
    Duration cap = checkInterval.compareTo(MAX_BACKOFF) < 0 ? checkInterval : MAX_BACKOFF;
    if (lasted.compareTo(MIN_BACKOFF) < 0) {
      return MIN_BACKOFF;
    }
    return lasted.compareTo(cap) > 0 ? cap : lasted;
  }

  /** A status edited by someone else may hold any text: then the back-off starts over. */
  private static Duration sinceTransition(String lastTransitionTime, Instant now) {
    try {
      return Duration.between(Instant.parse(lastTransitionTime), now);
    } catch (DateTimeParseException e) {
      return Duration.ZERO;
    }
  }
}

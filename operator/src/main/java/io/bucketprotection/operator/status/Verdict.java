package io.bucketprotection.operator.status;

import io.bucketprotection.operator.s3.BucketState;
import java.time.Instant;
import java.util.Objects;

/**
 * What one reconcile concluded, before it is turned into a status and events.
 *
 * @param observed the bucket's state after this reconcile, or null when it is not known
 * @param change what the operator changed ("versioning Suspended -> Enabled"), or null
 * @param drift the drift found ("versioning Enabled -> Suspended"), or null
 * @param retryAt for {@link ReadyReason.Recheck#AT_RETRY_TIME}: when to look again
 */
public record Verdict(ReadyReason reason, String message, BucketState observed, String change,
    String drift, Instant retryAt) {

  public Verdict {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public static Verdict of(ReadyReason reason, String message) {
    return new Verdict(reason, message, null, null, null, null);
  }

  public static Verdict of(ReadyReason reason, String message, BucketState observed) {
    return new Verdict(reason, message, observed, null, null, null);
  }

  public boolean correctedDrift() {
    return change != null && drift != null;
  }
}

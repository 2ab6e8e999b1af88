package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.s3.BucketState;
import java.time.Instant;
import java.util.Objects;

/**
 * What one reconcile concluded, before it is turned into a status and events. Built with the
 * named constructors below; {@link #observed}, {@link #change}, {@link #drift} and
 * {@link #retryAt} are null where they do not apply.
 *
 * @param observed the bucket's state after this reconcile, or null when it is not known
 * @param change what the operator changed ("versioning Suspended -> Enabled"), or null
 * @param drift the drift found ("versioning Enabled -> Suspended"), or null
 * @param retryAt for {@link Reason.Recheck#AT_RETRY_TIME}: when to look again
 * @param mfaChangeId the id of the change that waits for a person's code ({@code <code>@<id>}), or null
 */
public record Verdict(Reason reason, String message, BucketState observed, String change,
    String drift, Instant retryAt, String mfaChangeId) implements Outcome {

  public Verdict {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
  }

  public Verdict(Reason reason, String message, BucketState observed, String change, String drift, Instant retryAt) {
    this(reason, message, observed, change, drift, retryAt, null);
  }

  /** The bucket matches the spec. */
  public static Verdict inSync(BucketState observed) {
    return new Verdict(Reason.InSync, observed.describe(), observed, null, null, null);
  }

  /** The operator changed the bucket to {@code target}; {@code drift} is non-null when it put drift back. */
  public static Verdict applied(BucketState target, String change, String message, String drift) {
    return new Verdict(Reason.Applied, message, target, change, drift, null);
  }

  /** Nothing was (or could be) written; {@code observed} may be null when the bucket was not read. */
  public static Verdict problem(Reason reason, String message, BucketState observed) {
    return new Verdict(reason, message, observed, null, null, null);
  }

  /** Nothing was written now; look again at {@code retryAt}. */
  public static Verdict retryAt(Reason reason, String message, BucketState observed, Instant retryAt) {
    return new Verdict(reason, message, observed, null, null, retryAt);
  }

  /** The same verdict, about a bucket that drifted ({@code drift} is what must be restored, or null). */
  public Verdict withDrift(String drift) {
    return new Verdict(reason, message, observed, change, drift, retryAt, mfaChangeId);
  }

  /** The same verdict, about a change waiting for a person's code that names {@code id}. */
  public Verdict withMfaChangeId(String id) {
    return new Verdict(reason, message, observed, change, drift, retryAt, id);
  }

  public boolean correctedDrift() {
    return change != null && drift != null;
  }
}

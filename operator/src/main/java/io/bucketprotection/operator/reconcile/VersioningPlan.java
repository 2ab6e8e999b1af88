package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.s3.BucketState;

/** What to do about one bucket, decided by {@link VersioningPlanner} before anything is written. */
public sealed interface VersioningPlan {

  /** The bucket matches the spec: nothing to do. */
  record InSync() implements VersioningPlan {
  }

  /**
   * Write {@code target} with one PutBucketVersioning.
   *
   * @param change "versioning Suspended -> Enabled, MFA Delete Disabled -> Enabled"
   * @param needsMfa the request must carry an MFA code
   * @param enablesMfaDelete MFA Delete goes from off to on (check for lifecycle rules first)
   * @param drift the bucket had matched this spec before: something outside changed it
   */
  record Apply(BucketState target, String change, boolean needsMfa, boolean enablesMfaDelete,
      boolean drift) implements VersioningPlan {
  }

  /** Observe mode: report the difference, write nothing. */
  record Report(BucketState target, String change, boolean drift) implements VersioningPlan {
  }

  /** The change needs an MFA code and the spec names no MFA device: write nothing. */
  record MfaMissing(BucketState target, String change, boolean drift) implements VersioningPlan {
  }
}

package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.s3.BucketState;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure decision step: (spec, observed bucket, had it matched before) -> plan. Every rule
 * about what may be written, and when a code is needed, lives here.
 */
public final class VersioningPlanner {

  private VersioningPlanner() {
  }

  /**
   * @param matchedBefore the bucket was seen matching this generation of the spec before
   */
  public static VersioningPlan plan(DesiredState desired, BucketState observed, boolean matchedBefore) {
    BucketState target = target(desired, observed);
    if (target.equals(observed)) {
      return new VersioningPlan.InSync();
    }
    String change = describeChange(observed, target);
    if (desired.observeOnly()) {
      return new VersioningPlan.Report(target, change, matchedBefore);
    }
    // S3 asks for a code to change MFA Delete, and to change the versioning status while MFA
    // Delete is on.
    boolean needsMfa = target.mfaDeleteEnabled() != observed.mfaDeleteEnabled()
        || (observed.mfaDeleteEnabled() && target.versioning() != observed.versioning());
    if (needsMfa && desired.mfa() == null) {
      return new VersioningPlan.MfaMissing(target, change, matchedBefore);
    }
    boolean enablesMfaDelete = target.mfaDeleteEnabled() && !observed.mfaDeleteEnabled();
    return new VersioningPlan.Apply(target, change, needsMfa, enablesMfaDelete, matchedBefore);
  }

  /**
   * The state to write. An unmanaged MFA Delete keeps its observed value: the PUT always states
   * both settings, so nothing the user did not ask for is weakened.
   */
  static BucketState target(DesiredState desired, BucketState observed) {
    boolean mfaDelete = desired.mfaDelete() == null ? observed.mfaDeleteEnabled() : desired.mfaDelete();
    return new BucketState(desired.versioning(), mfaDelete);
  }

  /** "versioning Suspended -> Enabled, MFA Delete Disabled -> Enabled": only what differs. */
  public static String describeChange(BucketState from, BucketState to) {
    List<String> parts = new ArrayList<>();
    if (from.versioning() != to.versioning()) {
      parts.add("versioning " + from.versioning().displayName() + " -> " + to.versioning().displayName());
    }
    if (from.mfaDeleteEnabled() != to.mfaDeleteEnabled()) {
      parts.add("MFA Delete " + from.mfaDeleteDisplayName() + " -> " + to.mfaDeleteDisplayName());
    }
    return String.join(", ", parts);
  }
}

package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * S3's versioning semantics, and nothing of the operator's policy: what to write for a spec,
 * whether S3 asks for an MFA code to write it, and whether the write weakens protection. The
 * {@link Decider} builds every decision on these.
 */
public final class VersioningPlanner {

  private VersioningPlanner() {
  }

  /**
   * The state to write. An unmanaged MFA Delete keeps its observed value: the PUT always states
   * both settings, so nothing the user did not ask for is weakened.
   */
  public static BucketState target(DesiredState desired, BucketState observed) {
    boolean mfaDelete = desired.mfaDelete() == null ? observed.mfaDeleteEnabled() : desired.mfaDelete();
    return new BucketState(desired.versioning(), mfaDelete);
  }

  /**
   * S3 asks for a code to change MFA Delete, and to change the versioning status while MFA Delete
   * is on. Restating an unchanged configuration needs none (and is never sent).
   */
  public static boolean needsCode(BucketState from, BucketState to) {
    return from.mfaDeleteEnabled() != to.mfaDeleteEnabled()
        || (from.mfaDeleteEnabled() && from.versioning() != to.versioning());
  }

  /** Suspends versioning where it is on, or switches MFA Delete off where it is on. */
  public static boolean weakens(BucketState from, BucketState to) {
    boolean suspends = from.versioning() == VersioningStatus.ENABLED && to.versioning() == VersioningStatus.SUSPENDED;
    return suspends || (from.mfaDeleteEnabled() && !to.mfaDeleteEnabled());
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

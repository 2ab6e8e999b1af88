package io.bucketprotection.operator.s3;

/** The two settings the operator manages, as observed on or to be written to a bucket. */
public record BucketState(VersioningStatus versioning, boolean mfaDeleteEnabled) {

  public static final BucketState UNVERSIONED = new BucketState(VersioningStatus.UNVERSIONED, false);

  public String mfaDeleteDisplayName() {
    return mfaDeleteEnabled ? "Enabled" : "Disabled";
  }

  /** "versioning Enabled, MFA Delete Disabled": used in status messages and events. */
  public String describe() {
    return "versioning " + versioning.displayName() + ", MFA Delete " + mfaDeleteDisplayName();
  }
}

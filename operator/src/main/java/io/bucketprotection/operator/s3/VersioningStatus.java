package io.bucketprotection.operator.s3;

/** A bucket's versioning status as S3 reports it; a never-versioned bucket has no status at all. */
public enum VersioningStatus {
  UNVERSIONED("Unversioned"),
  ENABLED("Enabled"),
  SUSPENDED("Suspended");

  private final String displayName;

  VersioningStatus(String displayName) {
    this.displayName = displayName;
  }

  /** The spelling users see in the spec and status (Enabled, Suspended, Unversioned). */
  public String displayName() {
    return displayName;
  }
}

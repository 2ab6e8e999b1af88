package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** The protection every covered bucket gets: the spec of each child, less the bucket and the account. */
public class PolicyTemplate extends UnknownFields {

  @JsonPropertyDescription("The versioning each bucket must have: Enabled or Suspended (as in a BucketProtection).")
  @Required
  @SchemaFrom(type = BucketProtectionSpec.VersioningSetting.class)
  @Size(max = Limits.ENUM)
  private String versioning;

  @JsonPropertyDescription("The MFA Delete each bucket must have: Enabled or Disabled; left out, not managed."
      + " Enabled needs an account with an mfa block. A policy never weakens a bucket: its children never carry"
      + " the allow-weakening annotation.")
  @SchemaFrom(type = BucketProtectionSpec.MfaDeleteSetting.class)
  @Size(max = Limits.ENUM)
  private String mfaDelete;

  @JsonPropertyDescription("Enforce (default) or Observe, as in a BucketProtection.")
  @SchemaFrom(type = BucketProtectionSpec.Mode.class)
  @Size(max = Limits.ENUM)
  private String mode;

  @JsonPropertyDescription("How often each child reads its bucket again (10s to 24h, such as 5m); left out, the"
      + " operator's BPO_DEFAULT_CHECK_INTERVAL.")
  @Pattern("^([0-9]+[smh])+$")
  @Size(max = Limits.DURATION)
  private String checkInterval;

  @JsonPropertyDescription("AWS region of the buckets. Left out: the region ListBuckets returns for each bucket"
      + " where the server gives one, else the account's region, else found from S3.")
  @Size(max = Limits.REGION)
  private String region;

  public String getVersioning() {
    return versioning;
  }

  public void setVersioning(String versioning) {
    this.versioning = versioning;
  }

  public String getMfaDelete() {
    return mfaDelete;
  }

  public void setMfaDelete(String mfaDelete) {
    this.mfaDelete = mfaDelete;
  }

  public String getMode() {
    return mode;
  }

  public void setMode(String mode) {
    this.mode = mode;
  }

  public String getCheckInterval() {
    return checkInterval;
  }

  public void setCheckInterval(String checkInterval) {
    this.checkInterval = checkInterval;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }
}

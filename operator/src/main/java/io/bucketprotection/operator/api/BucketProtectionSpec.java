package io.bucketprotection.operator.api;

import io.fabric8.generator.annotation.Size;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The desired state of one bucket.
 *
 * <p>Enumerated fields are Strings in Java, with the enum only in the schema ({@link SchemaFrom}):
 * a value the API server did not validate (an old CRD, the test mock) must reach the reconciler
 * as an {@code InvalidSpec} condition, not break deserialisation of the whole watch.
 */
@ValidationRule(
    value = "!has(self.mfaDelete) || self.mfaDelete != 'Enabled' || (self.versioning == 'Enabled' && (has(self.mfa) || has(self.accountRef)))",
    message = "mfaDelete: Enabled needs versioning: Enabled and an mfa block (or an accountRef whose account has one)")
@ValidationRule(
    value = "!has(self.accountRef) || (!has(self.credentials) && !has(self.mfa) && !has(self.endpoint) && !has(self.expectedBucketOwner))",
    message = "with an accountRef, the account gives credentials, mfa, endpoint and expectedBucketOwner: remove them from the spec")
@ValidationRule(value = "!has(self.mfa) || has(self.credentials)",
    message = "an inline mfa block needs inline credentials (or move both to an S3Account or ClusterS3Account)")
@ValidationRule(value = "!has(self.credentials) || !has(self.credentials.secretsManager)",
    message = "inline Secrets Manager credentials are refused: an admin lends them through a ClusterS3Account (spec.accountRef)")
@ValidationRule(value = "!has(self.mfa) || !has(self.mfa.totpSeed) || !has(self.mfa.totpSeed.secretsManager)",
    message = "an inline Secrets Manager seed is refused: an admin lends it through a ClusterS3Account (spec.accountRef)")
public class BucketProtectionSpec extends UnknownFields {

  /** Lower-case letters, digits, dots and hyphens, 3-63 characters; the remaining S3 rules are checked by the operator. */
  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @Size(max = Limits.BUCKET)
  private String bucket;

  @Required
  @SchemaFrom(type = VersioningSetting.class)
  @Size(max = Limits.ENUM)
  private String versioning;

  /** Left out: MFA Delete is not managed and never touched. */
  @SchemaFrom(type = MfaDeleteSetting.class)
  @Size(max = Limits.ENUM)
  private String mfaDelete;

  /** Enforce applies the spec; Observe only reports differences and never writes. */
  @Default("Enforce")
  @SchemaFrom(type = Mode.class)
  @Size(max = Limits.ENUM)
  private String mode;

  /**
   * AWS region of the bucket. Left out, the operator finds it (the default region serves only the
   * first request) and remembers it.
   */
  @Size(max = Limits.REGION)
  private String region;

  /**
   * An S3-compatible endpoint, scheme://host[:port] (path-style addressing), e.g.
   * http://127.0.0.1:7480; it must be on the operator's BPO_ALLOWED_ENDPOINTS list. Not with accountRef.
   */
  @Pattern("^https?://[^\\s/?#@]+/?$")
  @Size(max = Limits.ENDPOINT)
  private String endpoint;

  /**
   * The account whose keys, MFA device and endpoint to use. Left out, together with credentials,
   * the resource uses the ClusterS3Account named "default".
   */
  private AccountReference accountRef;

  /** The bucket owner's keys, from a Secret in this namespace. Not with accountRef. */
  private CredentialsSource credentials;

  /** The bucket owner's account id, sent as x-amz-expected-bucket-owner: S3 refuses calls on anyone else's bucket. */
  @Pattern("^[0-9]{12}$")
  @Size(max = Limits.ACCOUNT_ID)
  private String expectedBucketOwner;

  private MfaSpec mfa;

  /** Drift re-check period, 10s to 24h, e.g. 30s, 5m, 1h30m; default from the operator's configuration. */
  @Pattern("^([0-9]+[smh])+$")
  @Size(max = Limits.DURATION)
  private String checkInterval;

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

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

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public AccountReference getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(AccountReference accountRef) {
    this.accountRef = accountRef;
  }

  public CredentialsSource getCredentials() {
    return credentials;
  }

  public void setCredentials(CredentialsSource credentials) {
    this.credentials = credentials;
  }

  public String getExpectedBucketOwner() {
    return expectedBucketOwner;
  }

  public void setExpectedBucketOwner(String expectedBucketOwner) {
    this.expectedBucketOwner = expectedBucketOwner;
  }

  public MfaSpec getMfa() {
    return mfa;
  }

  public void setMfa(MfaSpec mfa) {
    this.mfa = mfa;
  }

  public String getCheckInterval() {
    return checkInterval;
  }

  public void setCheckInterval(String checkInterval) {
    this.checkInterval = checkInterval;
  }

  /** Schema-only enum for {@code spec.versioning}. */
  public enum VersioningSetting { Enabled, Suspended }

  /** Schema-only enum for {@code spec.mfaDelete}. */
  public enum MfaDeleteSetting { Enabled, Disabled }

  /** Schema-only enum for {@code spec.mode}. */
  public enum Mode { Enforce, Observe }
}

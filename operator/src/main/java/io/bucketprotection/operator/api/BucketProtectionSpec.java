package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
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

  @JsonPropertyDescription("Name of the S3 bucket to protect: 3 to 63 lower-case letters, digits, dots and hyphens,"
      + " beginning and ending with a letter or digit. The operator also checks S3's other naming rules (no '..',"
      + " not an IP address, no reserved prefix or suffix): a name breaking one is InvalidSpec.")
  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @Size(max = Limits.BUCKET)
  private String bucket;

  @JsonPropertyDescription("The versioning the bucket must have: Enabled or Suspended. Suspending versioning"
      + " where it is on weakens the bucket: that needs the annotation bucketprotection.io/allow-weakening:"
      + " <bucket> (and weakening: Allow on the account, if any), else WeakeningDenied.")
  @Required
  @SchemaFrom(type = VersioningSetting.class)
  @Size(max = Limits.ENUM)
  private String versioning;

  @JsonPropertyDescription("The MFA Delete the bucket must have: Enabled or Disabled. Left out, MFA Delete is not"
      + " managed: never changed, every write keeps its current value. Enabled needs versioning: Enabled and"
      + " spec.mfa or spec.accountRef (an account with mfa). Switching it off where it is on weakens the bucket:"
      + " that needs the annotation bucketprotection.io/allow-weakening: <bucket> (and weakening: Allow on the"
      + " account, if any).")
  @SchemaFrom(type = MfaDeleteSetting.class)
  @Size(max = Limits.ENUM)
  private String mfaDelete;

  @JsonPropertyDescription("Enforce (default): write the bucket when it differs from the spec, and put drift back."
      + " Observe: only report a difference (Ready False, DriftDetected); never write, never spend an MFA code.")
  @Default("Enforce")
  @SchemaFrom(type = Mode.class)
  @Size(max = Limits.ENUM)
  private String mode;

  @JsonPropertyDescription("AWS region of the bucket, such as eu-west-1. Left out: the account's region, else the"
      + " operator finds the bucket's region from S3 and remembers it. A bucket in another region than the one"
      + " named is RegionMismatch.")
  @Size(max = Limits.REGION)
  private String region;

  @JsonPropertyDescription("S3-compatible endpoint, http(s)://host[:port], at most with a trailing / (no user"
      + " info, path, query or fragment), such as http://127.0.0.1:7480; path-style addressing. Left out: the"
      + " operator's default (AWS, or AWS_ENDPOINT_URL_S3). Any other endpoint must be on the operator's"
      + " BPO_ALLOWED_ENDPOINTS, else InvalidSpec. Needs inline credentials; not with accountRef.")
  @Pattern("^https?://[^\\s/?#@]+/?$")
  @Size(max = Limits.ENDPOINT)
  private String endpoint;

  @JsonPropertyDescription("The account whose keys, MFA device, endpoint and bucket owner to use: a"
      + " ClusterS3Account that admits this namespace and bucket, or an S3Account of this namespace. Not with"
      + " credentials, mfa, endpoint or expectedBucketOwner. Left out together with credentials: the"
      + " ClusterS3Account named default (AccountNotFound when there is none).")
  private AccountReference accountRef;

  @JsonPropertyDescription("The bucket owner's access keys, inline: secretRef, a Secret of this namespace."
      + " Not with accountRef. Left out (and no accountRef): the ClusterS3Account named default is used, never the"
      + " operator's own identity.")
  private CredentialsSource credentials;

  @JsonPropertyDescription("12-digit AWS account id of the bucket owner, sent as x-amz-expected-bucket-owner: S3"
      + " refuses calls on a bucket anyone else owns. Needs inline credentials; not with accountRef.")
  @Pattern("^[0-9]{12}$")
  @Size(max = Limits.ACCOUNT_ID)
  private String expectedBucketOwner;

  @JsonPropertyDescription("The MFA device whose codes the operator makes when a change needs one (switching MFA"
      + " Delete, or changing versioning while MFA Delete is on). Needs inline credentials; not with accountRef."
      + " Its seed must be in a Secret of this namespace (totpSeed.secretKeyRef). Without a device, such a change"
      + " is MfaRequired.")
  private MfaSpec mfa;

  @JsonPropertyDescription("How often the operator reads the bucket again to catch drift: s, m and h parts such"
      + " as 30s, 5m or 1h30m, from 10s to 24h. Left out: the operator's BPO_DEFAULT_CHECK_INTERVAL (default 5m).")
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

package io.bucketprotection.operator.api;

import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * What ClusterS3Account and S3Account share: where S3 is, whose keys and MFA device sign for it,
 * which buckets it may touch, and whether it may weaken them.
 */
public class AccountSpec extends UnknownFields {

  /**
   * An S3-compatible endpoint, scheme://host[:port] (path-style addressing). Left out: the
   * operator's default (AWS, or AWS_ENDPOINT_URL_S3).
   */
  @Pattern("^https?://[^\\s/?#@]+/?$")
  @Size(max = Limits.ENDPOINT)
  private String endpoint;

  /** Default region of the account's buckets; left out, the operator finds each bucket's region. */
  @Size(max = Limits.REGION)
  private String region;

  /** The bucket owner's account id, sent as x-amz-expected-bucket-owner. */
  @Pattern("^[0-9]{12}$")
  @Size(max = Limits.ACCOUNT_ID)
  private String expectedBucketOwner;

  @Required
  private AccountCredentials credentials;

  /** The MFA device whose codes sign changes that need one. */
  private MfaSpec mfa;

  /**
   * Bucket-name globs this account may be used for: {@code *} is any run of characters (dots
   * included), {@code ?} one character. Write {@code ["*"]} to mean every bucket.
   */
  @Required
  @Size(min = 1, max = Limits.BUCKET_GLOBS)
  private List<String> buckets;

  /**
   * Deny (default): no resource using this account may suspend versioning or switch MFA Delete
   * off. Allow: such a write is made when the resource also carries the annotation
   * bucketprotection.io/allow-weakening with its bucket's name.
   */
  @Default("Deny")
  @SchemaFrom(type = Weakening.class)
  @Size(max = Limits.ENUM)
  private String weakening;

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getExpectedBucketOwner() {
    return expectedBucketOwner;
  }

  public void setExpectedBucketOwner(String expectedBucketOwner) {
    this.expectedBucketOwner = expectedBucketOwner;
  }

  public AccountCredentials getCredentials() {
    return credentials;
  }

  public void setCredentials(AccountCredentials credentials) {
    this.credentials = credentials;
  }

  public MfaSpec getMfa() {
    return mfa;
  }

  public void setMfa(MfaSpec mfa) {
    this.mfa = mfa;
  }

  public List<String> getBuckets() {
    return buckets;
  }

  public void setBuckets(List<String> buckets) {
    this.buckets = buckets;
  }

  public String getWeakening() {
    return weakening;
  }

  public void setWeakening(String weakening) {
    this.weakening = weakening;
  }

  /** Schema-only enum for {@code weakening}. */
  public enum Weakening { Deny, Allow }
}

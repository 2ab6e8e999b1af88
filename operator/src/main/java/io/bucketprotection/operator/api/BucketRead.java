package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The evidence that a BucketProtection can read its bucket: its last read of it, as bound now,
 * succeeded. Only a resource with this evidence for its current binding counts when several name
 * one bucket (docs/concepts.md "Several resources, one bucket"). Kept in the status, so a restart or a new
 * leader does not reset it; the operator writes it, and no role this project ships lets users
 * write status.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class BucketRead {

  @JsonPropertyDescription("The bucket that was read.")
  @Size(max = Limits.BUCKET)
  private String bucket;

  @JsonPropertyDescription("The identity of its endpoint: aws for every AWS endpoint, else the endpoint's URL.")
  @Size(max = Limits.ENDPOINT)
  private String endpointIdentity;

  @JsonPropertyDescription("The account it was read through (ClusterS3Account NAME, S3Account NAMESPACE/NAME), or"
      + " inline credentials.")
  @Size(max = Limits.ACCOUNT_LABEL)
  private String account;

  @JsonPropertyDescription("When a read of this bucket, bound this way, first succeeded (RFC 3339). Later reads"
      + " that succeed leave it alone (a quiet check writes nothing); one that fails removes the evidence.")
  @Size(max = Limits.TIMESTAMP)
  private String time;

  public BucketRead() {
  }

  public BucketRead(String bucket, String endpointIdentity, String account, String time) {
    this.bucket = bucket;
    this.endpointIdentity = endpointIdentity;
    this.account = account;
    this.time = time;
  }

  /** Whether this is evidence for the same bucket, endpoint and account (whenever it was). */
  public boolean sameBinding(BucketRead other) {
    return other != null && Objects.equals(bucket, other.bucket)
        && Objects.equals(endpointIdentity, other.endpointIdentity) && Objects.equals(account, other.account);
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public String getEndpointIdentity() {
    return endpointIdentity;
  }

  public void setEndpointIdentity(String endpointIdentity) {
    this.endpointIdentity = endpointIdentity;
  }

  public String getAccount() {
    return account;
  }

  public void setAccount(String account) {
    this.account = account;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketRead that && sameBinding(that) && Objects.equals(time, that.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, endpointIdentity, account, time);
  }
}

package io.bucketprotection.operator.s3;

import java.net.URI;
import java.util.Objects;

/**
 * Everything needed to reach one bucket: where (endpoint, region), which bucket, as whom, and
 * whose it must be.
 *
 * @param endpoint an S3-compatible endpoint (path-style addressing), or null for AWS
 * @param region the bucket's region, or null to find it (the default region serves the first request)
 * @param signer who signs the requests
 * @param expectedBucketOwner account id sent as x-amz-expected-bucket-owner, or null
 */
public record BucketAddress(URI endpoint, String region, String bucket, Signer signer, String expectedBucketOwner) {

  public BucketAddress {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(signer, "signer");
  }

  /** With static keys that sign as an observer (tests and tools). */
  public BucketAddress(URI endpoint, String region, String bucket, S3Credentials credentials, String expectedBucketOwner) {
    this(endpoint, region, bucket, keys(credentials), expectedBucketOwner);
  }

  public BucketAddress(URI endpoint, String region, String bucket, S3Credentials credentials) {
    this(endpoint, region, bucket, credentials, null);
  }

  private static Signer keys(S3Credentials credentials) {
    return credentials == null ? new Signer.OperatorChain("this environment")
        : new Signer.Keys(credentials, Signer.Role.OBSERVER, "this environment");
  }

  /** What ListBuckets is addressed with: the account, no bucket. */
  public static final String ALL_BUCKETS = "*";

  public static BucketAddress account(URI endpoint, String region, Signer signer) {
    return new BucketAddress(endpoint, region, ALL_BUCKETS, signer, null);
  }

  public static BucketAddress account(URI endpoint, String region, S3Credentials credentials) {
    return new BucketAddress(endpoint, region, ALL_BUCKETS, keys(credentials), null);
  }

  /** The same bucket, signed by another identity (root for a coded write). */
  public BucketAddress signedBy(Signer other) {
    return new BucketAddress(endpoint, region, bucket, other, expectedBucketOwner);
  }

  /** The static keys that sign, or null when another kind of identity does. */
  public S3Credentials credentials() {
    return signer instanceof Signer.Keys keys ? keys.credentials() : null;
  }

  /** "bucket b at endpoint" for messages: never includes credentials. */
  public String describe() {
    if (ALL_BUCKETS.equals(bucket)) {
      return "the account's buckets " + (endpoint == null ? "(AWS" + (region == null ? "" : ", " + region) + ")"
          : "at " + endpoint);
    }
    return endpoint == null ? "bucket " + bucket + " (AWS" + (region == null ? "" : ", " + region) + ")"
        : "bucket " + bucket + " at " + endpoint;
  }
}

package io.bucketprotection.operator.s3;

import java.net.URI;
import java.util.Objects;

/**
 * Everything needed to reach one bucket: where (endpoint, region), which bucket, as whom, and
 * whose it must be.
 *
 * @param endpoint an S3-compatible endpoint (path-style addressing), or null for AWS
 * @param region the bucket's region, or null to find it (the default region serves the first request)
 * @param credentials static keys, or null for the operator's default AWS credential chain
 * @param expectedBucketOwner account id sent as x-amz-expected-bucket-owner, or null
 */
public record BucketAddress(URI endpoint, String region, String bucket, S3Credentials credentials,
    String expectedBucketOwner) {

  public BucketAddress {
    Objects.requireNonNull(bucket, "bucket");
  }

  public BucketAddress(URI endpoint, String region, String bucket, S3Credentials credentials) {
    this(endpoint, region, bucket, credentials, null);
  }

  /** What ListBuckets is addressed with: the account, no bucket. */
  public static final String ALL_BUCKETS = "*";

  public static BucketAddress account(URI endpoint, String region, S3Credentials credentials) {
    return new BucketAddress(endpoint, region, ALL_BUCKETS, credentials);
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

package io.bucketprotection.operator.s3;

import java.net.URI;
import java.util.Objects;

/**
 * Everything needed to reach one bucket: where (endpoint, region), which bucket, and as whom.
 *
 * @param endpoint an S3-compatible endpoint (path-style addressing), or null for AWS
 * @param credentials static keys, or null for the operator's default AWS credential chain
 */
public record BucketAddress(URI endpoint, String region, String bucket, S3Credentials credentials) {

  public BucketAddress {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(bucket, "bucket");
  }

  /** "bucket at endpoint" for messages: never includes credentials. */
  public String describe() {
    return endpoint == null ? "bucket " + bucket + " (AWS, " + region + ")" : "bucket " + bucket + " at " + endpoint;
  }
}

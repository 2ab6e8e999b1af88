package io.bucketprotection.operator.s3;

import java.util.Optional;

/**
 * The operator's whole view of S3: the three calls it ever makes. Implementations map every
 * failure to a {@link BucketStoreException}; SDK types never cross this interface.
 */
public interface BucketStore {

  /** One GetBucketVersioning. Never modifies the bucket. */
  Observation observe(BucketAddress bucket) throws BucketStoreException;

  /** One GetBucketLifecycleConfiguration: does the bucket have lifecycle rules? */
  boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException;

  /**
   * One PutBucketVersioning writing both settings. {@code mfa} is sent as the x-amz-mfa header
   * when present; the implementation must never retry a request that carried a code, because a
   * code is accepted at most once.
   *
   * @return the server's ids of the request
   */
  WriteReceipt putVersioning(BucketAddress bucket, BucketState target, Optional<MfaToken> mfa)
      throws BucketStoreException;
}

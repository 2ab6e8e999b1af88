package io.bucketprotection.operator.check;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;

/**
 * The check's whole view of S3: the two reads the operator's observe step makes, the listing a
 * policy makes, and nothing
 * that writes. The check can only ever hold one of these, so a write (or an MFA code) is not
 * something it could make by mistake: no method to call exists.
 */
interface BucketReader extends AutoCloseable {

  /** One GetBucketVersioning. */
  Observation observe(BucketAddress bucket) throws BucketStoreException;

  /** One GetBucketLifecycleConfiguration: does the bucket have lifecycle rules? */
  boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException;

  /** ListBuckets, every page: what a policy would cover. */
  BucketLister.Listing listBuckets(BucketAddress account) throws BucketStoreException;

  @Override
  void close();
}

package io.bucketprotection.operator.check;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import java.io.InputStream;

/**
 * The check's whole view of S3: the two reads the operator's observe step makes, the listing a
 * policy makes, the reads of a version deletion's preview (its manifest, and one HeadObject per
 * version looked up), and nothing that writes. The check can only ever hold one of these, so a
 * write (or an MFA code) is not something it could make by mistake: no method to call exists.
 */
interface BucketReader extends AutoCloseable {

  /** One GetBucketVersioning. */
  Observation observe(BucketAddress bucket) throws BucketStoreException;

  /** One GetBucketLifecycleConfiguration: does the bucket have lifecycle rules? */
  boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException;

  /** ListBuckets, every page: what a policy would cover. */
  BucketLister.Listing listBuckets(BucketAddress account) throws BucketStoreException;

  /** One HeadObject of exactly this version: there, a delete marker, or missing. */
  Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException;

  /** One HeadObject of the current version of {@code key}: its ETag and version id. */
  ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException;

  /** One GetObject of exactly the object {@code stamp} names: a stream the caller closes. */
  InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException;

  @Override
  void close();
}

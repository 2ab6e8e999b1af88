package io.bucketprotection.operator.check;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;

/**
 * The operator's own S3 code (the same client settings, retries, region discovery and error
 * mapping), with its write left behind: this keeps two of the store's methods, never the store.
 */
final class AwsBucketReader implements BucketReader {

  private interface Read<T> {
    T from(BucketAddress bucket) throws BucketStoreException;
  }

  private final Read<Observation> versioning;
  private final Read<Boolean> lifecycle;
  private final Read<BucketLister.Listing> listing;
  private final Runnable closer;

  private AwsBucketReader(Read<Observation> versioning, Read<Boolean> lifecycle, Read<BucketLister.Listing> listing,
      Runnable closer) {
    this.versioning = versioning;
    this.lifecycle = lifecycle;
    this.listing = listing;
    this.closer = closer;
  }

  /** A reader as the operator would build its store from the same settings. */
  static BucketReader create(OperatorConfig config) {
    AwsBucketStore store = BucketProtectionOperator.awsBucketStore(config);
    return new AwsBucketReader(store::observe, store::hasLifecycleRules, store::listBuckets, store::close);
  }

  @Override
  public Observation observe(BucketAddress bucket) throws BucketStoreException {
    return versioning.from(bucket);
  }

  @Override
  public boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException {
    return lifecycle.from(bucket);
  }

  @Override
  public BucketLister.Listing listBuckets(BucketAddress account) throws BucketStoreException {
    return listing.from(account);
  }

  @Override
  public void close() {
    closer.run();
  }
}

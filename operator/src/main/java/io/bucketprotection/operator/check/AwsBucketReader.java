package io.bucketprotection.operator.check;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import java.io.InputStream;

/**
 * The operator's own S3 code (the same client settings, retries, region discovery and error
 * mapping), with its writes left behind: this keeps the store's reads, never the store.
 */
final class AwsBucketReader implements BucketReader {

  private interface Read<T> {
    T from(BucketAddress bucket) throws BucketStoreException;
  }

  /** The store's reads of objects: a version looked up, a manifest stamped, a manifest opened. */
  private record ObjectReads(VersionHead head, Stat stat, Open open) {
  }

  private interface VersionHead {
    Presence head(BucketAddress bucket, ObjectVersion version) throws BucketStoreException;
  }

  private interface Stat {
    ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException;
  }

  private interface Open {
    InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException;
  }

  private final Read<Observation> versioning;
  private final Read<Boolean> lifecycle;
  private final Read<BucketLister.Listing> listing;
  private final ObjectReads objects;
  private final Runnable closer;

  private AwsBucketReader(Read<Observation> versioning, Read<Boolean> lifecycle, Read<BucketLister.Listing> listing,
      ObjectReads objects, Runnable closer) {
    this.versioning = versioning;
    this.lifecycle = lifecycle;
    this.listing = listing;
    this.objects = objects;
    this.closer = closer;
  }

  /** A reader as the operator would build its store from the same settings. */
  static BucketReader create(OperatorConfig config) {
    AwsBucketStore store = BucketProtectionOperator.awsBucketStore(config);
    return new AwsBucketReader(store::observe, store::hasLifecycleRules, store::listBuckets,
        new ObjectReads(store::headVersion, store::stat, store::open), store::close);
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
  public Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
    return objects.head().head(bucket, version);
  }

  @Override
  public ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
    return objects.stat().stat(bucket, key);
  }

  @Override
  public InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
    return objects.open().open(bucket, key, stamp);
  }

  @Override
  public void close() {
    closer.run();
  }
}

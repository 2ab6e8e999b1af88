package io.bucketprotection.operator.s3;

import java.util.List;

/** ListBuckets, for policies: the one S3 call that names no bucket. */
public interface BucketLister {

  /** A bucket as ListBuckets returns it; {@code region} is null where the server gives none. */
  record ListedBucket(String name, String region) {
  }

  /** Every bucket the credentials own, and how many pages the server returned them in. */
  record Listing(List<ListedBucket> buckets, int pages) {
  }

  /** ListBuckets, page after page (1000 a page where the server paginates). Never modifies anything. */
  Listing listBuckets(BucketAddress account) throws BucketStoreException;
}

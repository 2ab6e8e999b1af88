package io.bucketprotection.operator.metrics;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;

/** Counts a listing signed with an account's root keys (bpo_root_requests_total{purpose="list"}), per page. */
public final class MeteredBucketLister implements BucketLister {

  private final BucketLister delegate;
  private final OperatorMetrics metrics;

  public MeteredBucketLister(BucketLister delegate, OperatorMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public Listing listBuckets(BucketAddress account) throws BucketStoreException {
    Listing listing = delegate.listBuckets(account);
    for (int page = 0; page < listing.pages(); page++) {
      metrics.rootRequest(account.signer(), OperatorMetrics.RootPurpose.LIST);
    }
    return listing;
  }
}

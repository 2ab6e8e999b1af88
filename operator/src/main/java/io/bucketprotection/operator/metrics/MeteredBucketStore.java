package io.bucketprotection.operator.metrics;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.WriteReceipt;
import java.util.Optional;

/**
 * Times every S3 call by operation and outcome, and counts those signed with an account's root
 * keys by purpose (bpo_root_requests_total): a security review's number.
 */
public final class MeteredBucketStore implements BucketStore {

  private final BucketStore delegate;
  private final OperatorMetrics metrics;

  public MeteredBucketStore(BucketStore delegate, OperatorMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  private <T> T timed(String operation, S3Timer.Call<T> call) throws BucketStoreException {
    return S3Timer.timed(metrics, operation, call);
  }

  @Override
  public Observation observe(BucketAddress bucket) throws BucketStoreException {
    metrics.rootRequest(bucket.signer(), OperatorMetrics.RootPurpose.READ);
    return timed("GetBucketVersioning", () -> delegate.observe(bucket));
  }

  @Override
  public boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException {
    metrics.rootRequest(bucket.signer(), OperatorMetrics.RootPurpose.READ);
    return timed("GetBucketLifecycleConfiguration", () -> delegate.hasLifecycleRules(bucket));
  }

  @Override
  public WriteReceipt putVersioning(BucketAddress bucket, BucketState target, Optional<MfaToken> mfa)
      throws BucketStoreException {
    metrics.rootRequest(bucket.signer(), mfa.isPresent() ? OperatorMetrics.RootPurpose.CODED_WRITE
        : OperatorMetrics.RootPurpose.PLAIN_WRITE);
    return timed("PutBucketVersioning", () -> delegate.putVersioning(bucket, target, mfa));
  }
}

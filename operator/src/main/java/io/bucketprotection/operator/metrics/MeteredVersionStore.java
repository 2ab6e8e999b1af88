package io.bucketprotection.operator.metrics;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.VersionStore;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Times the S3 calls of a version deletion by operation and outcome, and counts those signed with
 * an account's root keys by purpose (bpo_root_requests_total), as {@link MeteredBucketStore} does
 * for the versioning calls: a DeleteObjects with a code is a coded write, without one a plain
 * write, and reading a manifest or looking up a version is a read.
 */
public final class MeteredVersionStore implements VersionStore {

  private final VersionStore delegate;
  private final OperatorMetrics metrics;

  public MeteredVersionStore(VersionStore delegate, OperatorMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  @Override
  public DeleteReceipt deleteVersions(BucketAddress bucket, List<ObjectVersion> versions, Optional<MfaToken> mfa)
      throws BucketStoreException {
    // An approved version deletion is root's by design, with a code or without: counted apart.
    metrics.rootRequest(bucket.signer(), OperatorMetrics.RootPurpose.DELETE);
    return S3Timer.timed(metrics, "DeleteObjects", () -> delegate.deleteVersions(bucket, versions, mfa));
  }

  @Override
  public ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
    metrics.rootRequest(bucket.signer(), OperatorMetrics.RootPurpose.READ);
    return S3Timer.timed(metrics, "HeadObject", () -> delegate.stat(bucket, key));
  }

  @Override
  public Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
    metrics.rootRequest(bucket.signer(), OperatorMetrics.RootPurpose.READ);
    return S3Timer.timed(metrics, "HeadObject", () -> delegate.headVersion(bucket, version));
  }

  /** Timed until the body's stream is handed over, not while it is read. */
  @Override
  public InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
    metrics.rootRequest(bucket.signer(), OperatorMetrics.RootPurpose.READ);
    return S3Timer.timed(metrics, "GetObject", () -> delegate.open(bucket, key, stamp));
  }

  @Override
  public InputStream open(BucketAddress bucket, String key, ObjectStamp stamp, long fromByte)
      throws BucketStoreException {
    metrics.rootRequest(bucket.signer(), OperatorMetrics.RootPurpose.READ);
    return S3Timer.timed(metrics, "GetObject", () -> delegate.open(bucket, key, stamp, fromByte));
  }
}

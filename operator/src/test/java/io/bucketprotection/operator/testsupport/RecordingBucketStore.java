package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes every call to a real store and remembers the MFA codes sent, so a test can look for them. */
public final class RecordingBucketStore implements BucketStore {

  private final BucketStore delegate;
  private final List<MfaToken> sent = new CopyOnWriteArrayList<>();

  public RecordingBucketStore(BucketStore delegate) {
    this.delegate = delegate;
  }

  public List<MfaToken> tokensSent() {
    return List.copyOf(sent);
  }

  @Override
  public Observation observe(BucketAddress bucket) throws BucketStoreException {
    return delegate.observe(bucket);
  }

  @Override
  public boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException {
    return delegate.hasLifecycleRules(bucket);
  }

  @Override
  public void putVersioning(BucketAddress bucket, BucketState target, Optional<MfaToken> mfa)
      throws BucketStoreException {
    mfa.ifPresent(sent::add);
    delegate.putVersioning(bucket, target, mfa);
  }
}

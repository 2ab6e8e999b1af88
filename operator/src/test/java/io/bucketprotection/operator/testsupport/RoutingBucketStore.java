package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.s3.WriteReceipt;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends calls for one endpoint to one store and the rest to another, counting how many calls to
 * the routed endpoint are in progress at once (and the most there ever were).
 */
public final class RoutingBucketStore implements BucketStore, BucketLister {

  private interface Call<T> {
    T call() throws BucketStoreException;
  }

  private final URI routed;
  private final BucketStore routedStore;
  private final BucketStore others;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicInteger routedCalls = new AtomicInteger();

  public RoutingBucketStore(URI routed, BucketStore routedStore, BucketStore others) {
    this.routed = routed;
    this.routedStore = routedStore;
    this.others = others;
  }

  /** The most calls to the routed endpoint that were in progress at the same moment. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int routedCalls() {
    return routedCalls.get();
  }

  private <T> T route(BucketAddress address, Call<T> toRouted, Call<T> toOthers) throws BucketStoreException {
    if (!S3Endpoints.connectionKey(routed).equals(S3Endpoints.connectionKey(address.endpoint()))) {
      return toOthers.call();
    }
    routedCalls.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      return toRouted.call();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  @Override
  public Observation observe(BucketAddress address) throws BucketStoreException {
    return route(address, () -> routedStore.observe(address), () -> others.observe(address));
  }

  @Override
  public boolean hasLifecycleRules(BucketAddress address) throws BucketStoreException {
    return route(address, () -> routedStore.hasLifecycleRules(address), () -> others.hasLifecycleRules(address));
  }

  /** ListBuckets, routed likewise, to a store that can list (else refused as the operator's stores refuse it). */
  @Override
  public Listing listBuckets(BucketAddress address) throws BucketStoreException {
    return route(address, () -> list(routedStore, address), () -> list(others, address));
  }

  private static Listing list(BucketStore store, BucketAddress address) throws BucketStoreException {
    if (store instanceof BucketLister lister) {
      return lister.listBuckets(address);
    }
    throw new BucketStoreException(S3ErrorKind.REQUEST_REJECTED, "NotImplemented", 501, "this store cannot list");
  }

  @Override
  public WriteReceipt putVersioning(BucketAddress address, BucketState target, Optional<MfaToken> mfa)
      throws BucketStoreException {
    return route(address, () -> routedStore.putVersioning(address, target, mfa),
        () -> others.putVersioning(address, target, mfa));
  }
}

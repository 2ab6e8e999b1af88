package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.List;
import java.util.function.Predicate;

/**
 * The BucketProtection controller's informer cache, lent read-only to the policy controller (JOSDK
 * event sources belong to one controller; a second cache of every resource would cost as much
 * memory again). Attached when that controller prepares its event sources; empty until then.
 */
public final class ProtectionIndex {

  private volatile IndexedResourceCache<BucketProtection> cache;

  void attach(IndexedResourceCache<BucketProtection> cache) {
    this.cache = cache;
  }

  /** Whether the cache has been filled (its informer started, which waits for the first list). */
  public boolean ready() {
    IndexedResourceCache<BucketProtection> c = cache;
    return c != null && (!(c instanceof AbstractEventSource<?, ?> source) || source.isRunning());
  }

  /** Every BucketProtection naming {@code bucket}, in any watched namespace. */
  public List<BucketProtection> byBucket(String bucket) {
    IndexedResourceCache<BucketProtection> c = cache;
    return c == null ? List.of() : c.byIndex(BucketOwnership.INDEX, bucket);
  }

  /** The BucketProtections of {@code namespace} that pass {@code test}. */
  public List<BucketProtection> inNamespace(String namespace, Predicate<BucketProtection> test) {
    IndexedResourceCache<BucketProtection> c = cache;
    return c == null ? List.of() : c.list(namespace, test).toList();
  }
}

package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.WriteReceipt;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Passes every call to a real store, remembers the MFA codes sent (so a test can look for them
 * in logs) and counts calls by operation and outcome ("GetBucketVersioning ok",
 * "PutBucketVersioning MFA_REJECTED"), and GetBucketVersioning calls per bucket.
 */
public final class RecordingBucketStore implements BucketStore, BucketLister, VersionStore {

  private final BucketStore delegate;
  private final List<MfaToken> sent = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> getsPerBucket = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> putsPerBucket = new ConcurrentHashMap<>();

  public RecordingBucketStore(BucketStore delegate) {
    this.delegate = delegate;
  }

  public List<MfaToken> tokensSent() {
    return List.copyOf(sent);
  }

  /** "operation outcome" -> count, sorted. */
  public Map<String, Long> calls() {
    Map<String, Long> copy = new TreeMap<>();
    calls.forEach((k, v) -> copy.put(k, v.get()));
    return copy;
  }

  public long calls(String operationAndOutcome) {
    return calls.getOrDefault(operationAndOutcome, new AtomicLong()).get();
  }

  public long getsOf(String bucket) {
    return getsPerBucket.getOrDefault(bucket, new AtomicLong()).get();
  }

  /** PutBucketVersioning calls on this bucket, accepted or refused. */
  public long putsOf(String bucket) {
    return putsPerBucket.getOrDefault(bucket, new AtomicLong()).get();
  }

  private interface Call<T> {
    T run() throws BucketStoreException;
  }

  private <T> T counted(String operation, Call<T> call) throws BucketStoreException {
    try {
      T result = call.run();
      calls.computeIfAbsent(operation + " ok", k -> new AtomicLong()).incrementAndGet();
      return result;
    } catch (BucketStoreException e) {
      calls.computeIfAbsent(operation + " " + e.kind(), k -> new AtomicLong()).incrementAndGet();
      throw e;
    }
  }

  /** ListBuckets, when the store it records lists (counted once per call, whatever the pages). */
  @Override
  public Listing listBuckets(BucketAddress account) throws BucketStoreException {
    if (!(delegate instanceof BucketLister lister)) {
      throw new BucketStoreException(S3ErrorKind.REQUEST_REJECTED, "NotImplemented", 501, "the recorded store cannot list");
    }
    return counted("ListBuckets", () -> lister.listBuckets(account));
  }

  @Override
  public Observation observe(BucketAddress bucket) throws BucketStoreException {
    getsPerBucket.computeIfAbsent(bucket.bucket(), k -> new AtomicLong()).incrementAndGet();
    return counted("GetBucketVersioning", () -> delegate.observe(bucket));
  }

  @Override
  public boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException {
    return counted("GetBucketLifecycleConfiguration", () -> delegate.hasLifecycleRules(bucket));
  }

  @Override
  public WriteReceipt putVersioning(BucketAddress bucket, BucketState target, Optional<MfaToken> mfa)
      throws BucketStoreException {
    mfa.ifPresent(sent::add);
    putsPerBucket.computeIfAbsent(bucket.bucket(), k -> new AtomicLong()).incrementAndGet();
    return counted("PutBucketVersioning", () -> delegate.putVersioning(bucket, target, mfa));
  }

  private VersionStore versions() throws BucketStoreException {
    if (!(delegate instanceof VersionStore versions)) {
      throw new BucketStoreException(S3ErrorKind.REQUEST_REJECTED, "NotImplemented", 501,
          "the recorded store cannot delete versions");
    }
    return versions;
  }

  /** DeleteObjects, its code recorded with the others. */
  @Override
  public DeleteReceipt deleteVersions(BucketAddress bucket, List<ObjectVersion> listed, Optional<MfaToken> mfa)
      throws BucketStoreException {
    mfa.ifPresent(sent::add);
    VersionStore versions = versions();
    return counted("DeleteObjects", () -> versions.deleteVersions(bucket, listed, mfa));
  }

  @Override
  public ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
    VersionStore versions = versions();
    return counted("HeadObject", () -> versions.stat(bucket, key));
  }

  @Override
  public java.io.InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
    VersionStore versions = versions();
    return counted("GetObject", () -> versions.open(bucket, key, stamp));
  }

  @Override
  public java.io.InputStream open(BucketAddress bucket, String key, ObjectStamp stamp, long fromByte)
      throws BucketStoreException {
    VersionStore versions = versions();
    return counted("GetObject", () -> versions.open(bucket, key, stamp, fromByte));
  }

  @Override
  public Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
    VersionStore versions = versions();
    return counted("HeadObject", () -> versions.headVersion(bucket, version));
  }
}

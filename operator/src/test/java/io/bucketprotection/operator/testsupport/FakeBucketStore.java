package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.s3.WriteReceipt;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written stand-in for S3 that enforces MFA the way RGW does: a code is required where
 * {@link S3VersioningTable} says so (RgwVersioningRulesTest checks that table against RGW); a code is accepted only for
 * the current step (+-1), and never for a step at or before the last accepted one. Counts calls.
 * For unit and mock-API tests; the real proof is the RGW integration tests.
 *
 * <p>Objects and their versions ({@link FakeVersions}) serve the {@link VersionStore} calls: a
 * DeleteObjects on a bucket with MFA Delete on needs a code, checked as PutBucketVersioning's is
 * (a missing one is ACCESS_DENIED, a refused one MFA_REJECTED, and nothing of the batch is
 * deleted: RgwDeleteObjectsTest shows RadosGW doing the same).
 */
public final class FakeBucketStore implements BucketStore, BucketLister, VersionStore {

  private record Device(TotpSeed seed, int periodSeconds) {
  }

  private final Clock clock;
  private final Map<String, BucketState> buckets = new ConcurrentHashMap<>();
  private final Set<String> withLifecycle = ConcurrentHashMap.newKeySet();
  private final Map<String, Device> devices = new ConcurrentHashMap<>();
  private final Map<String, Long> lastAcceptedStep = new ConcurrentHashMap<>();
  /** "serial code" -> the step it was accepted for. */
  private final Map<String, Long> acceptedSteps = new ConcurrentHashMap<>();
  private final Map<String, RuntimeException> explodeOn = new ConcurrentHashMap<>();
  private final Map<String, BucketStoreException> failObserve = new ConcurrentHashMap<>();
  private final Map<String, BucketStoreException> failPut = new ConcurrentHashMap<>();
  private final Set<String> deniedKeys = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private final List<MfaToken> tokensReceived = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> codesRefused = new ConcurrentHashMap<>();
  private final TotpCodeGenerator totp = new TotpCodeGenerator();
  private final AtomicInteger requestIds = new AtomicInteger();
  private final FakeVersions objects = new FakeVersions();
  private final AtomicInteger bodies = new AtomicInteger();
  private volatile java.time.Duration serverClockOffset = java.time.Duration.ZERO;
  private volatile boolean createOnFirstUse;

  public FakeBucketStore(Clock clock) {
    this.clock = clock;
  }

  public void createBucket(String name) {
    buckets.put(name, BucketState.UNVERSIONED);
  }

  public void setState(String name, BucketState state) {
    buckets.put(name, state);
  }

  public BucketState state(String name) {
    return buckets.get(name);
  }

  public void addLifecycleRules(String name) {
    withLifecycle.add(name);
  }

  public void registerDevice(String serial, String base32Seed, int periodSeconds) throws Exception {
    devices.put(serial, new Device(TotpSeed.parse(base32Seed), periodSeconds));
  }

  /** Every call on this bucket throws {@code e}: a bug in the stack, not an S3 answer. */
  public void explodeOn(String bucket, RuntimeException e) {
    explodeOn.put(bucket, e);
  }

  public void failObserve(String bucket, BucketStoreException e) {
    failObserve.put(bucket, e);
  }

  /** Requests signed with this access key id are refused (AccessDenied), as for keys of another account. */
  public void denyAccessKey(String accessKeyId) {
    deniedKeys.add(accessKeyId);
  }

  /** The server refuses every PutBucketVersioning on this bucket with {@code e}. */
  public void failPut(String bucket, BucketStoreException e) {
    failPut.put(bucket, e);
  }

  public void clearFailures(String bucket) {
    explodeOn.remove(bucket);
    failObserve.remove(bucket);
    failPut.remove(bucket);
  }

  public int calls(String operation) {
    return calls.computeIfAbsent(operation, k -> new AtomicInteger()).get();
  }

  public int calls(String operation, String bucket) {
    return calls.computeIfAbsent(operation + "/" + bucket, k -> new AtomicInteger()).get();
  }

  public List<MfaToken> tokensReceived() {
    return List.copyOf(tokensReceived);
  }

  /** The step an accepted code belonged to, or null when it was not accepted. */
  public Long acceptedStep(MfaToken token) {
    return acceptedSteps.get(token.headerValue());
  }

  /** Codes of this device the fake server refused. */
  public int codesRefused(String serial) {
    return codesRefused.computeIfAbsent(serial, k -> new AtomicInteger()).get();
  }

  /**
   * Calls signed by one role ("root", "observer"): {@code operation} is GetBucketVersioning,
   * GetBucketLifecycleConfiguration, ListBuckets, PutBucketVersioning, DeleteObjects, HeadObject,
   * GetObject (all of them), "PutBucketVersioning with a code" or "DeleteObjects with a code".
   */
  public int callsSignedBy(io.bucketprotection.operator.s3.Signer.Role role, String operation) {
    return calls.computeIfAbsent(role.label() + " " + operation, k -> new AtomicInteger()).get();
  }

  private void count(String operation, BucketAddress address) throws BucketStoreException {
    calls.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    calls.computeIfAbsent(address.signer().role().label() + " " + operation, k -> new AtomicInteger())
        .incrementAndGet();
    calls.computeIfAbsent(operation + "/" + address.bucket(), k -> new AtomicInteger()).incrementAndGet();
    RuntimeException boom = explodeOn.get(address.bucket());
    if (boom != null) {
      throw boom;
    }
    if (address.credentials() != null && deniedKeys.contains(address.credentials().accessKeyId())) {
      throw new BucketStoreException(S3ErrorKind.ACCESS_DENIED, "AccessDenied", 403, "AccessDenied (HTTP 403)");
    }
  }

  /** Buckets nobody created exist, unversioned, on first use (for the memory benchmark). */
  public void createBucketsOnFirstUse() {
    createOnFirstUse = true;
  }

  private BucketState existing(BucketAddress address) throws BucketStoreException {
    BucketState state = createOnFirstUse
        ? buckets.computeIfAbsent(address.bucket(), b -> BucketState.UNVERSIONED)
        : buckets.get(address.bucket());
    if (state == null) {
      throw new BucketStoreException(S3ErrorKind.BUCKET_NOT_FOUND, "NoSuchBucket", 404, "NoSuchBucket (HTTP 404)");
    }
    return state;
  }

  /** Makes the server's clock (its Date header) run this far ahead of the operator's. */
  public void setServerClockOffset(java.time.Duration offset) {
    serverClockOffset = offset;
  }

  /** Deletes a bucket (its state with it). */
  public void deleteBucket(String name) {
    buckets.remove(name);
  }

  /** ListBuckets pages, as AWS gives them: 1000 a page, by name; counted as "ListBuckets" per page. */
  @Override
  public Listing listBuckets(BucketAddress account) throws BucketStoreException {
    List<ListedBucket> all = new java.util.TreeMap<>(buckets).keySet().stream()
        .map(name -> new ListedBucket(name, null)).toList();
    int pages = Math.max(1, (all.size() + 999) / 1000);
    for (int i = 0; i < pages; i++) {
      count("ListBuckets", account);
    }
    return new Listing(all, pages);
  }

  @Override
  public Observation observe(BucketAddress address) throws BucketStoreException {
    count("GetBucketVersioning", address);
    BucketStoreException failure = failObserve.get(address.bucket());
    if (failure != null) {
      throw failure;
    }
    return new Observation(existing(address), clock.instant().plus(serverClockOffset));
  }

  @Override
  public boolean hasLifecycleRules(BucketAddress address) throws BucketStoreException {
    count("GetBucketLifecycleConfiguration", address);
    existing(address);
    return withLifecycle.contains(address.bucket());
  }

  @Override
  public synchronized WriteReceipt putVersioning(BucketAddress address, BucketState target, Optional<MfaToken> mfa)
      throws BucketStoreException {
    count("PutBucketVersioning", address);
    if (mfa.isPresent()) {
      calls.computeIfAbsent(address.signer().role().label() + " PutBucketVersioning with a code",
          k -> new AtomicInteger()).incrementAndGet();
    }
    BucketState current = existing(address);
    mfa.ifPresent(tokensReceived::add);
    BucketStoreException refusal = failPut.get(address.bucket());
    if (refusal != null) {
      throw refusal;
    }
    // The hand-written table (checked against RadosGW), never a rule of the operator's.
    if (S3VersioningTable.needsCode(current, target)) {
      if (mfa.isEmpty()) {
        throw new BucketStoreException(S3ErrorKind.ACCESS_DENIED, "AccessDenied", 403, "AccessDenied (HTTP 403)");
      }
      if (!accept(mfa.get())) {
        codesRefused.computeIfAbsent(mfa.get().serialNumber(), k -> new AtomicInteger()).incrementAndGet();
        throw new BucketStoreException(S3ErrorKind.MFA_REJECTED, "AccessDenied", 403, "AccessDenied (HTTP 403)");
      }
    }
    buckets.put(address.bucket(), target);
    return new WriteReceipt("fake-" + requestIds.incrementAndGet(), null);
  }

  // ---------------------------------------------------------------- objects and versions

  /** A new version of {@code key} in a bucket with versioning Enabled; returns its version id. */
  public String putVersion(String bucket, String key) {
    if (bucketState(bucket).versioning() != VersioningStatus.ENABLED) {
      throw new IllegalStateException("bucket " + bucket + " is not versioned: its objects have no version ids");
    }
    byte[] body = ("version " + bodies.incrementAndGet() + " of " + key).getBytes(StandardCharsets.UTF_8);
    return objects.put(bucket, bucketState(bucket), key, body).versionId();
  }

  /** A delete marker on {@code key}, as a DeleteObject without a version id leaves; returns its version id. */
  public String putDeleteMarker(String bucket, String key) {
    if (bucketState(bucket).versioning() != VersioningStatus.ENABLED) {
      throw new IllegalStateException("bucket " + bucket + " is not versioned: no delete marker");
    }
    return objects.put(bucket, bucketState(bucket), key, null).versionId();
  }

  /**
   * An object with this body (a manifest): ETag the MD5 hex in quotes, a version id when the bucket
   * is versioned (Enabled: a new one; Suspended: "null"; unversioned: none). Putting it again
   * replaces it: a new ETag when the body differs, a new version when versioned (the old version stays).
   */
  public ObjectStamp putObject(String bucket, String key, byte[] body) {
    return objects.put(bucket, bucketState(bucket), key, body.clone());
  }

  /** Every version and delete marker left in {@code bucket}: by key, newest first. */
  public List<ObjectVersion> versions(String bucket) {
    return objects.versions(bucket);
  }

  /**
   * The next {@code times} DeleteObjects listing this version report it failed with {@code code}
   * (InternalError, AccessDenied...) and keep it; later ones delete it.
   */
  public void failVersion(String bucket, String key, String versionId, String code, int times) {
    objects.fail(bucket, key, versionId, code, times);
  }

  private BucketState bucketState(String bucket) {
    BucketState state = buckets.get(bucket);
    if (state == null) {
      throw new IllegalStateException("no bucket " + bucket + ": createBucket first");
    }
    return state;
  }

  @Override
  public synchronized DeleteReceipt deleteVersions(BucketAddress address, List<ObjectVersion> versions,
      Optional<MfaToken> mfa) throws BucketStoreException {
    count("DeleteObjects", address);
    if (mfa.isPresent()) {
      calls.computeIfAbsent(address.signer().role().label() + " DeleteObjects with a code",
          k -> new AtomicInteger()).incrementAndGet();
    }
    if (versions.isEmpty() || versions.size() > MAX_BATCH) {
      throw new IllegalArgumentException("a DeleteObjects holds 1 to " + MAX_BATCH + " versions, not " + versions.size());
    }
    BucketState state = existing(address);
    mfa.ifPresent(tokensReceived::add);
    if (state.mfaDeleteEnabled()) {
      if (mfa.isEmpty()) {
        throw new BucketStoreException(S3ErrorKind.ACCESS_DENIED, "HTTP403", 403, "HTTP 403");
      }
      if (!accept(mfa.get())) {
        codesRefused.computeIfAbsent(mfa.get().serialNumber(), k -> new AtomicInteger()).incrementAndGet();
        throw new BucketStoreException(S3ErrorKind.MFA_REJECTED, "HTTP403", 403, "HTTP 403");
      }
    }
    List<Deleted> deleted = new ArrayList<>();
    List<Failed> failed = new ArrayList<>();
    objects.delete(address.bucket(), versions, deleted, failed);
    return new DeleteReceipt("fake-" + requestIds.incrementAndGet(), null, deleted, failed);
  }

  /** As the SDK reports a HeadObject's 404: a missing bucket, too, is NoSuchKey. */
  @Override
  public ObjectStamp stat(BucketAddress address, String key) throws BucketStoreException {
    count("HeadObject", address);
    if (!buckets.containsKey(address.bucket())) {
      throw new BucketStoreException(S3ErrorKind.MANIFEST_NOT_FOUND, "NoSuchKey", 404, "NoSuchKey (HTTP 404)");
    }
    return objects.stat(address.bucket(), key);
  }

  @Override
  public InputStream open(BucketAddress address, String key, ObjectStamp stamp) throws BucketStoreException {
    count("GetObject", address);
    existing(address);
    return objects.open(address.bucket(), key, stamp);
  }

  /**
   * As AWS answers a HeadObject of a version: there, a delete marker (405 with x-amz-delete-marker),
   * or a 404; a missing bucket is a 404 too. Counted as "HeadObject".
   */
  @Override
  public Presence headVersion(BucketAddress address, ObjectVersion version) throws BucketStoreException {
    count("HeadObject", address);
    if (!buckets.containsKey(address.bucket())) {
      return Presence.MISSING;
    }
    return objects.presence(address.bucket(), version);
  }

  private boolean accept(MfaToken token) {
    Device device = devices.get(token.serialNumber());
    if (device == null) {
      return false;
    }
    long now = Math.floorDiv(clock.millis(), device.periodSeconds() * 1000L);
    long last = lastAcceptedStep.getOrDefault(token.serialNumber(), Long.MIN_VALUE);
    for (long step = now - 1; step <= now + 1; step++) {
      try {
        if (step > last && totp.code(device.seed(), step).equals(token.code())) {
          lastAcceptedStep.put(token.serialNumber(), step);
          acceptedSteps.put(token.headerValue(), step);
          return true;
        }
      } catch (Exception e) {
        return false;
      }
    }
    return false;
  }
}

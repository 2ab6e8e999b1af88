package io.bucketprotection.operator.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.s3.VersionStore.DeleteReceipt;
import io.bucketprotection.operator.s3.VersionStore.Deleted;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.MFADelete;

/**
 * The S3 calls of a version deletion through {@link AwsBucketStore} (the operator's own clients,
 * checksum mode and error mapping) against RadosGW with MFA Delete on.
 *
 * <p>What RadosGW 16.2 answers, as these tests show: a DeleteObjects of versions without a code,
 * with a wrong code or with a spent one (same device, same step) is a bare 403, and nothing of the
 * batch is deleted; with a good code exactly the listed versions go, a removed delete marker is
 * reported as such, and a version that does not exist (of a key that exists or not) is reported
 * deleted, as AWS does. A 1,000-version batch is one request. The DeleteObjects' checksum is
 * accepted in both of the clients' modes: x-amz-checksum-crc32 (WHEN_REQUIRED, the default) and
 * Content-MD5 (BPO_CONTENT_MD5_ENDPOINTS). A GetObject of a version that is gone is answered
 * NoSuchKey, not NoSuchVersion.
 *
 * <p>Each coded request uses a device of its own (a user's devices keep their own steps), so no
 * test waits for a step to pass. Codes are never printed, neither here nor in assertion messages.
 */
class RgwDeleteObjectsTest {

  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final String UID = "bpo-del-" + RUN;
  private static final String ACCESS_KEY = "BPODEL" + RUN.toUpperCase();
  private static final String SECRET_KEY = "del-secret-key-0123456789abcdefghijklmn";
  private static final String SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final int PERIOD = 5;
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static RgwLab rgw;
  private static S3Client admin;
  private static AwsBucketStore store;

  @BeforeAll
  static void start() {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    admin = rgw.client(ACCESS_KEY, SECRET_KEY);
    store = new AwsBucketStore("us-east-1", Set.of(), FailureVerdicts::isTransient);
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void withoutACodeTheWholeBatchIsRefusedAndNothingIsDeleted() {
    String bucket = mfaDeleteBucket(3, true);
    Set<ObjectVersion> before = remaining(bucket);

    BucketStoreException refused = assertThrows(BucketStoreException.class,
        () -> store.deleteVersions(root(bucket), List.copyOf(before), Optional.empty()));

    assertEquals(S3ErrorKind.ACCESS_DENIED, refused.kind(), "a 403 to a request without a code");
    assertEquals(403, refused.httpStatus());
    assertEquals(before, remaining(bucket));
  }

  @Test
  void aWrongCodeIsMfaRejectedAndNothingIsDeleted() throws Exception {
    String bucket = mfaDeleteBucket(3, true);
    Set<ObjectVersion> before = remaining(bucket);
    MfaToken wrong = wrongCode(device());

    BucketStoreException refused = assertThrows(BucketStoreException.class,
        () -> store.deleteVersions(root(bucket), List.copyOf(before), Optional.of(wrong)));

    assertEquals(S3ErrorKind.MFA_REJECTED, refused.kind());
    assertEquals(403, refused.httpStatus());
    assertFalse(refused.getMessage().contains(wrong.code()), "no code in a message");
    assertEquals(before, remaining(bucket));
  }

  @Test
  void aGoodCodeDeletesExactlyTheListedVersionsAndReportsTheDeleteMarker() throws Exception {
    String bucket = mfaDeleteBucket(3, true);
    Set<ObjectVersion> before = remaining(bucket);
    ObjectVersion marker = deleteMarkers(bucket).get(0);
    List<ObjectVersion> ofA = versionsOf(bucket, "k0");
    List<ObjectVersion> listed = List.of(ofA.get(0), ofA.get(2), versionsOf(bucket, "k1").get(1), marker);

    DeleteReceipt receipt = store.deleteVersions(root(bucket), listed, Optional.of(token(device())));

    assertEquals(listed.stream().map(v -> new Deleted(v.key(), v.versionId(), v.equals(marker)))
        .collect(Collectors.toSet()), Set.copyOf(receipt.deleted()));
    assertEquals(List.of(), receipt.failed());
    assertNotNull(receipt.requestId(), "RadosGW's x-amz-request-id");
    assertNull(receipt.extendedRequestId(), "RadosGW sends no x-amz-id-2");
    Set<ObjectVersion> expected = new HashSet<>(before);
    listed.forEach(expected::remove);
    assertEquals(expected, remaining(bucket), "the listed versions are gone, and only they");
  }

  @Test
  void aCodeIsAcceptedOnceAndTheSameCodeOnASecondBatchIsRefused() throws Exception {
    String bucket = mfaDeleteBucket(2, false);
    List<ObjectVersion> versions = versionsOf(bucket, "k0");
    MfaToken token = token(device());

    store.deleteVersions(root(bucket), List.of(versions.get(0)), Optional.of(token));
    BucketStoreException again = assertThrows(BucketStoreException.class,
        () -> store.deleteVersions(root(bucket), List.of(versions.get(1)), Optional.of(token)));

    assertEquals(S3ErrorKind.MFA_REJECTED, again.kind());
    assertEquals(Set.of(versions.get(1)), Set.copyOf(versionsOf(bucket, "k0")), "the second batch deleted nothing");
  }

  @Test
  void aListedVersionThatDoesNotExistIsReportedDeleted() throws Exception {
    String bucket = mfaDeleteBucket(2, false);
    ObjectVersion real = versionsOf(bucket, "k0").get(0);
    ObjectVersion noSuchVersion = new ObjectVersion("k0", "no-such-version-" + RUN);
    ObjectVersion noSuchKey = new ObjectVersion("no-such-key", "no-such-version-" + RUN);

    DeleteReceipt receipt = store.deleteVersions(root(bucket), List.of(real, noSuchVersion, noSuchKey),
        Optional.of(token(device())));

    assertEquals(Set.of(new Deleted("k0", real.versionId(), false), new Deleted("k0", noSuchVersion.versionId(), false),
        new Deleted("no-such-key", noSuchKey.versionId(), false)), Set.copyOf(receipt.deleted()));
    assertEquals(List.of(), receipt.failed());
  }

  @Test
  void aThousandVersionsGoInOneRequest() throws Exception {
    String bucket = versionedBucket();
    putVersions(bucket, 100, 10);
    enableMfaDelete(bucket);
    List<ObjectVersion> all = List.copyOf(remaining(bucket));
    assertEquals(1000, all.size());

    long start = System.nanoTime();
    DeleteReceipt receipt = store.deleteVersions(root(bucket), all, Optional.of(token(device())));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertEquals(1000, receipt.deleted().size(), "in " + millis + " ms");
    assertEquals(List.of(), receipt.failed());
    assertEquals(Set.of(), remaining(bucket));
  }

  @Test
  void contentMd5IsAcceptedToo() throws Exception {
    String bucket = mfaDeleteBucket(1, false);
    ObjectVersion version = versionsOf(bucket, "k0").get(0);
    try (AwsBucketStore md5Store = new AwsBucketStore("us-east-1", Set.of(rgw.endpoint().toString()),
        FailureVerdicts::isTransient)) {
      DeleteReceipt receipt = md5Store.deleteVersions(root(bucket), List.of(version), Optional.of(token(device())));
      assertEquals(List.of(new Deleted("k0", version.versionId(), false)), receipt.deleted());
    }
    assertEquals(List.of(), versionsOf(bucket, "k0"));
  }

  @Test
  void anUnversionedManifestIsReadAsStampedAndIsChangedOnceOverwritten() throws Exception {
    String bucket = "bpo-del-" + RUN + "-" + NAMES.incrementAndGet();
    admin.createBucket(r -> r.bucket(bucket));
    admin.putObject(r -> r.bucket(bucket).key("manifest.csv"), RequestBody.fromString("b,k0,v1\n"));

    ObjectStamp stamp = store.stat(observer(bucket), "manifest.csv");
    assertNull(stamp.versionId(), "an unversioned bucket has no version ids");
    assertTrue(stamp.etag().startsWith("\"") && stamp.etag().endsWith("\""), "the ETag as sent: " + stamp.etag());
    assertEquals("b,k0,v1\n", read(bucket, "manifest.csv", stamp));

    admin.putObject(r -> r.bucket(bucket).key("manifest.csv"), RequestBody.fromString("b,k0,v2\n"));
    BucketStoreException changed = assertThrows(BucketStoreException.class, () -> read(bucket, "manifest.csv", stamp));
    assertEquals(S3ErrorKind.MANIFEST_CHANGED, changed.kind());
    assertEquals(412, changed.httpStatus());
    assertEquals("b,k0,v2\n", read(bucket, "manifest.csv", store.stat(observer(bucket), "manifest.csv")));

    admin.deleteObject(r -> r.bucket(bucket).key("manifest.csv"));
    assertEquals(S3ErrorKind.MANIFEST_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> read(bucket, "manifest.csv", stamp)).kind(), "gone, and nothing pinned a version");
  }

  /** Overwriting does not change a pinned version; deleting it does, for good. */
  @Test
  void aPinnedVersionIsReadAfterAnOverwriteAndIsChangedOnceItIsGone() throws Exception {
    String bucket = versionedBucket();
    admin.putObject(r -> r.bucket(bucket).key("manifest.csv"), RequestBody.fromString("first\n"));
    ObjectStamp stamp = store.stat(observer(bucket), "manifest.csv");
    assertNotNull(stamp.versionId());

    admin.putObject(r -> r.bucket(bucket).key("manifest.csv"), RequestBody.fromString("second\n"));
    assertEquals("first\n", read(bucket, "manifest.csv", stamp), "the pinned version, not the current one");
    ObjectStamp current = store.stat(observer(bucket), "manifest.csv");
    assertFalse(current.equals(stamp));

    admin.deleteObject(r -> r.bucket(bucket).key("manifest.csv").versionId(stamp.versionId()));
    BucketStoreException gone = assertThrows(BucketStoreException.class, () -> read(bucket, "manifest.csv", stamp));
    assertEquals(S3ErrorKind.MANIFEST_CHANGED, gone.kind());
    assertEquals("NoSuchKey", gone.errorCode(), "RadosGW's answer for a version that is gone");
    BucketStoreException otherETag = assertThrows(BucketStoreException.class,
        () -> read(bucket, "manifest.csv", new ObjectStamp(stamp.etag(), current.versionId())));
    assertEquals(S3ErrorKind.MANIFEST_CHANGED, otherETag.kind());
    assertEquals(412, otherETag.httpStatus());
  }

  @Test
  void aMissingObjectIsObjectNotFoundAndAMissingBucketIsBucketNotFoundWhereS3SaysSo() throws Exception {
    String bucket = versionedBucket();
    assertEquals(S3ErrorKind.MANIFEST_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> store.stat(observer(bucket), "no-such-key")).kind());
    admin.putObject(r -> r.bucket(bucket).key("deleted.csv"), RequestBody.fromString("x\n"));
    admin.deleteObject(r -> r.bucket(bucket).key("deleted.csv"));
    assertEquals(S3ErrorKind.MANIFEST_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> store.stat(observer(bucket), "deleted.csv")).kind(), "its current version is a delete marker");

    String noBucket = "bpo-del-" + RUN + "-missing";
    // A HEAD answer has no body: the SDK reports its every 404 as NoSuchKey. A GET tells them apart.
    assertEquals(S3ErrorKind.MANIFEST_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> store.stat(observer(noBucket), "manifest.csv")).kind());
    assertEquals(S3ErrorKind.BUCKET_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> read(noBucket, "manifest.csv", new ObjectStamp("\"e\"", null))).kind());
  }

  // ---------------------------------------------------------------- set-up

  private static BucketAddress root(String bucket) {
    return new BucketAddress(rgw.endpoint(), null, bucket,
        new Signer.Keys(new S3Credentials(ACCESS_KEY, SECRET_KEY, null), Signer.Role.ROOT, "test user"), null);
  }

  private static BucketAddress observer(String bucket) {
    return new BucketAddress(rgw.endpoint(), null, bucket, new S3Credentials(ACCESS_KEY, SECRET_KEY, null));
  }

  private static String read(String bucket, String key, ObjectStamp stamp) throws Exception {
    try (InputStream body = store.open(observer(bucket), key, stamp)) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String versionedBucket() {
    String bucket = "bpo-del-" + RUN + "-" + NAMES.incrementAndGet();
    admin.createBucket(r -> r.bucket(bucket));
    admin.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    return bucket;
  }

  /** Keys k0, k1, ... with {@code versionsEach} versions each; with a delete marker on the last key. */
  private static String mfaDeleteBucket(int versionsEach, boolean withDeleteMarker) {
    String bucket = versionedBucket();
    putVersions(bucket, 2, versionsEach);
    if (withDeleteMarker) {
      admin.deleteObject(r -> r.bucket(bucket).key("k1"));
    }
    enableMfaDelete(bucket);
    return bucket;
  }

  private static void enableMfaDelete(String bucket) {
    MfaToken token = token(device());
    admin.putBucketVersioning(r -> r.bucket(bucket).mfa(token.headerValue()).versioningConfiguration(c -> c
        .status(BucketVersioningStatus.ENABLED).mfaDelete(MFADelete.ENABLED)));
  }

  /**
   * PutObject with the lab's plain client, which sends checksums only where required (RadosGW 16
   * refuses the SDK's default aws-chunked PutObject); a few at a time, to keep the 1,000 quick.
   */
  private static void putVersions(String bucket, int keys, int versionsEach) {
    ExecutorService puts = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        String key = "k" + k;
        done.add(puts.submit(() -> {
          for (int v = 0; v < versionsEach; v++) {
            String body = key + " version " + v;
            admin.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(body));
          }
        }));
      }
      for (Future<?> put : done) {
        put.get(60, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("putting the versions of " + bucket + " failed", e);
    } finally {
      puts.shutdownNow();
    }
  }

  /** Every version and delete marker left, as an admin lists them. */
  private static Set<ObjectVersion> remaining(String bucket) {
    Set<ObjectVersion> left = new HashSet<>();
    String keyMarker = null;
    String versionMarker = null;
    do {
      String k = keyMarker;
      String v = versionMarker;
      ListObjectVersionsResponse page = admin.listObjectVersions(r -> r.bucket(bucket).keyMarker(k).versionIdMarker(v));
      page.versions().forEach(o -> left.add(new ObjectVersion(o.key(), o.versionId())));
      page.deleteMarkers().forEach(m -> left.add(new ObjectVersion(m.key(), m.versionId())));
      keyMarker = Boolean.TRUE.equals(page.isTruncated()) ? page.nextKeyMarker() : null;
      versionMarker = page.nextVersionIdMarker();
    } while (keyMarker != null);
    return left;
  }

  /** The versions (not delete markers) of {@code key}, newest first. */
  private static List<ObjectVersion> versionsOf(String bucket, String key) {
    return admin.listObjectVersions(r -> r.bucket(bucket).prefix(key)).versions().stream()
        .filter(o -> o.key().equals(key)).map(o -> new ObjectVersion(o.key(), o.versionId())).toList();
  }

  private static List<ObjectVersion> deleteMarkers(String bucket) {
    return admin.listObjectVersions(r -> r.bucket(bucket)).deleteMarkers().stream()
        .map(m -> new ObjectVersion(m.key(), m.versionId())).toList();
  }

  /** A new MFA device of the test user: its steps are all unspent. */
  private static String device() {
    String serial = "arn:aws:iam::123456789012:mfa/bpo-del-" + RUN + "-" + NAMES.incrementAndGet();
    rgw.createMfaDevice(UID, serial, SEED, PERIOD);
    return serial;
  }

  private static MfaToken token(String serial) {
    return new MfaToken(serial, code(System.currentTimeMillis() / 1000 / PERIOD));
  }

  /** A code that is none of the ones RadosGW accepts now (steps -2..+2, and a margin). */
  private static MfaToken wrongCode(String serial) {
    long now = System.currentTimeMillis() / 1000 / PERIOD;
    Set<String> near = LongStream.rangeClosed(now - 4, now + 4).mapToObj(RgwDeleteObjectsTest::code)
        .collect(Collectors.toSet());
    for (int candidate = 0; ; candidate++) {
      String code = String.format("%06d", candidate);
      if (!near.contains(code)) {
        return new MfaToken(serial, code);
      }
    }
  }

  private static String code(long step) {
    try {
      return new TotpCodeGenerator().code(TotpSeed.parse(SEED), step);
    } catch (InvalidTotpSeedException e) {
      throw new IllegalStateException("the test's seed is not Base32", e);
    }
  }
}

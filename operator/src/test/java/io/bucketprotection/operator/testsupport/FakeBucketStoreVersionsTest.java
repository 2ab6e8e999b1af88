package io.bucketprotection.operator.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.s3.VersionStore.DeleteReceipt;
import io.bucketprotection.operator.s3.VersionStore.Deleted;
import io.bucketprotection.operator.s3.VersionStore.Failed;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import io.bucketprotection.operator.s3.VersioningStatus;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FakeBucketStore answers the version calls as RgwDeleteObjectsTest shows RadosGW does. */
class FakeBucketStoreVersionsTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/fake";
  private static final int PERIOD = 30;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
  private final FakeBucketStore s3 = new FakeBucketStore(clock);

  @BeforeEach
  void mfaDeleteBucket() throws Exception {
    s3.createBucket("b");
    s3.setState("b", new BucketState(VersioningStatus.ENABLED, false));
    s3.registerDevice(SERIAL, SEED, PERIOD);
  }

  private static BucketAddress root(String bucket) {
    return new BucketAddress(null, "us-east-1", bucket,
        new Signer.Keys(new S3Credentials("AKIDFAKEROOT00000001", "fake-root-secret", null), Signer.Role.ROOT, "a"),
        null);
  }

  private static BucketAddress observer(String bucket) {
    return new BucketAddress(null, "us-east-1", bucket, new S3Credentials("AKIDFAKEOBS000000001", "fake-secret", null));
  }

  private MfaToken token(long stepOffset) throws Exception {
    long step = clock.millis() / 1000 / PERIOD + stepOffset;
    return new MfaToken(SERIAL, new TotpCodeGenerator().code(TotpSeed.parse(SEED), step));
  }

  @Test
  void withMfaDeleteOnACodeIsNeededCheckedOnceAndNeverAcceptedTwice() throws Exception {
    String v1 = s3.putVersion("b", "k");
    String v2 = s3.putVersion("b", "k");
    String marker = s3.putDeleteMarker("b", "k");
    s3.setState("b", new BucketState(VersioningStatus.ENABLED, true));
    List<ObjectVersion> before = s3.versions("b");
    assertEquals(List.of(new ObjectVersion("k", marker), new ObjectVersion("k", v2), new ObjectVersion("k", v1)), before);

    assertEquals(S3ErrorKind.ACCESS_DENIED, assertThrows(BucketStoreException.class,
        () -> s3.deleteVersions(root("b"), before, Optional.empty())).kind());
    MfaToken wrong = new MfaToken(SERIAL, "000000".equals(token(0).code()) ? "111111" : "000000");
    assertEquals(S3ErrorKind.MFA_REJECTED, assertThrows(BucketStoreException.class,
        () -> s3.deleteVersions(root("b"), before, Optional.of(wrong))).kind());
    assertEquals(before, s3.versions("b"), "a refused request deletes nothing");
    assertEquals(1, s3.codesRefused(SERIAL));

    MfaToken good = token(0);
    DeleteReceipt receipt = s3.deleteVersions(root("b"), List.of(new ObjectVersion("k", marker),
        new ObjectVersion("k", v1), new ObjectVersion("k", "no-such-version")), Optional.of(good));
    assertEquals(List.of(new Deleted("k", marker, true), new Deleted("k", v1, false),
        new Deleted("k", "no-such-version", false)), receipt.deleted());
    assertEquals(List.of(new ObjectVersion("k", v2)), s3.versions("b"));
    assertNotNull(s3.acceptedStep(good));

    assertEquals(S3ErrorKind.MFA_REJECTED, assertThrows(BucketStoreException.class,
        () -> s3.deleteVersions(root("b"), List.of(new ObjectVersion("k", v2)), Optional.of(good))).kind(),
        "a code is accepted once");
    assertEquals(4, s3.calls("DeleteObjects"), "every request counted, refused ones too");
    assertEquals(3, s3.callsSignedBy(Signer.Role.ROOT, "DeleteObjects with a code"));
    assertEquals(List.of(wrong, good, good), s3.tokensReceived());
  }

  @Test
  void aVersionMadeToFailIsReportedWithItsCodeAndKeptThenDeleted() throws Exception {
    String v1 = s3.putVersion("b", "k");
    s3.failVersion("b", "k", v1, "InternalError", 1);
    DeleteReceipt first = s3.deleteVersions(root("b"), List.of(new ObjectVersion("k", v1)), Optional.empty());
    assertEquals(List.of(new Failed("k", v1, "InternalError")), first.failed());
    assertEquals(List.of(new ObjectVersion("k", v1)), s3.versions("b"));
    DeleteReceipt second = s3.deleteVersions(root("b"), List.of(new ObjectVersion("k", v1)), Optional.empty());
    assertEquals(List.of(new Deleted("k", v1, false)), second.deleted());
    assertEquals(List.of(), s3.versions("b"));
  }

  @Test
  void aManifestIsReadAsPinned() throws Exception {
    s3.createBucket("plain");
    ObjectStamp put = s3.putObject("plain", "m.csv", "one\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
        .digest("one\n".getBytes(StandardCharsets.UTF_8))) + "\"", put.etag(), "S3's ETag of a one-part object");
    ObjectStamp stamp = s3.stat(observer("plain"), "m.csv");
    assertEquals(put, stamp);
    assertNull(stamp.versionId());
    assertEquals("one\n", read("plain", stamp));
    s3.putObject("plain", "m.csv", "two\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(S3ErrorKind.MANIFEST_CHANGED, assertThrows(BucketStoreException.class, () -> read("plain", stamp)).kind());

    ObjectStamp v1 = s3.putObject("b", "m.csv", "one\n".getBytes(StandardCharsets.UTF_8));
    ObjectStamp v2 = s3.putObject("b", "m.csv", "one\n".getBytes(StandardCharsets.UTF_8));
    assertNotEquals(v1.versionId(), v2.versionId());
    assertEquals("one\n", read("b", v1), "an overwrite leaves the pinned version");
    s3.deleteVersions(root("b"), List.of(new ObjectVersion("m.csv", v1.versionId())), Optional.empty());
    assertEquals(S3ErrorKind.MANIFEST_CHANGED, assertThrows(BucketStoreException.class, () -> read("b", v1)).kind(),
        "the pinned version is gone");

    assertEquals(S3ErrorKind.MANIFEST_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> s3.stat(observer("b"), "missing")).kind());
    assertEquals(S3ErrorKind.MANIFEST_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> s3.stat(observer("no-bucket"), "m.csv")).kind(), "a HEAD's 404 cannot tell");
    assertEquals(S3ErrorKind.BUCKET_NOT_FOUND, assertThrows(BucketStoreException.class,
        () -> read("no-bucket", stamp)).kind());
    assertEquals(3, s3.calls("HeadObject"));
    assertEquals(3, s3.callsSignedBy(Signer.Role.OBSERVER, "HeadObject"));
  }

  @Test
  void aVersionIsThereAMarkerOrMissingAsAwsAnswersAHeadOfIt() throws Exception {
    String v1 = s3.putVersion("b", "k");
    String marker = s3.putDeleteMarker("b", "k");
    assertEquals(Presence.PRESENT, s3.headVersion(observer("b"), new ObjectVersion("k", v1)));
    assertEquals(Presence.DELETE_MARKER, s3.headVersion(observer("b"), new ObjectVersion("k", marker)));
    assertEquals(Presence.MISSING, s3.headVersion(observer("b"), new ObjectVersion("k", "no-such-version")));
    assertEquals(Presence.MISSING, s3.headVersion(observer("no-bucket"), new ObjectVersion("k", v1)),
        "a HEAD's 404 cannot tell a missing bucket");
    assertEquals(4, s3.callsSignedBy(Signer.Role.OBSERVER, "HeadObject"));
    assertEquals(List.of(new ObjectVersion("k", marker), new ObjectVersion("k", v1)), s3.versions("b"), "nothing changed");
  }

  private String read(String bucket, ObjectStamp stamp) throws Exception {
    try (InputStream body = s3.open(observer(bucket), "m.csv", stamp)) {
      return new String(body.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

package io.bucketprotection.operator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each version call is timed by operation and outcome; each one root signs is counted by purpose. */
class MeteredVersionStoreTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final FakeBucketStore s3 = new FakeBucketStore(new MutableClock(Instant.parse("2026-12-07T12:00:00Z")));
  private final VersionStore store = new MeteredVersionStore(s3, new OperatorMetrics(registry));

  private static BucketAddress signedBy(Signer.Role role) {
    return new BucketAddress(null, "us-east-1", "b", new Signer.Keys(
        new S3Credentials("AKIDMETEREDVERSIONS1", "metered-secret", null), role, "metered"), null);
  }

  @Test
  void rootsDeletionsAreCountedApartAndItsManifestReadsAreReads() throws Exception {
    s3.createBucket("b");
    s3.setState("b", new BucketState(VersioningStatus.ENABLED, false));
    String v1 = s3.putVersion("b", "k");
    s3.putObject("b", "m.csv", "b,k\n".getBytes(StandardCharsets.UTF_8));

    store.deleteVersions(signedBy(Signer.Role.ROOT), List.of(new ObjectVersion("k", v1)), Optional.empty());
    // The fake checks no code where MFA Delete is off: the code is only counted.
    store.deleteVersions(signedBy(Signer.Role.ROOT), List.of(new ObjectVersion("k", v1)),
        Optional.of(new MfaToken("arn:aws:iam::1:mfa/root", "123456")));
    ObjectStamp stamp = store.stat(signedBy(Signer.Role.ROOT), "m.csv");
    try (InputStream body = store.open(signedBy(Signer.Role.ROOT), "m.csv", stamp)) {
      body.readAllBytes();
    }
    store.stat(signedBy(Signer.Role.OBSERVER), "m.csv");
    assertEquals(VersionStore.Presence.MISSING, store.headVersion(signedBy(Signer.Role.OBSERVER),
        new ObjectVersion("k", v1)), "a version deleted is a version missing, not a failure");
    assertThrows(BucketStoreException.class, () -> store.stat(signedBy(Signer.Role.OBSERVER), "missing"));

    assertEquals(2, root("delete"), "a deletion is counted as one, with a code or without");
    assertEquals(0, root("plain-write"));
    assertEquals(0, root("coded-write"));
    assertEquals(2, root("read"), "an observer's reads are not root's");
    assertEquals(2, timer("DeleteObjects", "ok"));
    assertEquals(3, timer("HeadObject", "ok"));
    assertEquals(1, timer("HeadObject", "MANIFEST_NOT_FOUND"));
    assertEquals(1, timer("GetObject", "ok"));
  }

  private double root(String purpose) {
    Counter counter = registry.find("bpo.root.requests").tag("account", "metered").tag("purpose", purpose).counter();
    return counter == null ? 0 : counter.count();
  }

  private long timer(String operation, String outcome) {
    Timer timer = registry.find("bpo.s3.requests").tag("operation", operation).tag("outcome", outcome).timer();
    return timer == null ? 0 : timer.count();
  }
}

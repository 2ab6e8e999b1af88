package io.bucketprotection.operator.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.bucketprotection.operator.testsupport.S3VersioningTable.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks the hand-written {@link S3VersioningTable}, which the decider's tests expect and the fake
 * S3 enforces, against a real MFA-enforcing server: for every row, a PutBucketVersioning without
 * a code is accepted exactly when the table says no code is needed, and with a code it is
 * accepted. Restating an unchanged state needs no code. Every code comes from a device of its
 * own, so all of them use the current step.
 */
class RgwVersioningRulesTest {

  private static final String UID = "bpo-rules";
  private static final String ACCESS_KEY = "BPORULESACCESSKEY001";
  private static final String SECRET_KEY = "rules-secret-key-0123456789abcdefghij";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final int PERIOD = 30;
  private static final AtomicInteger DEVICES = new AtomicInteger();

  private static RgwLab rgw;
  private static S3Client s3;

  @BeforeAll
  static void start() {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 1000);
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
  }

  /** "serial code" from a fresh device: usable once, now. */
  private static String freshCode() throws Exception {
    String serial = "arn:aws:iam::123456789012:mfa/rules-" + DEVICES.incrementAndGet();
    rgw.createMfaDevice(UID, serial, SEED, PERIOD);
    long step = System.currentTimeMillis() / 1000 / PERIOD;
    return serial + " " + new TotpCodeGenerator().code(TotpSeed.parse(SEED), step);
  }

  private static void put(String bucket, BucketState state, String mfa) {
    s3.putBucketVersioning(r -> r.bucket(bucket).mfa(mfa).versioningConfiguration(c -> c
        .status(state.versioning() == VersioningStatus.ENABLED ? BucketVersioningStatus.ENABLED
            : BucketVersioningStatus.SUSPENDED)
        .mfaDelete(state.mfaDeleteEnabled() ? MFADelete.ENABLED : MFADelete.DISABLED)));
  }

  private static BucketState read(String bucket) {
    GetBucketVersioningResponse response = s3.getBucketVersioning(r -> r.bucket(bucket));
    VersioningStatus versioning = response.status() == null ? VersioningStatus.UNVERSIONED
        : response.status() == BucketVersioningStatus.ENABLED ? VersioningStatus.ENABLED : VersioningStatus.SUSPENDED;
    return new BucketState(versioning, response.mfaDelete() == MFADeleteStatus.ENABLED);
  }

  /** A new bucket in {@code state}, reached the way S3 allows (with codes where needed). */
  private static String bucketIn(BucketState state, String name) throws Exception {
    s3.createBucket(r -> r.bucket(name));
    if (state.equals(S3VersioningTable.U)) {
      return name;
    }
    if (state.mfaDeleteEnabled()) {
      put(name, S3VersioningTable.EM, freshCode());
      if (state.versioning() == VersioningStatus.SUSPENDED) {
        put(name, S3VersioningTable.SM, freshCode());
      }
    } else {
      put(name, state, null);
    }
    assertEquals(state, read(name), "set-up of " + name);
    return name;
  }

  @Test
  void everyRowOfTheTableIsWhatRadosGwEnforces() throws Exception {
    List<String> wrong = new ArrayList<>();
    int row = 0;
    for (Transition transition : S3VersioningTable.transitions()) {
      String bucket = bucketIn(transition.from(), "rules-" + row++);
      boolean acceptedWithoutCode;
      try {
        put(bucket, transition.to(), null);
        acceptedWithoutCode = true;
      } catch (S3Exception e) {
        assertEquals(403, e.statusCode(), transition + ": " + e.getMessage());
        acceptedWithoutCode = false;
      }
      if (acceptedWithoutCode == transition.needsCode()) {
        wrong.add(transition + ": the table says code needed = " + transition.needsCode()
            + ", RadosGW accepted it without a code = " + acceptedWithoutCode);
      }
      if (!acceptedWithoutCode) {
        put(bucket, transition.to(), freshCode());
      }
      assertEquals(transition.to(), read(bucket), transition + " reached its target");
    }
    assertTrue(wrong.isEmpty(), String.join("\n", wrong));
  }

  @Test
  void restatingAnUnchangedStateNeedsNoCodeEvenWithMfaDeleteOn() throws Exception {
    for (BucketState state : List.of(S3VersioningTable.E, S3VersioningTable.EM, S3VersioningTable.S,
        S3VersioningTable.SM)) {
      String bucket = bucketIn(state, "rules-same-" + S3VersioningTable.name(state).toLowerCase());
      put(bucket, state, null);
      assertEquals(state, read(bucket));
    }
  }

  @Test
  void suspendingWhileMfaDeleteIsOnIsRefusedWithoutACode() throws Exception {
    String bucket = bucketIn(S3VersioningTable.EM, "rules-suspend-locked");
    S3Exception refused = org.junit.jupiter.api.Assertions.assertThrows(S3Exception.class,
        () -> put(bucket, S3VersioningTable.SM, null));
    assertEquals(403, refused.statusCode());
    assertEquals(S3VersioningTable.EM, read(bucket), "nothing changed");
  }
}

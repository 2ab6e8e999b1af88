package io.bucketprotection.operator.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What RadosGW does with an {@code x-amz-mfa} header, checked with 5-second devices.
 *
 * <p>A header is verified whenever it is present, also on a request that needs no MFA (a
 * GetBucketVersioning, or a PutBucketVersioning that restates the bucket's current state). That
 * request is answered 200 whether the code was good or not, so the caller learns nothing, yet a
 * good code is recorded as used: the device's step is spent, and the one request that does need
 * the code (switching MFA Delete) is then refused with 403 until the device's next step. This is
 * why the operator sends {@code x-amz-mfa} only on the PutBucketVersioning that changes the MFA
 * Delete state (the decider's {@code write.needsCode()}), and never on its observing GET or on a
 * write that needs no code: a code sent there would be spent without anyone noticing.
 *
 * <p>Steps are recorded per device, not per user: a user's second device still has the step its
 * first device just spent.
 *
 * <p>Each test starts at a fresh step boundary, so its requests run inside one step. Codes are
 * never printed, neither here nor in assertion messages.
 */
class RgwMfaHeaderTest {

  private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
  private static final String UID = "bpo-hdr-" + RUN;
  private static final String ACCESS_KEY = "BPOHDR" + RUN.toUpperCase();
  private static final String SECRET_KEY = "hdr-secret-key-0123456789abcdefghijklm";
  private static final String SEED_A = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final String SEED_B = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
  private static final int PERIOD = 5;
  /** Past a step's start, so that RGW's clock (the same machine's) is surely in the new step too. */
  private static final long MARGIN_MS = 150;
  /** Set-ups tried when a step ends between two requests that must share it (load on a shared machine). */
  private static final int ATTEMPTS = 3;
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static RgwLab rgw;
  private static S3Client s3;

  /** One of the user's MFA devices; {@link #header} is the x-amz-mfa value "serial code" of a step. */
  private record Device(String serial, TotpSeed seed) {

    String header(long step) {
      try {
        return serial + " " + new TotpCodeGenerator().code(seed, step);
      } catch (InvalidTotpSeedException e) {
        throw new IllegalStateException("the test's seed of " + serial + " is not Base32", e);
      }
    }
  }

  /** A request sent with an x-amz-mfa header; returns the HTTP status. */
  @FunctionalInterface
  private interface CodedRequest {
    int send(String bucket, String mfaHeader);
  }

  @BeforeAll
  static void start() {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
  }

  @AfterAll
  static void stop() {
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void aCodeOnAPutThatRestatesTheStateIsAcceptedAndSpendsTheStep() throws Exception {
    assertACodeOnARequestThatNeedsNoneSpendsTheStep(
        (bucket, mfa) -> status(() -> putVersioning(bucket, false, mfa)));
  }

  @Test
  void aCodeOnAGetBucketVersioningIsAcceptedAndSpendsTheStep() throws Exception {
    assertACodeOnARequestThatNeedsNoneSpendsTheStep((bucket, mfa) -> status(() -> s3.getBucketVersioning(r -> r
        .bucket(bucket).overrideConfiguration(o -> o.putHeader("x-amz-mfa", mfa)))));
  }

  /**
   * {@code needsNone} carries a good code of device A on a bucket with versioning Enabled and MFA
   * Delete off; then switching MFA Delete on with that same code is refused, a code of the next
   * step is accepted, and the refused code was a good one: a twin device with the same seed that
   * has not spent the step accepts it.
   */
  private static void assertACodeOnARequestThatNeedsNoneSpendsTheStep(CodedRequest needsNone) throws Exception {
    String bucket = enabledBucket();
    for (int attempt = 1; ; attempt++) {
      Device device = device(SEED_A);
      Device twin = device(SEED_A);
      long step = startOfNextStep();
      assertEquals(200, needsNone.send(bucket, device.header(step)), "a request that needs no MFA, with a good code");
      if (stepNow() != step) {
        // RGW checked the code as a past step, which moves its replay mark differently; start again.
        assertTrue(attempt < ATTEMPTS, "the step ended during the first request in " + ATTEMPTS + " set-ups");
        continue;
      }
      assertEquals(200, needsNone.send(bucket, device.header(step)),
          "the same request with the now spent code: still 200, the refusal is silent");
      assertEquals(403, status(() -> putVersioning(bucket, true, device.header(step))),
          "switching MFA Delete on with the code the request that needed none spent");
      assertFalse(mfaDeleteOn(bucket), "the refused switch changed nothing");
      assertEquals(200, status(() -> putVersioning(bucket, true, device.header(step + 1))),
          "the same device's code of the next step");
      assertTrue(mfaDeleteOn(bucket));
      assertEquals(200, status(() -> putVersioning(bucket, false, twin.header(step))),
          "the refused code itself, from a device with the same seed that has not spent the step");
      assertFalse(mfaDeleteOn(bucket));
      return;
    }
  }

  /**
   * Device A spends step s switching MFA Delete on; its code of s is then refused, but device B of
   * the same user switches it off with its own code of s, and A goes on at s+1. A step ending
   * between these requests changes none of the outcomes (every code is for step s or s+1, inside
   * RGW's window of two steps either side, and A's mark only grows), so no retry is needed.
   */
  @Test
  void eachDeviceOfAUserSpendsItsOwnSteps() throws Exception {
    String bucket = enabledBucket();
    Device a = device(SEED_A);
    Device b = device(SEED_B);
    long step = startOfNextStep();
    assertEquals(200, status(() -> putVersioning(bucket, true, a.header(step))), "device A switches MFA Delete on");
    assertTrue(mfaDeleteOn(bucket));
    assertEquals(403, status(() -> putVersioning(bucket, false, a.header(step))), "device A's spent step");
    assertTrue(mfaDeleteOn(bucket), "the refused switch changed nothing");
    assertEquals(200, status(() -> putVersioning(bucket, false, b.header(step))),
        "device B's code of the step device A just spent");
    assertFalse(mfaDeleteOn(bucket));
    assertEquals(200, status(() -> putVersioning(bucket, true, a.header(step + 1))),
        "device A's next step, untouched by device B");
    assertTrue(mfaDeleteOn(bucket));
  }

  /** A device of the test user with a serial of its own, so that its replay mark starts fresh. */
  private static Device device(String seed) throws InvalidTotpSeedException {
    String serial = "arn:aws:iam::123456789012:mfa/bpo-hdr-" + RUN + "-" + NAMES.incrementAndGet();
    rgw.createMfaDevice(UID, serial, seed, PERIOD);
    return new Device(serial, TotpSeed.parse(seed));
  }

  /** A new bucket with versioning Enabled and MFA Delete off (reached without a code). */
  private static String enabledBucket() {
    String bucket = "bpo-hdr-" + RUN + "-" + NAMES.incrementAndGet();
    s3.createBucket(r -> r.bucket(bucket));
    putVersioning(bucket, false, null);
    assertFalse(mfaDeleteOn(bucket));
    return bucket;
  }

  private static void putVersioning(String bucket, boolean mfaDelete, String mfaHeader) {
    s3.putBucketVersioning(r -> r.bucket(bucket).mfa(mfaHeader).versioningConfiguration(c -> c
        .status(BucketVersioningStatus.ENABLED).mfaDelete(mfaDelete ? MFADelete.ENABLED : MFADelete.DISABLED)));
  }

  private static boolean mfaDeleteOn(String bucket) {
    return s3.getBucketVersioning(r -> r.bucket(bucket)).mfaDelete() == MFADeleteStatus.ENABLED;
  }

  /** 200 when the request succeeds, else S3's status (a refused code is 403 AccessDenied). */
  private static int status(Runnable request) {
    try {
      request.run();
      return 200;
    } catch (S3Exception e) {
      return e.statusCode();
    }
  }

  private static long stepNow() {
    return System.currentTimeMillis() / 1000 / PERIOD;
  }

  /**
   * Waits for the next step to begin and returns it. The one wait that is not on a condition:
   * the time to the boundary is computed exactly, so that the test's requests share one step.
   */
  private static long startOfNextStep() throws InterruptedException {
    long now = System.currentTimeMillis();
    long next = now / 1000 / PERIOD + 1;
    Thread.sleep(next * PERIOD * 1000 - now + MARGIN_MS);
    return next;
  }
}

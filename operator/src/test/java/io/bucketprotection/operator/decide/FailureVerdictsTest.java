package io.bucketprotection.operator.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.secrets.SecretProblem;
import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FailureVerdictsTest {

  private static final BucketAddress ADDRESS = new BucketAddress(URI.create("http://127.0.0.1:7480"), null, "logs", null);

  /** REGION_MISMATCH -> RegionMismatch: the kinds carry their reasons' names. */
  private static String camel(S3ErrorKind kind) {
    StringBuilder out = new StringBuilder();
    for (String word : kind.name().split("_")) {
      out.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
    }
    return out.toString();
  }

  @Test
  void everyS3FailureBecomesTheReasonOfTheSameNameWithAdvice() {
    for (S3ErrorKind kind : S3ErrorKind.values()) {
      Verdict verdict = FailureVerdicts.fromS3(new BucketStoreException(kind, "Code", 400, "Code (HTTP 400)"),
          "GetBucketVersioning", ADDRESS, "serial-1", null);
      assertEquals(camel(kind), verdict.reason().name(), kind.name());
      assertEquals(verdict.reason(), FailureVerdicts.reasonOf(kind));
      assertTrue(verdict.message().length() > 40, kind + ": " + verdict.message());
    }
  }

  @Test
  void exactlyTheBackoffReasonsAreRetriedAtOnceInsideACall() {
    Set<S3ErrorKind> transientKinds = EnumSet.noneOf(S3ErrorKind.class);
    for (S3ErrorKind kind : S3ErrorKind.values()) {
      if (FailureVerdicts.isTransient(kind)) {
        transientKinds.add(kind);
      }
    }
    assertEquals(EnumSet.of(S3ErrorKind.ENDPOINT_UNREACHABLE, S3ErrorKind.THROTTLED, S3ErrorKind.S3_SERVER_ERROR),
        transientKinds);
  }

  @Test
  void aRefusedCodeNamesTheDeviceAndTheUsualCauses() {
    Verdict verdict = FailureVerdicts.fromS3(new BucketStoreException(S3ErrorKind.MFA_REJECTED, "AccessDenied", 403,
        "AccessDenied (HTTP 403)"), "PutBucketVersioning", ADDRESS, "arn:aws:iam::1:mfa/root", null);
    assertTrue(verdict.message().startsWith("PutBucketVersioning on bucket logs at http://127.0.0.1:7480 failed:"
        + " AccessDenied (HTTP 403)."), verdict.message());
    assertTrue(verdict.message().contains("device arn:aws:iam::1:mfa/root"));
    assertTrue(verdict.message().contains("pauses the device (MfaDevicePaused)"));
  }

  @Test
  void secretProblemsSayWhatTheSecretWasFor() {
    assertEquals(Reason.SecretNotFound, FailureVerdicts.fromSecret(new SecretProblem(
        SecretProblem.Kind.SECRET_NOT_FOUND, "Secret a/b does not exist"), "the MFA seed", null).reason());
    assertEquals(Reason.InvalidSecret, FailureVerdicts.fromSecret(new SecretProblem(
        SecretProblem.Kind.KEY_MISSING, "no key"), "the MFA seed", null).reason());
    assertEquals(Reason.SecretAccessDenied, FailureVerdicts.fromSecret(new SecretProblem(
        SecretProblem.Kind.ACCESS_DENIED, "denied"), "the S3 credentials", null).reason());
    Verdict unavailable = FailureVerdicts.fromSecret(new SecretProblem(SecretProblem.Kind.UNAVAILABLE,
        "Secrets Manager secret x: could not be reached"), "the S3 credentials", null);
    assertEquals(Reason.SecretUnavailable, unavailable.reason());
    assertTrue(unavailable.message().contains("(needed for the S3 credentials)"), unavailable.message());
  }
}

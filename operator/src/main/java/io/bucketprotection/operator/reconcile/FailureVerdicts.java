package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.status.ReadyReason;
import io.bucketprotection.operator.status.Verdict;

/** Turns failures into verdicts whose messages tell the user what to do next. */
final class FailureVerdicts {

  private FailureVerdicts() {
  }

  /**
   * @param operation the S3 operation that failed
   * @param mfaSerial the serial of the code the request carried, or null
   * @param observed the bucket's state if it was observed before the failure, else null
   */
  static Verdict fromS3(BucketStoreException e, String operation, BucketAddress address,
      String mfaSerial, BucketState observed) {
    String what = operation + " on " + address.describe() + " failed: " + e.getMessage() + ". ";
    return switch (e.kind()) {
      case BUCKET_NOT_FOUND -> Verdict.of(ReadyReason.BucketNotFound, "Bucket " + address.bucket()
          + " does not exist at this endpoint. Create it, or correct spec.bucket, spec.endpoint or spec.region.",
          observed);
      case ACCESS_DENIED -> Verdict.of(ReadyReason.AccessDenied, what
          + "Give the credentials the operator uses for this bucket (spec.credentials, or the operator's own"
          + " AWS identity) s3:GetBucketVersioning, s3:PutBucketVersioning and s3:GetLifecycleConfiguration"
          + " on it; changing MFA Delete needs the bucket owner's root credentials.", observed);
      case MFA_REJECTED -> Verdict.of(ReadyReason.MfaRejected, what
          + "The server refused the MFA code made for device " + mfaSerial + ". Usual causes: the seed in"
          + " the Secret is not this device's seed, spec.mfa.serialNumber is not the device's ARN or serial,"
          + " the operator's clock is off, or the credentials are not the bucket owner's root user."
          + " The operator tries once more at the device's next time step; a second refusal in a row"
          + " pauses the device (MfaDevicePaused) so it cannot be locked out.", observed);
      case NOT_ROOT_CREDENTIALS -> Verdict.of(ReadyReason.NotRootCredentials, what
          + "AWS lets only the account root user change MFA Delete (or versioning while it is on), and these"
          + " credentials are an IAM user's. Point spec.credentials at the root user's access keys.", observed);
      case TEMPORARY_CREDENTIALS -> Verdict.of(ReadyReason.TemporaryCredentials, what
          + "AWS refuses MFA with temporary (STS) credentials. Point spec.credentials at the root user's"
          + " long-lived access keys (no session token).", observed);
      case LIFECYCLE_CONFLICT -> lifecycleConflict(address, observed);
      case OBJECT_LOCK_CONFLICT -> Verdict.of(ReadyReason.ObjectLockConflict, what
          + "Buckets with Object Lock must stay versioning Enabled: set spec.versioning: Enabled.", observed);
      case WRONG_REGION -> Verdict.of(ReadyReason.RegionMismatch, what
          + "The bucket is in another region: set spec.region to the bucket's region.", observed);
      case INVALID_REQUEST -> Verdict.of(ReadyReason.RequestRejected, what
          + "The server does not accept this request; check that the endpoint supports versioning"
          + " (and MFA Delete, if requested).", observed);
      case ENDPOINT_UNREACHABLE -> Verdict.of(ReadyReason.EndpointUnreachable, what
          + "Check spec.endpoint and the network path from the operator; retrying with back-off.", observed);
      case THROTTLED -> Verdict.of(ReadyReason.Throttled, what
          + "S3 is throttling requests; retrying with back-off.", observed);
      case SERVER_ERROR -> Verdict.of(ReadyReason.S3ServerError, what + "Retrying with back-off.", observed);
    };
  }

  static Verdict lifecycleConflict(BucketAddress address, BucketState observed) {
    return Verdict.of(ReadyReason.LifecycleConflict, "Bucket " + address.bucket()
        + " has lifecycle rules, and S3 refuses MFA Delete on such buckets (lifecycle rules can expire"
        + " versions without any MFA code). Remove the lifecycle configuration, or drop mfaDelete: Enabled."
        + " No MFA code was spent.", observed);
  }

  /** @param purpose what the secret was for: "the S3 credentials" or "the MFA seed" */
  static Verdict fromSecret(SecretProblem e, String purpose, BucketState observed) {
    String what = e.getMessage() + " (needed for " + purpose + "). ";
    return switch (e.kind()) {
      case SECRET_NOT_FOUND -> Verdict.of(ReadyReason.SecretNotFound, what + "Create it (a Kubernetes Secret in"
          + " the resource's namespace, or the named Secrets Manager secret); a Kubernetes Secret is picked up"
          + " as soon as it appears.", observed);
      case KEY_MISSING -> Verdict.of(ReadyReason.InvalidSecret, what + "Add the key; a Kubernetes Secret is"
          + " picked up as soon as it changes.", observed);
      case INVALID -> Verdict.of(ReadyReason.InvalidSecret, what + "Correct the secret's content.", observed);
      case ACCESS_DENIED -> Verdict.of(ReadyReason.SecretAccessDenied, what
          + "See the IAM policy in deploy/aws/operator-iam-policy.json.", observed);
      case UNAVAILABLE -> Verdict.of(ReadyReason.SecretUnavailable, what, observed);
    };
  }
}

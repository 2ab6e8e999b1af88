package io.bucketprotection.operator.s3;

/**
 * Every way an S3 call can fail, as the operator needs to tell them apart. Terminal kinds need
 * the user to change the spec, the bucket or the account; recoverable ones go away by themselves.
 */
public enum S3ErrorKind {
  BUCKET_NOT_FOUND(false),
  ACCESS_DENIED(false),
  /** A request that carried an MFA code was refused (403, or a malformed MFA header). */
  MFA_REJECTED(false),
  /** AWS: the credentials are an IAM user's; only the root user can use MFA on S3 ("Mfa Authentication must be used"). */
  NOT_ROOT_CREDENTIALS(false),
  /** AWS: temporary (STS) credentials cannot carry MFA ("DevPay and Mfa are mutually exclusive"). */
  TEMPORARY_CREDENTIALS(false),
  LIFECYCLE_CONFLICT(false),
  OBJECT_LOCK_CONFLICT(false),
  /** The bucket is in another region than the one the request was signed for. */
  WRONG_REGION(false),
  /** The server refused the request as malformed or unsupported. */
  INVALID_REQUEST(false),
  ENDPOINT_UNREACHABLE(true),
  THROTTLED(true),
  /** 5xx or anything unexpected from the server. */
  SERVER_ERROR(true);

  private final boolean recoverable;

  S3ErrorKind(boolean recoverable) {
    this.recoverable = recoverable;
  }

  public boolean recoverable() {
    return recoverable;
  }
}

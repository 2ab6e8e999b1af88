package io.bucketprotection.operator.status;

/**
 * Every reason the Ready condition can carry, with its condition status and when the operator
 * looks at the bucket again. Messages are written where the reason is decided; each tells the
 * user what to do next.
 */
public enum ReadyReason {
  /** The bucket matches the spec. */
  InSync(ConditionStatus.TRUE, Recheck.CHECK_INTERVAL),
  /** The operator just changed the bucket to match the spec. */
  Applied(ConditionStatus.TRUE, Recheck.CHECK_INTERVAL),
  /** The bucket differs from the spec and the resource is in Observe mode. */
  DriftDetected(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  InvalidSpec(ConditionStatus.FALSE, Recheck.SPEC_CHANGE),
  /** An older BucketProtection manages the same bucket. */
  Conflict(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  BucketNotFound(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  AccessDenied(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** A change needs an MFA code and the spec has no mfa block. */
  MfaRequired(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** The server refused a request that carried a code; the next try waits for the device's next step. */
  MfaRejected(ConditionStatus.FALSE, Recheck.AT_RETRY_TIME),
  /** Codes of this device were refused twice in a row: no code is sent until the seed changes or the pause ends. */
  MfaDevicePaused(ConditionStatus.FALSE, Recheck.AT_RETRY_TIME),
  /** The operator's clock and the S3 server's differ too much for TOTP codes. */
  ClockSkew(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  SecretNotFound(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** The operator's identity may not read (or decrypt) a Secrets Manager secret. */
  SecretAccessDenied(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** Secrets Manager could not be reached or failed. */
  SecretUnavailable(ConditionStatus.FALSE, Recheck.BACKOFF),
  /** AWS refuses MFA with temporary (STS) credentials: root access keys are needed. */
  TemporaryCredentials(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** AWS refuses MFA from IAM users: only the account root user can change MFA Delete. */
  NotRootCredentials(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** The secret exists but lacks the key, or its value is malformed (not JSON, not text). */
  InvalidSecret(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  InvalidTotpSeed(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  LifecycleConflict(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  ObjectLockConflict(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** The bucket lives in another region than the one the operator used. */
  RegionMismatch(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  /** The server refused the request as malformed or unsupported. */
  RequestRejected(ConditionStatus.FALSE, Recheck.CHECK_INTERVAL),
  EndpointUnreachable(ConditionStatus.FALSE, Recheck.BACKOFF),
  Throttled(ConditionStatus.FALSE, Recheck.BACKOFF),
  /** The server answered 5xx or something unexpected. */
  S3ServerError(ConditionStatus.FALSE, Recheck.BACKOFF),
  /** The MFA device's current time step is already used; the change waits for the next one. */
  WaitingForMfaWindow(ConditionStatus.UNKNOWN, Recheck.AT_RETRY_TIME),
  /** An unexpected error inside the operator. */
  ReconcileError(ConditionStatus.UNKNOWN, Recheck.BACKOFF);

  /** metav1.Condition status values. */
  public enum ConditionStatus {
    TRUE("True"), FALSE("False"), UNKNOWN("Unknown");

    private final String value;

    ConditionStatus(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  /** When the bucket is looked at again after a reconcile that ended with this reason. */
  public enum Recheck {
    /** At the resource's check interval (secret and spec changes trigger earlier). */
    CHECK_INTERVAL,
    /** Soon, with a delay that grows while the problem lasts. */
    BACKOFF,
    /** Only when the spec changes. */
    SPEC_CHANGE,
    /** At the time the verdict names. */
    AT_RETRY_TIME
  }

  private final ConditionStatus status;
  private final Recheck recheck;

  ReadyReason(ConditionStatus status, Recheck recheck) {
    this.status = status;
    this.recheck = recheck;
  }

  public ConditionStatus status() {
    return status;
  }

  public Recheck recheck() {
    return recheck;
  }

  /** Problems are announced with a Warning event. */
  public boolean isProblem() {
    return status == ConditionStatus.FALSE || this == ReconcileError;
  }
}

package io.bucketprotection.operator.decide;

/**
 * The reason table: every reason the Ready condition can carry, with, in one row, the
 * condition's status, when the operator looks at the bucket again, and whether progress needs a
 * person. Nothing else states these facts; docs/reference/reasons.md's table is compared with this one
 * by a test. Messages are written where the reason is decided; each tells the user what to do.
 */
public enum Reason {
  /** The bucket matches the spec. */
  InSync(Ready.TRUE, Recheck.CHECK_INTERVAL, Person.NOT_NEEDED),
  /** The operator just changed the bucket to match the spec. */
  Applied(Ready.TRUE, Recheck.CHECK_INTERVAL, Person.NOT_NEEDED),
  /** The bucket differs from the spec and the resource is in Observe mode: doing what it was told. */
  DriftDetected(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NOT_NEEDED),
  InvalidSpec(Ready.FALSE, Recheck.SPEC_CHANGE, Person.NEEDED),
  /** The spec has fields this operator version does not know (a newer CRD): observed, never written. */
  UnsupportedField(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** An older BucketProtection manages the same bucket. */
  Conflict(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  BucketNotFound(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  AccessDenied(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** A change needs an MFA code and the spec has no mfa block. */
  MfaRequired(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The server refused a request that carried a code; the operator tries once more at the device's next step. */
  MfaRejected(Ready.FALSE, Recheck.AT_RETRY_TIME, Person.NOT_NEEDED),
  /** Codes of this device were refused twice in a row: no code is sent until the seed changes or the pause ends. */
  MfaDevicePaused(Ready.FALSE, Recheck.AT_RETRY_TIME, Person.NEEDED),
  /** The operator's clock and the S3 server's differ too much for TOTP codes. */
  ClockSkew(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  SecretNotFound(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The Secret exists but lacks the label bucketprotection.io/secret, so the operator does not read it. */
  SecretNotLabelled(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The operator's identity may not read (or decrypt) a Secrets Manager secret. */
  SecretAccessDenied(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** Secrets Manager could not be reached or failed. */
  SecretUnavailable(Ready.FALSE, Recheck.BACKOFF, Person.NOT_NEEDED),
  /** AWS refuses MFA with temporary (STS) credentials: root access keys are needed. */
  TemporaryCredentials(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** AWS refuses MFA from IAM users: only the account root user can change MFA Delete. */
  NotRootCredentials(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The secret exists but lacks the key, or its value is malformed (not JSON, not text). */
  InvalidSecret(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  InvalidTotpSeed(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  LifecycleConflict(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  ObjectLockConflict(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The bucket lives in another region than the one the operator used. */
  RegionMismatch(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The server refused the request as malformed or unsupported. */
  RequestRejected(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  EndpointUnreachable(Ready.FALSE, Recheck.BACKOFF, Person.NOT_NEEDED),
  Throttled(Ready.FALSE, Recheck.BACKOFF, Person.NOT_NEEDED),
  /** The server answered 5xx or something unexpected. */
  S3ServerError(Ready.FALSE, Recheck.BACKOFF, Person.NOT_NEEDED),
  /** The account the resource names (or the default ClusterS3Account) does not exist, or is not served. */
  AccountNotFound(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /**
   * The operator has not checked the account's current spec yet (every first start, for a moment):
   * a wait, not a problem; the account's own check wakes the resource.
   */
  AccountPending(Ready.UNKNOWN, Recheck.ACCOUNT_CHANGE, Person.NOT_NEEDED),
  /** The account's spec is invalid, or its secrets are not usable (its own Ready condition). */
  AccountNotReady(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The ClusterS3Account does not admit the resource's namespace. */
  NamespaceNotAllowed(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** None of the account's bucket globs matches the bucket. */
  BucketNotAllowed(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The write would weaken the bucket and a key for that is missing. */
  WeakeningDenied(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** Another source names the same MFA device with another seed. */
  DeviceConflict(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** The MFA device's current time step is already used; the change waits for its turn. */
  WaitingForMfaWindow(Ready.UNKNOWN, Recheck.AT_RETRY_TIME, Person.NOT_NEEDED),
  /** This namespace already has as many changes waiting for the device as one namespace may: it asks again later. */
  DeviceQueueFull(Ready.UNKNOWN, Recheck.AT_RETRY_TIME, Person.NOT_NEEDED),
  /** Nobody stores the device's seed: the change waits for a person to annotate a code. */
  AwaitingMfaCode(Ready.FALSE, Recheck.AT_RETRY_TIME, Person.CODE),
  /** An annotated code was stale or already used: it was removed unused; the change waits for a fresh one. */
  MfaCodeExpired(Ready.FALSE, Recheck.AT_RETRY_TIME, Person.CODE),
  /** A tenant's root keys are not the root of the account its MFA device belongs to (sts:GetCallerIdentity). */
  DeviceNotOwned(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** STS refused the operator a session in the account's observer role (spec.observer.assumeRole). */
  ObserverAccessDenied(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** A policy's ListBuckets passed a listing's bounds (buckets, pages or bytes): ended, nothing changed. */
  ListingTooLarge(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** A policy: every child is Ready. */
  AllProtected(Ready.TRUE, Recheck.CHECK_INTERVAL, Person.NOT_NEEDED),
  /**
   * A policy: some children are not Ready. The policy itself needs nobody; it is Reconciling while
   * they converge, and Stalled instead when each of them waits for a person (their own conditions say why).
   */
  ChildrenNotReady(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NOT_NEEDED),
  /** A policy: the API server refused to create, put back or delete one of its children. */
  ChildWriteFailed(Ready.FALSE, Recheck.AT_RETRY_TIME, Person.NEEDED),
  /** A version deletion: the account allows deletions; it waits for the account's approval annotation. */
  AwaitingApproval(Ready.FALSE, Recheck.ACCOUNT_CHANGE, Person.NEEDED),
  /** A version deletion: approved; its batches are being sent, each with a code when MFA Delete is on. */
  Deleting(Ready.UNKNOWN, Recheck.AT_RETRY_TIME, Person.NOT_NEEDED),
  /** A version deletion: every listed version is deleted. It never acts again. */
  Completed(Ready.TRUE, Recheck.NEVER, Person.NOT_NEEDED),
  /** A version deletion: finished, and some listed versions could not be deleted (status.failures). */
  DeletionFailed(Ready.FALSE, Recheck.NEVER, Person.NEEDED),
  /** A version deletion: the account's spec.versionDeletion is Deny (the default). */
  VersionDeletionDenied(Ready.FALSE, Recheck.ACCOUNT_CHANGE, Person.NEEDED),
  /** A version deletion: the manifest is not the object it was pinned to. Nothing more is deleted. */
  ManifestChanged(Ready.FALSE, Recheck.NEVER, Person.NEEDED),
  /** A version deletion: the manifest object does not exist (yet). */
  ManifestNotFound(Ready.FALSE, Recheck.CHECK_INTERVAL, Person.NEEDED),
  /** A version deletion: the manifest is not a valid S3 Batch Operations CSV for the bucket (line numbers cited). */
  ManifestInvalid(Ready.FALSE, Recheck.NEVER, Person.NEEDED),
  /** An unexpected error inside the operator. */
  ReconcileError(Ready.UNKNOWN, Recheck.BACKOFF, Person.NOT_NEEDED);

  /** metav1.Condition status values of the Ready condition. */
  public enum Ready {
    TRUE("True"), FALSE("False"), UNKNOWN("Unknown");

    private final String value;

    Ready(String value) {
      this.value = value;
    }

    public String value() {
      return value;
    }
  }

  /** When the bucket is looked at again after a reconcile that ended with this reason. */
  public enum Recheck {
    /** At the resource's check interval (Secret and spec changes trigger earlier). */
    CHECK_INTERVAL("at checkInterval"),
    /** Soon, with a delay that grows while the problem lasts. */
    BACKOFF("back-off"),
    /** Only when the spec changes. */
    SPEC_CHANGE("on spec change"),
    /** At the time the message names. */
    AT_RETRY_TIME("at the time named"),
    /** When the account changes (its spec, or its approval annotations). */
    ACCOUNT_CHANGE("on account change"),
    /** Never: the request is finished, or cannot go on (its spec cannot change). */
    NEVER("never");

    private final String readme;

    Recheck(String readme) {
      this.readme = readme;
    }

    /** How docs/reference/reasons.md's table begins the "checked again" cell for this policy. */
    public String readme() {
      return readme;
    }
  }

  /**
   * Whether the bucket reaches the spec without anyone's help. A reason can be rechecked
   * automatically and still need a person (SecretNotFound: the Secret must be created). CODE: the
   * operator goes on by itself, with the codes a person types as they come (no seed is stored).
   */
  public enum Person {
    NEEDED("yes"), NOT_NEEDED("no"), CODE("a code");

    private final String readme;

    Person(String readme) {
      this.readme = readme;
    }

    /** The "needs a person" cell of docs/reference/reasons.md. */
    public String readme() {
      return readme;
    }
  }

  private final Ready ready;
  private final Recheck recheck;
  private final Person person;

  Reason(Ready ready, Recheck recheck, Person person) {
    this.ready = ready;
    this.recheck = recheck;
    this.person = person;
  }

  public Ready ready() {
    return ready;
  }

  public Recheck recheck() {
    return recheck;
  }

  public boolean needsPerson() {
    return person == Person.NEEDED;
  }

  public Person person() {
    return person;
  }

  /**
   * kstatus' Stalled=True: nothing will happen without a person, even when the operator keeps
   * looking (a Secret must be created, a seed fixed, a weakening allowed).
   */
  public boolean stalled() {
    return person == Person.NEEDED;
  }

  /**
   * kstatus' Reconciling=True: the bucket is not where the spec wants it yet, and the operator
   * gets it there by itself (a write pending, a wait for an MFA step or a person's code, a retry
   * after a passing error). Not for Observe-mode drift: reporting it is what the resource was
   * asked to do.
   */
  public boolean reconciling() {
    return ready != Ready.TRUE && person != Person.NEEDED && this != DriftDetected;
  }

  /** Announced with a Warning event when it starts: Ready is False (or the operator itself failed). */
  public boolean isProblem() {
    return ready == Ready.FALSE || this == ReconcileError;
  }
}

package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.Facts.BucketRead;
import io.bucketprotection.operator.decide.Facts.CredentialKind;
import io.bucketprotection.operator.decide.Facts.Lifecycle;
import io.bucketprotection.operator.decide.Outcome.Write;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.secrets.SecretSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The decide step: one pure function from (desired state, observed facts, device state, now) to
 * one {@link Outcome}. Every rule about what may be written, when a code may be spent and what
 * the user is told lives here; nothing here calls S3, reads a secret, looks at a clock or keeps
 * state, so a table-driven test reaches every combination.
 *
 * <p>The rules, in the order they apply once the bucket has been read:
 * <ol>
 *   <li>the bucket matches the spec: in sync;</li>
 *   <li>Observe mode: report the difference, write nothing;</li>
 *   <li>another resource writes this bucket: Conflict;</li>
 *   <li>the write would weaken the bucket and a key is missing: WeakeningDenied;</li>
 *   <li>a change that needs no code: write it;</li>
 *   <li>a change that needs a code without an MFA device: MfaRequired;</li>
 *   <li>a change that needs a code, checked before any code is spent: temporary credentials,
 *       lifecycle rules (when MFA Delete is switched on), the clock against the server's;</li>
 *   <li>then the device's answer: another source holds it, a seed problem, a queue place, a
 *       pause, or a granted step.</li>
 * </ol>
 * Drift (the bucket had matched this generation of the spec) is decided once and carried by
 * every outcome after the read.
 */
public final class Decider {

  /** The Date header has whole seconds: allowed on top of the configured skew. */
  private static final Duration DATE_HEADER_RESOLUTION = Duration.ofSeconds(1);

  private final Duration maxClockSkew;

  /** @param maxClockSkew the largest difference from the S3 server's clock at which codes are made */
  public Decider(Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
  }

  /**
   * Whether observe must read the lifecycle configuration: only when the write would switch MFA
   * Delete on, which S3 refuses on buckets with lifecycle rules (so no code is spent on it).
   */
  public static boolean needsLifecycle(DesiredState desired, BucketState observed, CredentialKind credentials) {
    BucketState target = VersioningPlanner.target(desired, observed);
    return desired.writes() && desired.mfa() != null
        && credentials != CredentialKind.TEMPORARY
        && target.mfaDeleteEnabled() && !observed.mfaDeleteEnabled();
  }

  public Outcome decide(DesiredState desired, Facts facts, DeviceState device, Instant now) {
    Verdict unreadable = null;
    if (facts instanceof Facts.CredentialsUnusable unusable) {
      unreadable = FailureVerdicts.fromSecret(desired, unusable.problem(), unusable.purpose(), null);
    } else if (facts instanceof Facts.BucketUnreadable failed) {
      unreadable = FailureVerdicts.fromS3(failed.error(), "GetBucketVersioning", failed.address(), null, null);
    }
    if (!desired.unsupportedFields().isEmpty()) {
      // An old operator must not act on half of a newer spec: it reports what it sees, writes nothing.
      return unsupported(desired, facts, unreadable);
    }
    return unreadable != null ? unreadable : decideRead(desired, (BucketRead) facts, device);
  }

  private static Verdict unsupported(DesiredState desired, Facts facts, Verdict unreadable) {
    String fields = "The spec has fields this operator version does not know: "
        + String.join(", ", desired.unsupportedFields()) + " (the CRD is newer than the operator). Nothing is"
        + " written to the bucket until the operator is upgraded or the fields are removed.";
    if (unreadable != null) {
      return Verdict.problem(Reason.UnsupportedField, fields + " Observing it failed too: " + unreadable.message(),
          null);
    }
    BucketState observed = ((BucketRead) facts).state();
    return Verdict.problem(Reason.UnsupportedField, fields + " Observed: " + observed.describe() + ".", observed);
  }

  private Outcome decideRead(DesiredState desired, BucketRead read, DeviceState device) {
    BucketState observed = read.state();
    BucketState target = VersioningPlanner.target(desired, observed);
    if (target.equals(observed)) {
      return Verdict.inSync(observed);
    }
    String change = VersioningPlanner.describeChange(observed, target);
    String drift = read.matchedBefore() ? change : null;
    Outcome outcome = changeOutcome(desired, read, target, change, drift, device);
    return outcome instanceof Verdict verdict ? verdict.withDrift(drift) : outcome;
  }

  private Outcome changeOutcome(DesiredState desired, BucketRead read, BucketState target, String change,
      String drift, DeviceState device) {
    BucketState observed = read.state();
    if (desired.observeOnly()) {
      return Verdict.problem(Reason.DriftDetected,
          (drift != null ? "Bucket drifted from the spec: " : "Bucket differs from the spec: ")
              + change.replace("->", "(observed) ->") + " (spec). Observe mode writes nothing:"
              + " change the bucket, or set mode: Enforce to let the operator apply the spec.", observed);
    }
    if (!read.writer().self()) {
      return Verdict.problem(Reason.Conflict, (read.writer().owner() != null ? read.writer().owner()
          : "Another BucketProtection (in another namespace)") + " already manages bucket " + desired.bucket()
          + " at this endpoint, and the bucket differs from this spec (" + change + "). This resource reads the"
          + " bucket but writes nothing while that one exists: make the two agree, or delete one.", observed);
    }
    boolean needsCode = VersioningPlanner.needsCode(observed, target);
    boolean weakens = VersioningPlanner.weakens(observed, target);
    if (weakens && !desired.guard().allows()) {
      return FailureVerdicts.weakeningDenied(desired, change, observed);
    }
    Write write = new Write(read.address(), observed, target, change, needsCode, weakens, drift, null);
    if (!needsCode) {
      return write;
    }
    if (desired.mfa() != null && desired.credentials() == null) {
      return Verdict.problem(Reason.MfaRequired, "Applying " + change + " needs an MFA code, which only the"
          + " account root user's keys may carry, and " + (desired.account() == null ? "the spec" : desired.account())
          + " names no root keys (spec.credentials): its observer signs only reads and writes that need no code."
          + " Add spec.credentials, or change the bucket by hand.", observed);
    }
    if (desired.mfa() == null) {
      return Verdict.problem(Reason.MfaRequired, "Applying " + change + " needs an MFA code (MFA Delete is, or is"
          + " to be, on), but " + (desired.account() == null ? "the spec has no mfa block. Add spec.mfa with the"
          + " device's serialNumber and totpSeed." : desired.account() + " names no MFA device (spec.mfa)."),
          observed);
    }
    Verdict blocked = beforeSpendingACode(read, target, change);
    if (blocked != null) {
      return blocked;
    }
    return DeviceAnswers.withDevice(desired, write, device);
  }

  /** The checks made before a code is spent, each of which would otherwise waste one. */
  private Verdict beforeSpendingACode(BucketRead read, BucketState target, String change) {
    BucketState observed = read.state();
    if (read.credentials() == CredentialKind.TEMPORARY) {
      return temporaryCredentials("Applying " + change, observed);
    }
    if (target.mfaDeleteEnabled() && !observed.mfaDeleteEnabled()) {
      Lifecycle lifecycle = read.lifecycle();
      if (lifecycle instanceof Lifecycle.Unreadable unreadable) {
        return FailureVerdicts.fromS3(unreadable.error(), "GetBucketLifecycleConfiguration", read.address(), null,
            observed);
      }
      if (!(lifecycle instanceof Lifecycle.Read lifecycleRead)) {
        throw new IllegalStateException(
            "switching MFA Delete on needs the lifecycle configuration observed first (Decider.needsLifecycle)");
      }
      if (lifecycleRead.hasRules()) {
        return FailureVerdicts.lifecycleConflict(read.address(), observed);
      }
    }
    return clockSkew(read.serverTime(), read.observedAt(), maxClockSkew, observed);
  }

  /**
   * ClockSkew when the operator's clock and the S3 server's (its Date header, null when absent)
   * differ by more than {@code maxClockSkew}: a code made then would be refused. Null otherwise.
   */
  public static Verdict clockSkew(Instant serverTime, Instant observedAt, Duration maxClockSkew,
      BucketState observed) {
    if (serverTime == null) {
      return null;
    }
    Duration skew = Duration.between(serverTime, observedAt).abs();
    if (skew.compareTo(maxClockSkew.plus(DATE_HEADER_RESOLUTION)) <= 0) {
      return null;
    }
    return Verdict.problem(Reason.ClockSkew, "The operator's clock and the S3 server's (its Date header)"
        + " differ by " + Math.round(skew.toMillis() / 1000.0) + " s, more than " + maxClockSkew.toSeconds()
        + " s. TOTP codes depend on the time: fix the time sync (NTP, chrony) of the node the operator runs on."
        + " No MFA code was spent.", observed);
  }

  static Verdict temporaryCredentials(String change, BucketState observed) {
    return Verdict.problem(Reason.TemporaryCredentials, change
        + " needs an MFA code, and AWS refuses MFA with temporary (STS) credentials: the root keys"
        + " hold a session token. Point spec.credentials at the root user's long-lived access keys."
        + " No MFA code was spent.", observed);
  }

  /** How a write went, as the user is told. */
  public Verdict afterWrite(DesiredState desired, Write write, WriteResult result) {
    String serial = write.needsCode() ? desired.mfa().serialNumber() : null;
    if (result instanceof WriteResult.Accepted) {
      return Verdict.applied(write.target(), write.change(), "Changed " + write.change()
          + (write.needsCode() ? " with an MFA code from device " + serial : "")
          + (write.drift() != null ? " (putting back drift made outside the operator)" : "") + ".", write.drift());
    }
    WriteResult.Refused refused = (WriteResult.Refused) result;
    Verdict failed;
    if (refused.error().kind() != S3ErrorKind.MFA_REJECTED) {
      failed = FailureVerdicts.fromS3(refused.error(), "PutBucketVersioning", write.address(), serial, write.observed());
    } else if (desired.mfa().personCodes()) {
      failed = FailureVerdicts.personCodeRejected(desired.mfa(), refused.error(), write);
    } else if (refused.devicePausedUntil() != null && desired.pooled()) {
      // One device of a pool paused: the change goes to another at the next step.
      Verdict paused = FailureVerdicts.devicePaused(desired.mfa(), refused.devicePausedUntil(), refused.namespaceOnly(),
          write.observed());
      failed = Verdict.retryAt(Reason.MfaRejected, paused.message() + " Meanwhile the account's other "
          + (desired.mfaDevices().size() - 1) + " MFA devices serve this change.", write.observed(), refused.nextStep());
    } else if (refused.devicePausedUntil() != null) {
      failed = FailureVerdicts.devicePaused(desired.mfa(), refused.devicePausedUntil(), refused.namespaceOnly(),
          write.observed());
    } else {
      // A refused code is tried again at the device's next step, never at once.
      Verdict rejected = FailureVerdicts.fromS3(refused.error(), "PutBucketVersioning", write.address(), serial,
          write.observed());
      failed = Verdict.retryAt(rejected.reason(), rejected.message(), rejected.observed(), refused.nextStep());
    }
    return failed.withDrift(write.drift());
  }

  /**
   * The Secrets Manager values to fetch again after this verdict: S3 refused what they held, and
   * they may have been rotated since they were cached.
   */
  public static List<SecretSource> secretsToRefetch(DesiredState desired, Verdict verdict) {
    return switch (verdict.reason()) {
      case MfaRejected, MfaDevicePaused -> desired.mfa() == null || desired.mfa().seed() == null ? List.of()
          : List.of(desired.mfa().seed());
      case AccessDenied, NotRootCredentials, TemporaryCredentials -> desired.credentials() == null ? List.of()
          : List.of(desired.credentials());
      default -> List.of();
    };
  }
}

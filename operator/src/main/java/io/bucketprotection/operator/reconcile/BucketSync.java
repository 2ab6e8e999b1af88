package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.secrets.SecretSource;
import io.bucketprotection.operator.status.ReadyReason;
import io.bucketprotection.operator.status.Verdict;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observe, plan, act for one valid resource that owns its bucket: one GetBucketVersioning, then
 * at most one PutBucketVersioning. Returns a verdict and never throws for an expected failure.
 */
final class BucketSync {

  private static final Logger LOG = LoggerFactory.getLogger(BucketSync.class);
  static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

  private final OperatorConfig config;
  private final BucketStore store;
  private final MfaCodeLedger ledger;
  private final TotpCodeGenerator totp;
  private final Clock clock;
  private final OperatorMetrics metrics;

  BucketSync(OperatorConfig config, BucketStore store, MfaCodeLedger ledger, TotpCodeGenerator totp, Clock clock,
      OperatorMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.store = store;
    this.ledger = ledger;
    this.totp = totp;
    this.clock = clock;
  }

  Verdict sync(BucketProtection resource, DesiredState desired, SecretResolver secrets) {
    Verdict verdict = observePlanAct(resource, desired, secrets);
    forgetRefusedSecrets(desired, verdict, secrets);
    return verdict;
  }

  /**
   * S3 refused what a Secrets Manager value held: it may have been rotated, so the next attempt
   * fetches it again instead of waiting for the cache to expire.
   */
  private static void forgetRefusedSecrets(DesiredState desired, Verdict verdict, SecretResolver secrets) {
    switch (verdict.reason()) {
      case MfaRejected, MfaDevicePaused -> {
        if (desired.mfa() != null && desired.mfa().seed() != null) {
          secrets.forget(desired.mfa().seed());
        }
      }
      case AccessDenied, NotRootCredentials, TemporaryCredentials -> {
        if (desired.credentials() != null) {
          secrets.forget(desired.credentials());
        }
      }
      default -> {
      }
    }
  }

  private Verdict observePlanAct(BucketProtection resource, DesiredState desired, SecretResolver secrets) {
    String namespace = resource.getMetadata().getNamespace();
    BucketAddress address;
    try {
      address = address(desired, namespace, secrets);
    } catch (SecretProblem e) {
      return FailureVerdicts.fromSecret(e, "the S3 credentials", null);
    }

    Observation observation;
    try {
      observation = store.observe(address);
    } catch (BucketStoreException e) {
      return FailureVerdicts.fromS3(e, "GetBucketVersioning", address, null, null);
    }
    Instant observedAt = clock.instant();
    BucketState observed = observation.state();

    boolean matchedBefore = resource.getStatus() != null
        && resource.getMetadata().getGeneration() != null
        && resource.getMetadata().getGeneration().equals(resource.getStatus().getSyncedGeneration());
    VersioningPlan plan = VersioningPlanner.plan(desired, observed, matchedBefore);
    if (plan instanceof VersioningPlan.InSync) {
      return Verdict.of(ReadyReason.InSync, observed.describe(), observed);
    }
    if (plan instanceof VersioningPlan.Report report) {
      return new Verdict(ReadyReason.DriftDetected,
          (report.drift() ? "Bucket drifted from the spec: " : "Bucket differs from the spec: ")
              + report.change().replace("->", "(observed) ->") + " (spec). Observe mode writes nothing:"
              + " change the bucket, or set mode: Enforce to let the operator apply the spec.",
          observed, null, report.drift() ? report.change() : null, null);
    }
    if (plan instanceof VersioningPlan.MfaMissing missing) {
      return new Verdict(ReadyReason.MfaRequired,
          "Applying " + missing.change() + " needs an MFA code (MFA Delete is, or is to be, on), but the"
              + " spec has no mfa block. Add spec.mfa with the device's serialNumber and totpSeed.",
          observed, null, missing.drift() ? missing.change() : null, null);
    }
    VersioningPlan.Apply apply = (VersioningPlan.Apply) plan;
    String drift = apply.drift() ? apply.change() : null;
    if (!apply.needsMfa()) {
      return put(resource, address, observed, apply, Optional.empty(), null, null);
    }
    if (address.credentials() != null && address.credentials().sessionToken() != null) {
      return withDrift(Verdict.of(ReadyReason.TemporaryCredentials, "Applying " + apply.change()
          + " needs an MFA code, and AWS refuses MFA with temporary (STS) credentials: the credentials"
          + " hold a session token. Point spec.credentials at the root user's long-lived access keys."
          + " No MFA code was spent.", observed), drift);
    }
    Verdict blocked = mfaPreconditions(address, observed, apply, observation.serverTime(), observedAt);
    if (blocked != null) {
      return withDrift(blocked, drift);
    }
    return applyWithCode(resource, desired, address, observed, apply, secrets);
  }

  /** Checks made before any code is spent: lifecycle rules (for MFA Delete on) and the clock. */
  private Verdict mfaPreconditions(BucketAddress address, BucketState observed, VersioningPlan.Apply apply,
      Instant serverTime, Instant observedAt) {
    if (apply.enablesMfaDelete()) {
      try {
        if (store.hasLifecycleRules(address)) {
          return FailureVerdicts.lifecycleConflict(address, observed);
        }
      } catch (BucketStoreException e) {
        return FailureVerdicts.fromS3(e, "GetBucketLifecycleConfiguration", address, null, observed);
      }
    }
    if (serverTime != null) {
      // The Date header has whole seconds: allow for that on top of the configured skew.
      Duration skew = Duration.between(serverTime, observedAt).abs();
      if (skew.compareTo(config.maxClockSkew().plusSeconds(1)) > 0) {
        return Verdict.of(ReadyReason.ClockSkew, "The operator's clock and the S3 server's (its Date header)"
            + " differ by " + Math.round(skew.toMillis() / 1000.0) + " s, more than " + config.maxClockSkew().toSeconds() + " s."
            + " TOTP codes depend on the time: fix the time sync (NTP, chrony) of the node the operator runs on."
            + " No MFA code was spent.", observed);
      }
    }
    return null;
  }

  private Verdict applyWithCode(BucketProtection resource, DesiredState desired, BucketAddress address,
      BucketState observed, VersioningPlan.Apply apply, SecretResolver secrets) {
    String drift = apply.drift() ? apply.change() : null;
    DesiredState.MfaSettings mfa = desired.mfa();
    TotpSeed seed;
    try {
      seed = TotpSeed.parse(secrets.read(resource.getMetadata().getNamespace(), mfa.seed(), null));
    } catch (SecretProblem e) {
      return withDrift(FailureVerdicts.fromSecret(e, "the MFA seed", observed), drift);
    } catch (InvalidTotpSeedException e) {
      return withDrift(invalidSeed(mfa, e, observed), drift);
    }
    MfaDevice device = new MfaDevice(endpointKey(address.endpoint()), mfa.serialNumber());
    String requester = resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    MfaCodeLedger.Reservation reservation = ledger.reserve(device, requester, mfa.periodSeconds(),
        mfa.lookAheadSteps(), seed.fingerprint());
    if (reservation instanceof MfaCodeLedger.Wait wait) {
      return new Verdict(ReadyReason.WaitingForMfaWindow, "Applying " + apply.change()
          + " needs a code from MFA device " + mfa.serialNumber() + ", which gives one code per "
          + mfa.periodSeconds() + " s step to one change at a time: place " + wait.position() + " of "
          + wait.queueLength() + ", expected at " + wait.retryAt().truncatedTo(ChronoUnit.SECONDS) + ".",
          observed, null, drift, wait.retryAt());
    }
    if (reservation instanceof MfaCodeLedger.Paused paused) {
      return pausedVerdict(mfa, paused.until(), observed, drift);
    }
    MfaCodeLedger.Granted granted = (MfaCodeLedger.Granted) reservation;
    long step = granted.step();
    MfaToken token;
    try {
      token = new MfaToken(mfa.serialNumber(), totp.code(seed, step));
    } catch (InvalidTotpSeedException e) {
      return withDrift(invalidSeed(mfa, e, observed), drift);
    }
    metrics.mfaCodeUsed(granted.waited());
    Verdict verdict = put(resource, address, observed, apply, Optional.of(token), device, mfa.serialNumber());
    if (verdict.reason() == ReadyReason.MfaRejected) {
      metrics.mfaCodeRefused();
      if (ledger.refused(device, seed.fingerprint())) {
        return pausedVerdict(mfa, clock.instant().plus(config.mfaPause()), observed, drift);
      }
      return new Verdict(verdict.reason(), verdict.message(), verdict.observed(), verdict.change(),
          verdict.drift(), ledger.nextStepStart(device, mfa.periodSeconds()));
    }
    if (verdict.reason() == ReadyReason.Applied) {
      ledger.accepted(device);
    }
    return verdict;
  }

  private Verdict put(BucketProtection resource, BucketAddress address, BucketState observed,
      VersioningPlan.Apply apply, Optional<MfaToken> token, MfaDevice device, String serial) {
    String drift = apply.drift() ? apply.change() : null;
    try {
      store.putVersioning(address, apply.target(), token);
    } catch (BucketStoreException e) {
      return withDrift(FailureVerdicts.fromS3(e, "PutBucketVersioning", address, serial, observed), drift);
    }
    LOG.info("{}/{}: changed {}: {}{}", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), address.describe(), apply.change(),
        token.isPresent() ? " (with a code from MFA device " + device + ")" : "");
    return new Verdict(ReadyReason.Applied, "Changed " + apply.change()
        + (token.isPresent() ? " with an MFA code from device " + serial : "")
        + (apply.drift() ? " (putting back drift made outside the operator)" : "") + ".",
        apply.target(), apply.change(), drift, null);
  }

  private static Verdict pausedVerdict(DesiredState.MfaSettings mfa, Instant until, BucketState observed,
      String drift) {
    return new Verdict(ReadyReason.MfaDevicePaused, "MFA device " + mfa.serialNumber() + " is paused: the"
        + " server refused " + MfaCodeLedger.REFUSALS_BEFORE_PAUSE + " of its codes in a row, and more"
        + " refusals could lock the device. Usual causes: a wrong seed in " + describe(mfa.seed())
        + ", a wrong serialNumber, credentials that are not the bucket owner's root user, or another"
        + " operator or person using this device at the same time. Fix the cause (a changed seed lifts"
        + " the pause) or wait until " + until.truncatedTo(ChronoUnit.SECONDS) + ".",
        observed, null, drift, until);
  }

  private static Verdict invalidSeed(DesiredState.MfaSettings mfa, InvalidTotpSeedException e, BucketState observed) {
    return Verdict.of(ReadyReason.InvalidTotpSeed, describe(mfa.seed()) + ": " + e.getMessage()
        + ". Store the Base32 secret key shown when the virtual MFA device was created.", observed);
  }

  /** "Secret root-mfa key seed" or "Secrets Manager secret prod/root-mfa": for messages. */
  static String describe(SecretSource source) {
    if (source instanceof SecretSource.KubernetesSecret k8s) {
      return "Secret " + k8s.name() + (k8s.key() == null ? "" : " key " + k8s.key());
    }
    SecretSource.SecretsManagerSecret sm = (SecretSource.SecretsManagerSecret) source;
    return "Secrets Manager secret " + sm.secretId() + (sm.key() == null ? "" : " key " + sm.key());
  }

  private static Verdict withDrift(Verdict verdict, String drift) {
    return new Verdict(verdict.reason(), verdict.message(), verdict.observed(), verdict.change(), drift,
        verdict.retryAt());
  }

  BucketAddress address(DesiredState desired, String namespace, SecretResolver secrets) throws SecretProblem {
    URI endpoint = desired.endpoint() != null ? desired.endpoint() : config.defaultEndpoint();
    S3Credentials credentials = null;
    if (desired.credentials() != null) {
      SecretSource source = desired.credentials();
      credentials = new S3Credentials(secrets.read(namespace, source, ACCESS_KEY_ID),
          secrets.read(namespace, source, SECRET_ACCESS_KEY), secrets.readOptional(namespace, source, SESSION_TOKEN));
    }
    // No region in the spec: the store finds the bucket's region (region null).
    return new BucketAddress(endpoint, desired.region(), desired.bucket(), credentials, desired.expectedBucketOwner());
  }

  /** The endpoint as a key for devices and bucket ownership: "aws" for AWS itself. */
  static String endpointKey(URI endpoint) {
    if (endpoint == null) {
      return "aws";
    }
    String text = endpoint.toString().toLowerCase(java.util.Locale.ROOT);
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}

package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
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
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretReader;
import io.bucketprotection.operator.status.ReadyReason;
import io.bucketprotection.operator.status.Verdict;
import java.net.URI;
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

  BucketSync(OperatorConfig config, BucketStore store, MfaCodeLedger ledger, TotpCodeGenerator totp) {
    this.config = config;
    this.store = store;
    this.ledger = ledger;
    this.totp = totp;
  }

  Verdict sync(BucketProtection resource, DesiredState desired, SecretReader secrets) {
    String namespace = resource.getMetadata().getNamespace();
    BucketAddress address;
    try {
      address = address(desired, namespace, secrets);
    } catch (SecretProblem e) {
      return FailureVerdicts.fromSecret(e, "the S3 credentials", null);
    }

    BucketState observed;
    try {
      observed = store.observe(address);
    } catch (BucketStoreException e) {
      return FailureVerdicts.fromS3(e, "GetBucketVersioning", address, null, null);
    }

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
    return apply(resource, desired, address, observed, (VersioningPlan.Apply) plan, secrets);
  }

  private Verdict apply(BucketProtection resource, DesiredState desired, BucketAddress address,
      BucketState observed, VersioningPlan.Apply apply, SecretReader secrets) {
    String drift = apply.drift() ? apply.change() : null;
    if (apply.enablesMfaDelete()) {
      try {
        if (store.hasLifecycleRules(address)) {
          return withDrift(FailureVerdicts.lifecycleConflict(address, observed), drift);
        }
      } catch (BucketStoreException e) {
        return withDrift(FailureVerdicts.fromS3(e, "GetBucketLifecycleConfiguration", address, null, observed), drift);
      }
    }

    Optional<MfaToken> token = Optional.empty();
    if (apply.needsMfa()) {
      DesiredState.MfaSettings mfa = desired.mfa();
      TotpSeed seed;
      try {
        seed = TotpSeed.parse(secrets.read(resource.getMetadata().getNamespace(),
            mfa.seedSecretName(), mfa.seedSecretKey()));
      } catch (SecretProblem e) {
        return withDrift(FailureVerdicts.fromSecret(e, "the MFA seed", observed), drift);
      } catch (InvalidTotpSeedException e) {
        return withDrift(Verdict.of(ReadyReason.InvalidTotpSeed, "Secret " + mfa.seedSecretName() + " key "
            + mfa.seedSecretKey() + ": " + e.getMessage() + ". Store the Base32 secret key shown when the"
            + " virtual MFA device was created.", observed), drift);
      }
      MfaDevice device = new MfaDevice(endpointKey(address.endpoint()), mfa.serialNumber());
      MfaCodeLedger.Reservation reservation = ledger.reserve(device, mfa.periodSeconds());
      if (reservation instanceof MfaCodeLedger.Wait wait) {
        return new Verdict(ReadyReason.WaitingForMfaWindow, "Applying " + apply.change()
            + " needs a code from MFA device " + mfa.serialNumber() + ". Each time step's code is used at"
            + " most once (and not before the operator has seen a step begin), so this change waits for"
            + " the device's next step.", observed, null, drift, wait.retryAt());
      }
      long step = ((MfaCodeLedger.Granted) reservation).step();
      try {
        token = Optional.of(new MfaToken(mfa.serialNumber(), totp.code(seed, step)));
      } catch (InvalidTotpSeedException e) {
        return withDrift(Verdict.of(ReadyReason.InvalidTotpSeed, "Secret " + mfa.seedSecretName() + " key "
            + mfa.seedSecretKey() + ": " + e.getMessage() + ".", observed), drift);
      }
    }

    try {
      store.putVersioning(address, apply.target(), token);
    } catch (BucketStoreException e) {
      return withDrift(FailureVerdicts.fromS3(e, "PutBucketVersioning", address,
          token.map(MfaToken::serialNumber).orElse(null), observed), drift);
    }
    LOG.info("{}/{}: changed {}: {}{}", resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), address.describe(), apply.change(),
        token.isPresent() ? " (with an MFA code)" : "");
    return new Verdict(ReadyReason.Applied, "Changed " + apply.change()
        + (token.isPresent() ? " with an MFA code from device " + desired.mfa().serialNumber() : "")
        + (apply.drift() ? " (putting back drift made outside the operator)" : "") + ".",
        apply.target(), apply.change(), drift, null);
  }

  private static Verdict withDrift(Verdict verdict, String drift) {
    return new Verdict(verdict.reason(), verdict.message(), verdict.observed(), verdict.change(), drift,
        verdict.retryAt());
  }

  BucketAddress address(DesiredState desired, String namespace, SecretReader secrets) throws SecretProblem {
    URI endpoint = desired.endpoint() != null ? desired.endpoint() : config.defaultEndpoint();
    String region = desired.region() != null ? desired.region() : config.defaultRegion();
    S3Credentials credentials = null;
    if (desired.credentialsSecret() != null) {
      String name = desired.credentialsSecret();
      String sessionToken;
      try {
        sessionToken = secrets.read(namespace, name, SESSION_TOKEN);
      } catch (SecretProblem e) {
        if (e.kind() != SecretProblem.Kind.KEY_MISSING) {
          throw e;
        }
        sessionToken = null;
      }
      credentials = new S3Credentials(secrets.read(namespace, name, ACCESS_KEY_ID),
          secrets.read(namespace, name, SECRET_ACCESS_KEY), sessionToken);
    }
    return new BucketAddress(endpoint, region, desired.bucket(), credentials);
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

package io.bucketprotection.operator.reconcile.act;

import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.reconcile.decide.AccountId;
import io.bucketprotection.operator.reconcile.decide.AccountSettings;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.DeviceState;
import io.bucketprotection.operator.reconcile.decide.FailureVerdicts;
import io.bucketprotection.operator.reconcile.decide.Outcome.Write;
import io.bucketprotection.operator.reconcile.decide.Reason;
import io.bucketprotection.operator.reconcile.decide.WriteResult;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.WriteReceipt;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act step: carries a decision out and decides nothing. It asks the MFA device for a step
 * (reading the seed, the only place that does), makes the code, sends the one
 * PutBucketVersioning, tells the ledger how the code fared, and writes the audit line.
 */
public final class Actor {

  /** The resource a write is made for, as the audit trail names it. */
  public record Requester(String namespace, String name, String uid) {

    /** "namespace/name": the MFA queue keeps its place between reconciles. */
    public String key() {
      return namespace + "/" + name;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Actor.class);

  /**
   * A device's answer to one change, with what is needed to make its code. The seed stays
   * inside: {@link #toString()} shows neither it nor any code.
   */
  public static final class Asked {
    private final DeviceState state;
    private final MfaDevice device;
    private final TotpSeed seed;
    private final MfaCodeLedger.Seed seedId;

    Asked(DeviceState state, MfaDevice device, TotpSeed seed, MfaCodeLedger.Seed seedId) {
      this.state = state;
      this.device = device;
      this.seed = seed;
      this.seedId = seedId;
    }

    public DeviceState state() {
      return state;
    }

    @Override
    public String toString() {
      return "Asked[" + state + "]";
    }
  }

  private final BucketStore store;
  private final MfaCodeLedger ledger;
  private final TotpCodeGenerator totp;
  private final SecretResolver secrets;
  private final OperatorMetrics metrics;
  private final AuditLog audit;
  private final String defaultRegion;

  /** @param defaultRegion tells which AWS partition a device without an endpoint belongs to */
  public Actor(BucketStore store, MfaCodeLedger ledger, TotpCodeGenerator totp, SecretResolver secrets,
      OperatorMetrics metrics, AuditLog audit, String defaultRegion) {
    this.store = store;
    this.ledger = ledger;
    this.totp = totp;
    this.secrets = secrets;
    this.metrics = metrics;
    this.audit = audit;
    this.defaultRegion = defaultRegion;
  }

  /** The device a write's code comes from: one key per AWS partition, whatever the endpoint's spelling. */
  public MfaDevice device(Write write, AccountSettings.MfaSettings mfa) {
    return new MfaDevice(S3Endpoints.identity(write.address().endpoint(), defaultRegion), mfa.serialNumber());
  }

  /**
   * Asks the write's MFA device for a step: reads the seed, then takes (or keeps) this change's
   * place in the device's queue.
   */
  public Asked askForStep(Requester requester, DesiredState desired, Write write) {
    AccountSettings.MfaSettings mfa = desired.mfa();
    MfaDevice device = device(write, mfa);
    TotpSeed seed;
    try {
      seed = TotpSeed.parse(secrets.read(mfa.seed(), null));
    } catch (SecretProblem e) {
      return new Asked(new DeviceState.SeedUnreadable(e), device, null, null);
    } catch (InvalidTotpSeedException e) {
      return new Asked(new DeviceState.SeedInvalid(e.getMessage()), device, null, null);
    }
    MfaCodeLedger.Seed seedId = new MfaCodeLedger.Seed(mfa.seed().describe(), seed.fingerprint());
    MfaCodeLedger.Reservation reservation = ledger.reserve(device, requester.key(), mfa.periodSeconds(),
        mfa.lookAheadSteps(), seedId);
    DeviceState state;
    if (reservation instanceof MfaCodeLedger.Granted granted) {
      state = new DeviceState.Granted(device, granted.step(), granted.waited());
    } else if (reservation instanceof MfaCodeLedger.Wait wait) {
      state = new DeviceState.Queued(wait.retryAt(), wait.position(), wait.queueLength());
    } else {
      state = new DeviceState.Paused(((MfaCodeLedger.Paused) reservation).until());
    }
    return new Asked(state, device, seed, seedId);
  }

  /**
   * Sends the one PutBucketVersioning of {@code write}, with the code of its granted step when it
   * needs one, reports the code's fate to the ledger, and writes the audit line.
   *
   * @param asked the device's answer that granted the step; null for a write that needs no code
   */
  public WriteResult write(Requester requester, DesiredState desired, Write write, Asked asked) {
    Optional<MfaToken> token = Optional.empty();
    if (write.needsCode()) {
      if (asked == null || write.grant() == null || asked.seed == null) {
        throw new IllegalStateException("a write that needs a code needs a granted step");
      }
      try {
        token = Optional.of(new MfaToken(desired.mfa().serialNumber(), totp.code(asked.seed, write.grant().step())));
      } catch (InvalidTotpSeedException e) {
        // TotpSeed.parse accepted the seed, so the generator cannot refuse it.
        throw new IllegalStateException("no code from a parsed seed", e);
      }
      metrics.mfaCodeUsed(write.grant().waited());
    }
    WriteReceipt receipt;
    try {
      receipt = store.putVersioning(write.address(), write.target(), token);
    } catch (BucketStoreException e) {
      audit(requester, desired, write, token.isPresent(), FailureVerdicts.reasonOf(e.kind()).name(), e.receipt());
      if (token.isPresent() && e.kind() == S3ErrorKind.MFA_REJECTED) {
        metrics.mfaCodeRefused();
        boolean paused = ledger.refused(asked.device, asked.seedId);
        return new WriteResult.Refused(e, paused ? ledger.pausedUntil(asked.device) : null,
            ledger.nextStepStart(asked.device, desired.mfa().periodSeconds()));
      }
      return new WriteResult.Refused(e, null, null);
    }
    audit(requester, desired, write, token.isPresent(), Reason.Applied.name(), receipt);
    if (token.isPresent()) {
      ledger.accepted(asked.device);
    }
    LOG.info("{}: changed {}: {}{}", requester.key(), write.address().describe(), write.change(),
        token.isPresent() ? " (with a code from MFA device " + asked.device + ")" : "");
    return new WriteResult.Accepted();
  }

  private void audit(Requester requester, DesiredState desired, Write write, boolean withCode, String outcome,
      WriteReceipt receipt) {
    AccountId account = desired.account();
    audit.record(new AuditLog.Entry(requester.namespace(), requester.name(), requester.uid(),
        account == null ? null : account.kind().name(), account == null ? null : account.name(),
        write.address().bucket(), write.address().endpoint() == null ? "aws" : write.address().endpoint().toString(),
        write.observed(), write.target(), withCode ? desired.mfa().serialNumber() : null,
        withCode ? write.grant().step() : null, withCode ? "seed" : null, outcome, receipt.requestId(),
        receipt.extendedRequestId()));
  }
}

package io.bucketprotection.operator.act;

import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.Reservation;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Outcome.Write;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.WriteResult;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.WriteReceipt;
import io.bucketprotection.operator.secrets.SecretResolver;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act step: carries a decision out and decides nothing. It asks {@link Codes} for a step
 * (reading the seed, the only place that does), makes the code, sends the one
 * PutBucketVersioning, tells the ledger how the code fared, and writes the audit line.
 */
public final class Actor {

  /**
   * The resource a write is made for, as the audit trail names it.
   *
   * @param generation the spec's metadata.generation: part of a change's id
   */
  public record Requester(String namespace, String name, String uid, long generation) {

    /** "namespace/name": the MFA queue keeps its place between reconciles. */
    public String key() {
      return namespace + "/" + name;
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(Actor.class);

  private final BucketStore store;
  private final AuditLog audit;
  private final Codes codes;

  /**
   * @param defaultRegion tells which AWS partition a device without an endpoint belongs to
   * @param personCodes the codes people type for devices whose seed nobody stores
   * @param annotations removes a person's code from the object it was annotated on
   * @param signers reads the root keys, just in time, for a write that carries a code
   */
  public Actor(BucketStore store, MfaCodeLedger ledger, TotpCodeGenerator totp, SecretResolver secrets,
      OperatorMetrics metrics, AuditLog audit, String defaultRegion, PersonCodes personCodes,
      CodeAnnotations annotations, Signers signers, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.codes = new Codes(ledger, totp, secrets, metrics, defaultRegion, personCodes, annotations, signers, clock);
  }

  /** The device a write's code comes from: one key per AWS partition, whatever the endpoint's spelling. */
  public MfaDevice device(Write write, AccountSettings.MfaSettings mfa) {
    return codes.device(write.address().endpoint(), mfa);
  }

  /** {@link Codes#ask} for a versioning write. */
  public Asked askForStep(Requester requester, DesiredState desired, Write write,
      List<AccountSettings.MfaSettings> devices, Function<AccountSettings.MfaSettings, String> annotated) {
    return codes.ask(requester, desired, CodedChange.of(requester, write), devices, annotated);
  }

  /** A change that no longer waits for a person's code leaves the line (a no-op for the rest). */
  public void settled(Requester requester, Reason reason) {
    codes.settled(requester, reason);
  }

  /** The code source this actor asks: shared with the other requests that need codes. */
  public Codes codes() {
    return codes;
  }

  /**
   * Sends the one PutBucketVersioning of {@code write}, with the code of its granted step when it
   * needs one, reports the code's fate to the ledger, and writes the audit line.
   *
   * @param asked the device's answer that granted the step; null for a write that needs no code
   */
  public WriteResult write(Requester requester, DesiredState desired, Write write, Asked asked) {
    if (!write.needsCode()) {
      return send(requester, desired, write, Optional.empty(), asked);
    }
    if (asked == null || asked.root == null) {
      throw new IllegalStateException("a write that needs a code needs a granted step and the root keys");
    }
    try {
      return send(requester, desired, write, Optional.of(codes.token(asked, desired)), asked);
    } finally {
      // Accepted or refused, a person's code is spent: the annotation goes either way.
      codes.spent(asked);
    }
  }

  private WriteResult send(Requester requester, DesiredState desired, Write write, Optional<MfaToken> token,
      Asked asked) {
    // Root signs only the request that carries a code; the rest goes as the observed read did.
    BucketAddress address = token.isPresent() ? write.address().signedBy(asked.root) : write.address();
    WriteReceipt receipt;
    try {
      receipt = store.putVersioning(address, write.target(), token);
    } catch (BucketStoreException e) {
      audit(requester, desired, write, address, token.isPresent(), FailureVerdicts.reasonOf(e.kind()).name(),
          e.receipt());
      if (token.isPresent() && e.kind() == S3ErrorKind.MFA_REJECTED) {
        // A person sees each refusal: nothing pauses, the change waits for the next code.
        Reservation.Paused paused = codes.refused(asked, requester.key(), desired);
        return asked.personCode != null ? new WriteResult.Refused(e, null, null)
            : new WriteResult.Refused(e, paused == null ? null : paused.until(), codes.nextStep(asked, desired),
                paused != null && paused.namespaceOnly());
      }
      return new WriteResult.Refused(e, null, null);
    }
    audit(requester, desired, write, address, token.isPresent(), Reason.Applied.name(), receipt);
    if (token.isPresent()) {
      codes.accepted(asked, requester.key());
    }
    LOG.info("{}: changed {}: {}{}", requester.key(), write.address().describe(), write.change(),
        token.isPresent() ? " (with a code from MFA device " + asked.device + ")" : "");
    return new WriteResult.Accepted();
  }

  private void audit(Requester requester, DesiredState desired, Write write, BucketAddress address, boolean withCode,
      String outcome, WriteReceipt receipt) {
    AccountId account = desired.account();
    audit.record(new AuditLog.Entry(requester.namespace(), requester.name(), requester.uid(),
        account == null ? null : account.kind().name(), account == null ? null : account.name(),
        write.address().bucket(), write.address().endpoint() == null ? "aws" : write.address().endpoint().toString(),
        write.observed(), write.target(), withCode ? desired.mfa().serialNumber() : null,
        write.grant() instanceof DeviceState.Granted step ? step.step() : null,
        !withCode ? null : desired.mfa().personCodes() ? "person" : "seed", outcome, receipt.requestId(),
        receipt.extendedRequestId(), address.signer().role().label()));
  }
}

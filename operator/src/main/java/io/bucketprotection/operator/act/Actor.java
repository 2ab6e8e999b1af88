package io.bucketprotection.operator.act;

import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.PoolDevice;
import io.bucketprotection.operator.mfa.Reservation;
import io.bucketprotection.operator.mfa.CodeChange;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Outcome.Write;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.WriteResult;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.s3.WriteReceipt;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The act step: carries a decision out and decides nothing. It asks the MFA device for a step
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
  /** How often a change waiting for a person's code asks again, to keep its place in line. */
  static final Duration PERSON_CODE_RECHECK = Duration.ofMinutes(1);

  private final BucketStore store;
  private final MfaCodeLedger ledger;
  private final TotpCodeGenerator totp;
  private final SecretResolver secrets;
  private final OperatorMetrics metrics;
  private final AuditLog audit;
  private final String defaultRegion;
  private final PersonCodes personCodes;
  private final CodeAnnotations annotations;
  private final Signers signers;
  private final Clock clock;

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
    this.signers = signers;
    this.ledger = ledger;
    this.totp = totp;
    this.secrets = secrets;
    this.metrics = metrics;
    this.audit = audit;
    this.defaultRegion = defaultRegion;
    this.personCodes = personCodes;
    this.annotations = annotations;
    this.clock = clock;
  }

  /** The device a write's code comes from: one key per AWS partition, whatever the endpoint's spelling. */
  public MfaDevice device(Write write, AccountSettings.MfaSettings mfa) {
    return new MfaDevice(S3Endpoints.identity(write.address().endpoint(), defaultRegion), mfa.serialNumber());
  }

  /**
   * Asks one of the write's MFA devices for a step: the seeded ones first ({@link PoolSeeds}; the
   * change takes its place in the pool's line), a seedless one only when no seeded device serves it
   * (none, or all paused), for a person's code. The answer names its device ({@link Asked#desired}).
   *
   * @param devices the devices that may serve this change (the pool, less those another source holds)
   * @param annotated the code annotation of a seedless device's holder now (only read for such a device), or null
   */
  public Asked askForStep(Requester requester, DesiredState desired, Write write,
      List<AccountSettings.MfaSettings> devices, Function<AccountSettings.MfaSettings, String> annotated) {
    List<AccountSettings.MfaSettings> seedless = devices.stream().filter(AccountSettings.MfaSettings::personCodes)
        .toList();
    PoolSeeds seeds = PoolSeeds.read(devices, mfa -> device(write, mfa), secrets);
    Reservation reservation = seeds.pool().isEmpty() ? null : ledger.reserve(seeds.pool(), requester.key());
    if ((reservation == null || reservation instanceof Reservation.Paused) && !seedless.isEmpty()) {
      return askPerson(requester, desired, write, seedless.get(0), annotated);
    }
    return reservation == null ? seeds.unusable() : fromLedger(desired, reservation, seeds.seeds(), seeds.pool());
  }

  private Asked fromLedger(DesiredState desired, Reservation reservation, Map<MfaDevice, PoolSeeds.Seeded> seeds,
      List<PoolDevice> pool) {
    if (reservation instanceof Reservation.Granted granted) {
      PoolSeeds.Seeded chosen = seeds.get(granted.device());
      // The root keys are read now, once the step is this change's and before its code is made:
      // a change that waits in line costs no read of them.
      RootKeys root = rootKeys(desired, granted.device());
      return root.stopped() != null ? root.stopped().on(chosen.mfa()) : new Asked(new DeviceState.Granted(
          granted.device(), granted.step(), granted.waited()), granted.device(), chosen.seed(), chosen.seedId(),
          root.signer()).on(chosen.mfa());
    }
    MfaDevice about = pool.get(0).device();
    DeviceState state;
    if (reservation instanceof Reservation.Wait wait) {
      about = wait.device();
      state = new DeviceState.Queued(wait.retryAt(), wait.ownPlace(), wait.ownWaiting(), wait.devicePlace());
    } else if (reservation instanceof Reservation.QueueFull full) {
      state = new DeviceState.QueueFull(full.retryAt(), full.waiting());
    } else {
      Reservation.Paused paused = (Reservation.Paused) reservation;
      about = paused.device() != null ? paused.device() : about;
      state = new DeviceState.Paused(paused.until(), paused.namespaceOnly());
    }
    PoolSeeds.Seeded seeded = seeds.get(about);
    return new Asked(state, about, seeded.seed(), seeded.seedId(), null).on(seeded.mfa());
  }

  /** The root keys for a coded write, or the answer that stops it (unreadable, or temporary keys). */
  private record RootKeys(Signer signer, Asked stopped) {
  }

  private RootKeys rootKeys(DesiredState desired, MfaDevice device) {
    Signer root;
    try {
      root = signers.root(desired.credentials(), Signers.accountLabel(desired.account()));
    } catch (SecretProblem e) {
      return new RootKeys(null, Asked.stopped(new DeviceState.RootKeysUnusable(e), device));
    }
    if (((Signer.Keys) root).credentials().temporary()) {
      return new RootKeys(null, Asked.stopped(new DeviceState.RootKeysTemporary(), device));
    }
    return new RootKeys(root, null);
  }

  /** The change waits for, or takes, a code a person annotated for {@code mfa}, a device whose seed nobody stores. */
  private Asked askPerson(Requester requester, DesiredState pooled, Write write, AccountSettings.MfaSettings mfa,
      Function<AccountSettings.MfaSettings, String> annotations) {
    DesiredState desired = pooled.withDevice(mfa);
    MfaDevice device = device(write, mfa);
    // Root keys first: a person's code is claimed only for a write that can go.
    RootKeys root = rootKeys(desired, device);
    if (root.stopped() != null) {
      return root.stopped().on(mfa);
    }
    return askPerson(requester, desired, write, device, annotations.apply(mfa), root.signer()).on(mfa);
  }

  private Asked askPerson(Requester requester, DesiredState desired, Write write, MfaDevice device,
      String annotated, Signer root) {
    CodeHolder holder = desired.mfa().codes();
    // What the person signs: this resource, this spec, this bucket, from what was observed to what is written.
    String changeId = CodeChange.changeId(requester.uid() == null ? requester.key() : requester.uid(),
        requester.generation(), write.address().bucket(), write.observed().describe(), write.target().describe(),
        desired.mfa().serialNumber());
    CodeChange change = new CodeChange(requester.key(), write.address().describe() + ": "
        + write.change(), changeId, write.weakens());
    PersonCodes.Claim claim = personCodes.claim(device, holder.key(), change, annotated, desired.mfa().periodSeconds());
    if (claim instanceof PersonCodes.Use use) {
      return new Asked(new DeviceState.CodeGranted(device, holder, changeId), device, null, null, use.code(), annotated,
          root);
    }
    Instant keepPlace = clock.instant().plus(PERSON_CODE_RECHECK);
    if (claim instanceof PersonCodes.Wait wait) {
      Instant retryAt = wait.codeWaiting() ? clock.instant().plusMillis(PersonCodes.ARRIVAL_GRACE_MILLIS + 500)
          : keepPlace;
      return Asked.stopped(new DeviceState.AwaitingCode(holder, wait.place(), wait.ofOwn(), retryAt, changeId),
          device);
    }
    annotations.remove(holder, annotated);
    return Asked.stopped(new DeviceState.CodeExpired(holder, ((PersonCodes.Expired) claim).why(), keepPlace,
        changeId), device);
  }

  /** A change that no longer waits for a person's code leaves the line (a no-op for the rest). */
  public void settled(Requester requester, Reason reason) {
    if (reason != Reason.AwaitingMfaCode && reason != Reason.MfaCodeExpired) {
      personCodes.leave(requester.key());
    }
  }

  /**
   * Sends the one PutBucketVersioning of {@code write}, with the code of its granted step when it
   * needs one, reports the code's fate to the ledger, and writes the audit line.
   *
   * @param asked the device's answer that granted the step; null for a write that needs no code
   */
  public WriteResult write(Requester requester, DesiredState desired, Write write, Asked asked) {
    Optional<MfaToken> token = Optional.empty();
    if (write.needsCode() && write.grant() instanceof DeviceState.CodeGranted granted) {
      if (asked == null || asked.personCode == null || asked.root == null) {
        throw new IllegalStateException("a write with a person's code needs the code and the root keys");
      }
      token = Optional.of(new MfaToken(desired.mfa().serialNumber(), asked.personCode));
      metrics.mfaCodeUsed(asked.device.toString(), Duration.ZERO);
      try {
        return send(requester, desired, write, token, asked);
      } finally {
        // Accepted or refused, the code is spent: the annotation goes either way.
        annotations.remove(granted.holder(), asked.personAnnotation);
      }
    }
    if (write.needsCode()) {
      if (asked == null || !(write.grant() instanceof DeviceState.Granted step) || asked.seed == null
          || asked.root == null) {
        throw new IllegalStateException("a write that needs a code needs a granted step");
      }
      try {
        token = Optional.of(new MfaToken(desired.mfa().serialNumber(), totp.code(asked.seed, step.step())));
      } catch (InvalidTotpSeedException e) {
        // TotpSeed.parse accepted the seed, so the generator cannot refuse it.
        throw new IllegalStateException("no code from a parsed seed", e);
      }
      metrics.mfaCodeUsed(asked.device.toString(), step.waited());
    }
    return send(requester, desired, write, token, asked);
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
      if (token.isPresent() && e.kind() == S3ErrorKind.MFA_REJECTED && asked.personCode != null) {
        // A person sees each refusal: nothing pauses, the change waits for the next code.
        metrics.mfaCodeRefused(asked.device.toString());
        return new WriteResult.Refused(e, null, null);
      }
      if (token.isPresent() && e.kind() == S3ErrorKind.MFA_REJECTED) {
        metrics.mfaCodeRefused(asked.device.toString());
        Reservation.Paused paused = ledger.refusedFor(asked.device, requester.key(), asked.seedId,
            desired.soleNamespace());
        return new WriteResult.Refused(e, paused == null ? null : paused.until(),
            ledger.nextStepStart(asked.device, desired.mfa().periodSeconds()), paused != null && paused.namespaceOnly());
      }
      return new WriteResult.Refused(e, null, null);
    }
    audit(requester, desired, write, address, token.isPresent(), Reason.Applied.name(), receipt);
    if (token.isPresent() && asked.personCode == null) {
      ledger.accepted(asked.device, requester.key());
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

package io.bucketprotection.operator.act;

import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.CodeChange;
import io.bucketprotection.operator.mfa.InvalidTotpSeedException;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.mfa.PoolDevice;
import io.bucketprotection.operator.mfa.Reservation;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.spec.DesiredState;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where every code comes from, for every request that needs one (a versioning write, a batch of
 * version deletions): asks the pool's line for a step (reading the seeds, the only place that
 * does), or takes a person's code, reads the root keys just in time for a granted step, makes the
 * code, and tells the ledger how it fared.
 */
public final class Codes {

  /** How often a change waiting for a person's code asks again, to keep its place in line. */
  static final Duration PERSON_CODE_RECHECK = Duration.ofMinutes(1);

  private final MfaCodeLedger ledger;
  private final TotpCodeGenerator totp;
  private final SecretResolver secrets;
  private final OperatorMetrics metrics;
  private final String defaultRegion;
  private final PersonCodes personCodes;
  private final CodeAnnotations annotations;
  private final Signers signers;
  private final Clock clock;

  Codes(MfaCodeLedger ledger, TotpCodeGenerator totp, SecretResolver secrets, OperatorMetrics metrics,
      String defaultRegion, PersonCodes personCodes, CodeAnnotations annotations, Signers signers, Clock clock) {
    this.ledger = ledger;
    this.totp = totp;
    this.secrets = secrets;
    this.metrics = metrics;
    this.defaultRegion = defaultRegion;
    this.personCodes = personCodes;
    this.annotations = annotations;
    this.signers = signers;
    this.clock = clock;
  }

  /** The device a code sent to {@code endpoint} comes from: one key per AWS partition, whatever its spelling. */
  public MfaDevice device(URI endpoint, AccountSettings.MfaSettings mfa) {
    return new MfaDevice(S3Endpoints.identity(endpoint, defaultRegion), mfa.serialNumber());
  }

  /**
   * Asks one of the write's MFA devices for a step: the seeded ones first ({@link PoolSeeds}; the
   * change takes its place in the pool's line), a seedless one only when no seeded device serves it
   * (none, or all paused), for a person's code. The answer names its device ({@link Asked#desired}).
   *
   * @param devices the devices that may serve this change (the pool, less those another source holds)
   * @param annotated the code annotation of a seedless device's holder now (only read for such a device), or null
   */
  public Asked ask(Actor.Requester requester, DesiredState desired, CodedChange change,
      List<AccountSettings.MfaSettings> devices, Function<AccountSettings.MfaSettings, String> annotated) {
    List<AccountSettings.MfaSettings> seedless = devices.stream().filter(AccountSettings.MfaSettings::personCodes)
        .toList();
    PoolSeeds seeds = PoolSeeds.read(devices, mfa -> device(change.endpoint(), mfa), secrets);
    Reservation reservation = seeds.pool().isEmpty() ? null : ledger.reserve(seeds.pool(), requester.key());
    if ((reservation == null || reservation instanceof Reservation.Paused) && !seedless.isEmpty()) {
      return askPerson(requester, desired, change, seedless.get(0), annotated);
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
  private Asked askPerson(Actor.Requester requester, DesiredState pooled, CodedChange change,
      AccountSettings.MfaSettings mfa, Function<AccountSettings.MfaSettings, String> annotations) {
    DesiredState desired = pooled.withDevice(mfa);
    MfaDevice device = device(change.endpoint(), mfa);
    // Root keys first: a person's code is claimed only for a write that can go.
    RootKeys root = rootKeys(desired, device);
    if (root.stopped() != null) {
      return root.stopped().on(mfa);
    }
    return askPerson(requester, desired, change, device, annotations.apply(mfa), root.signer()).on(mfa);
  }

  private Asked askPerson(Actor.Requester requester, DesiredState desired, CodedChange coded, MfaDevice device,
      String annotated, Signer root) {
    CodeHolder holder = desired.mfa().codes();
    // What the person signs: this request, and what it does, on this device.
    String changeId = coded.idFor().apply(desired.mfa().serialNumber());
    CodeChange change = new CodeChange(requester.key(), coded.describe(), changeId, coded.weakens());
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
  public void settled(Actor.Requester requester, Reason reason) {
    if (reason != Reason.AwaitingMfaCode && reason != Reason.MfaCodeExpired) {
      personCodes.leave(requester.key());
    }
  }

  /** Accepted or refused, a person's code is spent: its annotation goes (a no-op for a seeded device's code). */
  public void spent(Asked asked) {
    if (asked.state() instanceof DeviceState.CodeGranted granted) {
      annotations.remove(granted.holder(), asked.personAnnotation);
    }
  }

  /**
   * The x-amz-mfa value for a granted answer (a step of a seeded device, or a person's code), counted as
   * used. A person's code's annotation is removed: accepted or refused, it is spent.
   */
  public MfaToken token(Asked asked, DesiredState desired) {
    DesiredState narrowed = asked.desired(desired);
    if (asked.state() instanceof DeviceState.CodeGranted) {
      metrics.mfaCodeUsed(asked.device.toString(), Duration.ZERO);
      return new MfaToken(narrowed.mfa().serialNumber(), asked.personCode);
    }
    if (!(asked.state() instanceof DeviceState.Granted step) || asked.seed == null) {
      throw new IllegalStateException("a code needs a granted step");
    }
    metrics.mfaCodeUsed(asked.device.toString(), step.waited());
    try {
      return new MfaToken(narrowed.mfa().serialNumber(), totp.code(asked.seed, step.step()));
    } catch (InvalidTotpSeedException e) {
      // TotpSeed.parse accepted the seed, so the generator cannot refuse it.
      throw new IllegalStateException("no code from a parsed seed", e);
    }
  }

  /** The server accepted the code of {@code asked}. */
  public void accepted(Asked asked, String requesterKey) {
    if (asked.personCode == null) {
      ledger.accepted(asked.device, requesterKey);
    }
  }

  /**
   * The server refused the code of {@code asked}: a seeded device's refusals count towards its
   * pause (returned when this one paused it), a person's do not (they see each refusal).
   */
  public Reservation.Paused refused(Asked asked, String requesterKey, DesiredState desired) {
    metrics.mfaCodeRefused(asked.device.toString());
    return asked.personCode != null ? null
        : ledger.refusedFor(asked.device, requesterKey, asked.seedId, desired.soleNamespace());
  }

  /** When the device of {@code asked} next gives a step. */
  public Instant nextStep(Asked asked, DesiredState desired) {
    return ledger.nextStepStart(asked.device, asked.desired(desired).mfa().periodSeconds());
  }
}

package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.decide.Outcome.Write;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.DesiredState;
import java.time.temporal.ChronoUnit;

/**
 * The device's answer to a write that needs one of its codes, as the {@link Decider}'s outcome:
 * the write with its grant, a wait (for a person's code, a step, room in line), or the reason the
 * device will not serve it. Pure, like the Decider.
 */
public final class DeviceAnswers {

  private DeviceAnswers() {
  }

  /** The device's answer to a write that needs one of its codes. */
  static Outcome withDevice(DesiredState desired, Write write, DeviceState device) {
    if (device instanceof DeviceState.Granted || device instanceof DeviceState.CodeGranted) {
      return new Write(write.address(), write.observed(), write.target(), write.change(), true, write.weakens(),
          write.drift(), device);
    }
    Verdict verdict = forChange(desired, "Applying " + write.change(), write.weakens(), write.observed(), device);
    return verdict == null ? write : verdict;
  }

  /**
   * The device's answer to any change that needs one of its codes (a versioning write, a batch of
   * version deletions), as a verdict: null when the device granted a code (or was not asked).
   *
   * @param change what the change does, as a sentence begins with it ("Applying MFA Delete Disabled -> Enabled")
   * @param weakens only a person's code that names the change signs it
   * @param observed the bucket as observed, or null
   */
  public static Verdict forChange(DesiredState desired, String change, boolean weakens, BucketState observed,
      DeviceState device) {
    AccountSettings.MfaSettings mfa = desired.mfa();
    if (device instanceof DeviceState.Claimed claimed) {
      return Verdict.problem(Reason.DeviceConflict, change + " needs a code from MFA device "
          + mfa.serialNumber() + ", but " + claimed.holder() + " names the same device with another seed, and one"
          + " device serves one seed (two would burn each other's codes). Point " + mfa.holder() + " at the same"
          + " seed, or use that account. No MFA code was spent.", observed);
    }
    if (device instanceof DeviceState.Granted || device instanceof DeviceState.CodeGranted) {
      return null;
    }
    Verdict waiting = waiting(mfa, desired.mfaDevices().size(), change, weakens, observed, device);
    return waiting != null ? waiting : refused(desired, mfa, change, observed, device);
  }

  /** The device's answer when the write waits (for a person's code, a step, room in line), else null. */
  private static Verdict waiting(AccountSettings.MfaSettings mfa, int pool, String change, boolean weakens,
      BucketState observed, DeviceState device) {
    if (device instanceof DeviceState.AwaitingCode awaiting) {
      // Only this namespace's changes are counted, and none is named: the line is other tenants' too.
      return Verdict.retryAt(Reason.AwaitingMfaCode, change + " needs a code from MFA device "
          + mfa.serialNumber() + ", whose seed nobody stores. This is change " + awaiting.changeId() + ", place "
          + awaiting.ownPlace() + " of " + awaiting.ownWaiting() + " among this namespace's changes waiting for codes"
          + " on " + awaiting.holder() + " (the line is shared fairly between namespaces). "
          + (weakens ? "It weakens protection, so only a code that names it signs it. " : "")
          + "Type a fresh code from the device: " + awaiting.holder().annotateCommand(awaiting.changeId())
          + ". It is used at once, for this change only, and removed.", observed, awaiting.retryAt())
          .withMfaChangeId(awaiting.changeId());
    }
    if (device instanceof DeviceState.CodeExpired expired) {
      return Verdict.retryAt(Reason.MfaCodeExpired, "The code annotated on " + expired.holder() + " was not used: "
          + expired.why() + ". It was removed. " + change + " (change " + expired.changeId()
          + ") still needs a code from MFA device " + mfa.serialNumber() + ": type a fresh one, "
          + expired.holder().annotateCommand(expired.changeId()) + ".", observed, expired.retryAt())
          .withMfaChangeId(expired.changeId());
    }
    if (device instanceof DeviceState.Queued queued && pool > 1) {
      return Verdict.retryAt(Reason.WaitingForMfaWindow, change + " needs a code from one of"
          + " the account's " + pool + " MFA devices, each of which gives one code per step to one change at a time:"
          + " waiting for its turn on MFA device " + mfa.serialNumber() + ", place " + queued.devicePlace() + " among"
          + " this namespace's changes that will take its codes (" + queued.ownWaiting() + " of this namespace's"
          + " changes wait for the pool). The line is shared fairly between namespaces, one change of each in turn;"
          + " a device that pauses drops out and the others serve.", observed, queued.retryAt());
    }
    if (device instanceof DeviceState.Queued queued) {
      // No time is promised: it would tell how many changes of other namespaces wait.
      return Verdict.retryAt(Reason.WaitingForMfaWindow, change
          + " needs a code from MFA device " + mfa.serialNumber() + ", which gives one code per "
          + mfa.periodSeconds() + " s step to one change at a time: waiting for its turn, place " + queued.ownPlace()
          + " of " + queued.ownWaiting() + " among this namespace's changes waiting for it. The line is shared fairly"
          + " between namespaces, one change of each in turn.", observed, queued.retryAt());
    }
    if (device instanceof DeviceState.QueueFull full) {
      return Verdict.retryAt(Reason.DeviceQueueFull, change + " needs a code from MFA device "
          + mfa.serialNumber() + ", and this namespace already has " + full.waiting() + " changes waiting for it, as"
          + " many as one namespace may (so that no namespace holds the line for everyone). This change asks again at "
          + full.retryAt().truncatedTo(ChronoUnit.SECONDS) + ".", observed, full.retryAt());
    }
    return null;
  }

  /** The device's answer when it will not serve the write (paused, unreadable, unowned), else the write itself. */
  private static Verdict refused(DesiredState desired, AccountSettings.MfaSettings mfa, String change,
      BucketState observed, DeviceState device) {
    if (device instanceof DeviceState.Paused paused) {
      Verdict verdict = FailureVerdicts.devicePaused(mfa, paused.until(), paused.namespaceOnly(), observed);
      return desired.pooled() ? Verdict.retryAt(Reason.MfaDevicePaused, "Every device of the account's pool of "
          + desired.mfaDevices().size() + " MFA devices is paused; the first to come back: " + verdict.message(),
          observed, paused.until()) : verdict;
    }
    if (device instanceof DeviceState.SeedUnreadable unreadable) {
      return FailureVerdicts.fromSecret(desired, unreadable.problem(), "the MFA seed", observed);
    }
    if (device instanceof DeviceState.SeedInvalid invalid) {
      return FailureVerdicts.invalidSeed(mfa, invalid.problem(), observed);
    }
    if (device instanceof DeviceState.RootKeysUnusable unusable) {
      return FailureVerdicts.fromSecret(desired, unusable.problem(), FailureVerdicts.ROOT_KEYS, observed);
    }
    if (device instanceof DeviceState.NotOwned notOwned) {
      return Verdict.problem(Reason.DeviceNotOwned, notOwned.message(), observed);
    }
    if (device instanceof DeviceState.ProofFailed failed) {
      return Verdict.problem(failed.reason(), failed.message(), observed);
    }
    if (device instanceof DeviceState.RootKeysTemporary) {
      return Decider.temporaryCredentials(change, observed);
    }
    return null; // NotAsked: act asks the device, then the decision is made again with its answer
  }
}

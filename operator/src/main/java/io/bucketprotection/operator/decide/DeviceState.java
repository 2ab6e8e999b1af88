package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.secrets.SecretProblem;
import java.time.Duration;
import java.time.Instant;

/**
 * What the MFA device said to a change that needs one of its codes. Asking is an act (it puts
 * the change in the device's queue), so the first decision is made with {@link NotAsked}, and the
 * decision is made again with the device's answer.
 */
public sealed interface DeviceState {

  /** Nothing asked yet. */
  record NotAsked() implements DeviceState {
  }

  /** This change may use the code of {@code step} now. */
  record Granted(MfaDevice device, long step, Duration waited) implements DeviceState {
  }

  /**
   * Another change has the device's next step: come back at {@code retryAt}.
   *
   * @param ownPlace the place among this namespace's changes waiting for the device
   * @param ownWaiting this namespace's changes waiting for it (other namespaces' are not told)
   * @param devicePlace in a pool: the place among this namespace's changes that will take the same device
   */
  record Queued(Instant retryAt, int ownPlace, int ownWaiting, int devicePlace) implements DeviceState {
    public Queued(Instant retryAt, int ownPlace, int ownWaiting) {
      this(retryAt, ownPlace, ownWaiting, ownPlace);
    }
  }

  /** This namespace has as many changes in the device's line as one namespace may: ask again at {@code retryAt}. */
  record QueueFull(Instant retryAt, int waiting) implements DeviceState {
  }

  /**
   * The device is paused after refused codes.
   *
   * @param namespaceOnly for this namespace's changes only (its own codes were refused)
   */
  record Paused(Instant until, boolean namespaceOnly) implements DeviceState {
    public Paused(Instant until) {
      this(until, false);
    }
  }

  /** The seed could not be read. */
  record SeedUnreadable(SecretProblem problem) implements DeviceState {
  }

  /** The seed was read but makes no codes (not Base32, too short); the message never quotes it. */
  record SeedInvalid(String problem) implements DeviceState {
  }

  /**
   * Another source names the same device with another seed: it has the device, this one may not
   * use it (two seeds for one queue would burn each other's steps).
   *
   * @param holder the source that has the device, as this resource may be told of it
   */
  record Claimed(String holder) implements DeviceState {
  }

  /**
   * Nobody stores the seed: the change waits for a person's code on {@code holder}, in line with
   * the other changes that take codes from it.
   *
   * @param ownPlace the place among this namespace's changes waiting for codes on the holder
   * @param ownWaiting this namespace's changes waiting there (other namespaces' are not told)
   * @param retryAt when to ask again to keep the place (an annotated code brings it back sooner)
   * @param changeId what a code typed for this change names: {@code <code>@<changeId>}
   */
  record AwaitingCode(CodeHolder holder, int ownPlace, int ownWaiting, Instant retryAt, String changeId)
      implements DeviceState {
  }

  /**
   * A person's code is this change's to use, now (the code itself stays with the act step).
   *
   * @param changeId the change's id, for the next code should the server refuse this one
   */
  record CodeGranted(MfaDevice device, CodeHolder holder, String changeId) implements DeviceState {
  }

  /**
   * The code annotated on {@code holder} may not be used, and has been removed.
   *
   * @param why what was wrong with it, never the code
   * @param changeId what a code typed for this change names
   */
  record CodeExpired(CodeHolder holder, String why, Instant retryAt, String changeId) implements DeviceState {
  }

  /**
   * The root keys, read just before the code would be made, cannot be used: no code is made.
   *
   * @param problem what is wrong, never a key
   */
  record RootKeysUnusable(SecretProblem problem) implements DeviceState {
  }

  /** The root keys hold a session token: AWS refuses MFA with temporary credentials, so no code is made. */
  record RootKeysTemporary() implements DeviceState {
  }

  /**
   * A tenant's inline device whose account its root keys are not the root of (sts:GetCallerIdentity).
   *
   * @param message what to tell the user, never a key
   */
  record NotOwned(String message) implements DeviceState {
  }

  /** The ownership proof could not be made (the root keys unreadable, STS unreachable): nothing is spent. */
  record ProofFailed(Reason reason, String message) implements DeviceState {
  }

  DeviceState NOT_ASKED = new NotAsked();
}

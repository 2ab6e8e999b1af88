package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.act.Actor;
import io.bucketprotection.operator.act.Asked;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.decide.Decider;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.DeviceState;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.decide.Outcome;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.observe.DeviceOwnership;
import io.bucketprotection.operator.observe.Observer;
import io.bucketprotection.operator.secrets.SecretResolver;
import java.time.Clock;
import io.bucketprotection.operator.spec.AccountSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Observe, decide, act for one authorised resource. It only hands facts from one step to the
 * next: the {@link Observer} and the {@link Actor} are the only ones that talk to S3, and the
 * {@link Decider} is the only one that decides.
 */
public final class BucketReconciliation {

  /** What a reconcile learns from the other resources and accounts, through the operator's caches. */
  public interface Neighbours {

    /** Records that this resource could read its bucket and says who writes it. */
    Facts.Writer writer(BucketProtection resource, DesiredState desired);

    /** Records that this resource cannot read its bucket: it cannot keep one that can from writing. */
    void cannotRead(BucketProtection resource);

    /** Another source that holds the device with another seed, as this resource may be told of it. */
    Optional<String> deviceHolder(BucketProtection resource, DesiredState desired, MfaDevice device);

    /** The code a person annotated on {@code holder} (this resource, or its account), or null. */
    String annotatedCode(BucketProtection resource, CodeHolder holder);
  }

  private final Observer observer;
  private final Decider decider;
  private final Actor actor;
  private final SecretResolver secrets;
  private final DeviceOwnership devices;
  private final Clock clock;

  public BucketReconciliation(Observer observer, Decider decider, Actor actor, SecretResolver secrets,
      DeviceOwnership devices, Clock clock) {
    this.observer = observer;
    this.decider = decider;
    this.actor = actor;
    this.secrets = secrets;
    this.devices = devices;
    this.clock = clock;
  }

  /** The ownership proofs of inline devices, for the claims contest. */
  DeviceOwnership devices() {
    return devices;
  }

  public Verdict run(BucketProtection resource, DesiredState desired, Neighbours neighbours) {
    Actor.Requester requester = new Actor.Requester(resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), resource.getMetadata().getUid(),
        Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L));
    Facts facts = observer.observe(desired, matchedCurrentGeneration(resource));
    if (facts instanceof Facts.BucketRead read) {
      facts = read.withWriter(neighbours.writer(resource, desired));
    } else if (facts instanceof Facts.CredentialsUnusable
        || (facts instanceof Facts.BucketUnreadable unreadable && !FailureVerdicts.isTransient(unreadable.error().kind()))) {
      // A passing outage says nothing about who may read the bucket; a refusal does.
      neighbours.cannotRead(resource);
    }
    Outcome outcome = decider.decide(desired, facts, DeviceState.NOT_ASKED, clock.instant());
    Asked asked = null;
    if (outcome instanceof Outcome.Write write && write.awaitsStep()) {
      // Asking the device is an act (it queues this change); its answer is a fact to decide on.
      DeviceState device;
      DeviceState unproved = desired.account() == null ? inlineClaim(resource, desired) : null;
      List<AccountSettings.MfaSettings> free = new ArrayList<>();
      String heldBy = null;
      for (AccountSettings.MfaSettings mfa : desired.mfaDevices()) {
        // A device another source holds with another seed drops out; the rest of the pool serves.
        Optional<String> holder = neighbours.deviceHolder(resource, desired.withDevice(mfa), actor.device(write, mfa));
        if (holder.isEmpty()) {
          free.add(mfa);
        } else if (heldBy == null) {
          heldBy = holder.get();
        }
      }
      if (unproved != null) {
        device = unproved;
      } else if (free.isEmpty()) {
        device = new DeviceState.Claimed(heldBy);
      } else {
        asked = actor.askForStep(requester, desired, write, free,
            mfa -> neighbours.annotatedCode(resource, mfa.codes()));
        desired = asked.desired(desired);
        device = asked.state();
      }
      outcome = decider.decide(desired, facts, device, clock.instant());
    }
    Verdict verdict = outcome instanceof Outcome.Write write
        ? decider.afterWrite(desired, write, actor.write(requester, desired, write, asked))
        : (Verdict) outcome;
    Decider.secretsToRefetch(desired, verdict).forEach(secrets::forget);
    actor.settled(requester, verdict.reason());
    return verdict;
  }

  /**
   * A tenant's inline device is its claim only once its root keys are proved to own it (an
   * account's claim is proved by the account's own check): null when it may go on.
   */
  private DeviceState inlineClaim(BucketProtection resource, DesiredState desired) {
    if (desired.credentials() == null) {
      return null;
    }
    String serial = desired.mfa().serialNumber();
    DeviceOwnership.Result owned = devices.prove(resource.getMetadata().getUid(),
        Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L), serial, null, desired.credentials(),
        observer.endpoint(desired), desired.region(), null);
    if (owned.proof() == null) {
      return new DeviceState.ProofFailed(owned.failure(), owned.message());
    }
    return owned.notOwned() ? new DeviceState.NotOwned(DeviceOwnership.notOwnedMessage(serial, desired.credentials()))
        : null;
  }

  /** The bucket was seen matching this generation of the spec before: a difference now is drift. */
  static boolean matchedCurrentGeneration(BucketProtection resource) {
    return resource.getStatus() != null && resource.getMetadata().getGeneration() != null
        && Objects.equals(resource.getMetadata().getGeneration(), resource.getStatus().getSyncedGeneration());
  }
}

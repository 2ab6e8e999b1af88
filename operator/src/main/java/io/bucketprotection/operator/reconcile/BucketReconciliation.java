package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.reconcile.act.Actor;
import io.bucketprotection.operator.reconcile.decide.Decider;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.DeviceState;
import io.bucketprotection.operator.reconcile.decide.Facts;
import io.bucketprotection.operator.reconcile.decide.Outcome;
import io.bucketprotection.operator.reconcile.decide.Verdict;
import io.bucketprotection.operator.reconcile.observe.Observer;
import io.bucketprotection.operator.secrets.SecretResolver;
import java.time.Clock;
import java.util.Objects;

/**
 * Observe, decide, act for one valid resource that may write its bucket. It only hands facts
 * from one step to the next: the {@link Observer} and the {@link Actor} are the only ones that
 * talk to S3, and the {@link Decider} is the only one that decides.
 */
public final class BucketReconciliation {

  private final Observer observer;
  private final Decider decider;
  private final Actor actor;
  private final SecretResolver secrets;
  private final Clock clock;

  public BucketReconciliation(Observer observer, Decider decider, Actor actor, SecretResolver secrets, Clock clock) {
    this.observer = observer;
    this.decider = decider;
    this.actor = actor;
    this.secrets = secrets;
    this.clock = clock;
  }

  public Verdict run(BucketProtection resource, DesiredState desired) {
    String namespace = resource.getMetadata().getNamespace();
    String requester = namespace + "/" + resource.getMetadata().getName();
    Facts facts = observer.observe(namespace, desired, matchedCurrentGeneration(resource));
    Outcome outcome = decider.decide(desired, facts, DeviceState.NOT_ASKED, clock.instant());
    Actor.Asked asked = null;
    if (outcome instanceof Outcome.Write write && write.awaitsStep()) {
      // Asking the device is an act (it queues this change); its answer is a fact to decide on.
      asked = actor.askForStep(requester, namespace, desired, write);
      outcome = decider.decide(desired, facts, asked.state(), clock.instant());
    }
    Verdict verdict = outcome instanceof Outcome.Write write
        ? decider.afterWrite(desired, write, actor.write(requester, desired, write, asked))
        : (Verdict) outcome;
    Decider.secretsToRefetch(desired, verdict).forEach(secrets::forget);
    return verdict;
  }

  /** The bucket was seen matching this generation of the spec before: a difference now is drift. */
  static boolean matchedCurrentGeneration(BucketProtection resource) {
    return resource.getStatus() != null && resource.getMetadata().getGeneration() != null
        && Objects.equals(resource.getMetadata().getGeneration(), resource.getStatus().getSyncedGeneration());
  }
}

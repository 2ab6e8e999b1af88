package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.status.Conditions;
import io.bucketprotection.operator.status.EventRecorder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which Kubernetes Events a verdict produces: a Normal event for every change made; a Warning
 * when drift is first seen on a bucket that was Ready, and when a problem starts or its message
 * changes (not on every re-check of a lasting problem).
 */
public final class EventPolicy {

  /** One event to record. */
  public record Event(EventRecorder.Type type, String reason, String message) {
  }

  /** @param driftDetected drift was seen on a bucket that had been Ready (counted once) */
  public record Events(List<Event> events, boolean driftDetected) {
  }

  private EventPolicy() {
  }

  /**
   * @param previous the status before this reconcile, or null
   * @param observeMode the resource is in Observe mode (its drift is reported, not corrected)
   */
  public static Events of(BucketProtectionStatus previous, Verdict verdict, String bucket, boolean observeMode) {
    Optional<Condition> previousReady = Conditions.find(previous == null ? null : previous.getConditions(),
        Conditions.READY);
    boolean wasReady = previousReady.map(c -> "True".equals(c.getStatus())).orElse(false);
    boolean driftEvent = verdict.drift() != null && wasReady;
    List<Event> events = new ArrayList<>();
    if (driftEvent) {
      events.add(new Event(EventRecorder.Type.Warning, Reason.DriftDetected.name(), "Bucket " + bucket
          + " was changed outside the operator and no longer matches the spec (to restore: " + verdict.drift() + ")."
          + (observeMode ? " Observe mode: not corrected." : " Putting it back.")));
    }
    if (verdict.change() != null) {
      events.add(new Event(EventRecorder.Type.Normal, Reason.Applied.name(), verdict.message()));
    }
    boolean sameAsBefore = previousReady
        .map(c -> verdict.reason().name().equals(c.getReason()) && verdict.message().equals(c.getMessage()))
        .orElse(false);
    if (verdict.reason().isProblem() && !sameAsBefore && !driftEvent) {
      events.add(new Event(EventRecorder.Type.Warning, verdict.reason().name(), verdict.message()));
    }
    return new Events(List.copyOf(events), driftEvent);
  }
}

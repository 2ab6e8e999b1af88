package io.bucketprotection.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** metav1.Condition lists keyed by type, as the Kubernetes API conventions describe them. */
public final class Conditions {

  public static final String READY = "Ready";
  /** kstatus: the operator is still moving the object toward its spec by itself. */
  public static final String RECONCILING = "Reconciling";
  /** kstatus: no progress without a person. */
  public static final String STALLED = "Stalled";

  private Conditions() {
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** A copy of {@code conditions} without the condition of {@code type}. */
  public static List<Condition> without(List<Condition> conditions, String type) {
    List<Condition> result = new ArrayList<>();
    for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
      if (!type.equals(c.getType())) {
        result.add(c);
      }
    }
    return result;
  }

  /**
   * Ready and kstatus' two abnormal-true conditions beside it, the same way for every kind: Ready
   * with the reason and message; Reconciling (the operator gets there by itself) and Stalled
   * (nothing happens without a person) True with the same reason and message when they hold,
   * absent when not. Other conditions in {@code previous} are kept.
   *
   * @param ready "True", "False" or "Unknown"
   */
  public static List<Condition> kstatus(List<Condition> previous, String ready, boolean reconciling,
      boolean stalled, String reason, String message, long observedGeneration, Instant now) {
    List<Condition> conditions = with(previous, READY, ready, reason, message, observedGeneration, now);
    conditions = abnormalTrue(conditions, RECONCILING, reconciling, reason, message, observedGeneration, now);
    return abnormalTrue(conditions, STALLED, stalled, reason, message, observedGeneration, now);
  }

  /**
   * The kstatus condition {@code type} set True with the Ready reason and message when
   * {@code holds}, removed when not: kstatus reads only a True one, and an absent one is the
   * least to misread.
   */
  public static List<Condition> abnormalTrue(List<Condition> conditions, String type, boolean holds, String reason,
      String message, long observedGeneration, Instant now) {
    return holds ? with(conditions, type, "True", reason, message, observedGeneration, now)
        : without(conditions, type);
  }

  /**
   * A copy of {@code conditions} with the condition of {@code type} set as given. Its
   * lastTransitionTime is kept unless the status flips, so an unchanged condition compares
   * equal and costs no write.
   */
  public static List<Condition> with(List<Condition> conditions, String type, String status,
      String reason, String message, long observedGeneration, Instant now) {
    Optional<Condition> previous = find(conditions, type);
    String transitionTime = previous
        .filter(p -> status.equals(p.getStatus()) && p.getLastTransitionTime() != null)
        .map(Condition::getLastTransitionTime)
        .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    Condition updated = new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(observedGeneration)
        .withLastTransitionTime(transitionTime)
        .build();
    List<Condition> result = new ArrayList<>();
    boolean replaced = false;
    for (Condition c : conditions == null ? List.<Condition>of() : conditions) {
      if (type.equals(c.getType())) {
        result.add(updated);
        replaced = true;
      } else {
        result.add(c);
      }
    }
    if (!replaced) {
      result.add(updated);
    }
    return result;
  }
}

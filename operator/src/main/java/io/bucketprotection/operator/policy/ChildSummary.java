package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicyStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A policy's children summed up, after its plan was carried out: what the policy's status counts.
 *
 * @param matched the buckets the policy covers
 * @param total the children that stay
 * @param ready how many of them are Ready
 * @param byReason children by Ready reason ("Pending" before their first status)
 * @param notReady the first children that are not Ready, by name
 * @param leftToOthers the covered buckets another resource manages (all of them)
 * @param stalled some children are not Ready and each of those waits for a person
 */
record ChildSummary(int matched, int total, int ready, Map<String, Integer> byReason, List<String> notReady,
    List<String> leftToOthers, boolean stalled) {

  static ChildSummary of(PolicyPlan plan, List<BucketProtection> children) {
    Map<String, BucketProtection> byName = new TreeMap<>();
    children.forEach(child -> byName.put(child.getMetadata().getName(), child));
    Map<String, Integer> byReason = new TreeMap<>();
    List<String> notReady = new ArrayList<>();
    int ready = 0;
    boolean moving = false;
    for (String name : new TreeSet<>(plan.keep())) {
      BucketProtection child = byName.get(name);
      String reason = child == null || child.getStatus() == null ? null : readyReason(child);
      boolean isReady = child != null && child.getStatus() != null && "True".equals(readyStatus(child));
      byReason.merge(reason == null ? "Pending" : reason, 1, Integer::sum);
      if (isReady) {
        ready++;
      } else {
        if (notReady.size() < BucketProtectionPolicyStatus.MAX_NAMED) {
          notReady.add(name);
        }
        moving |= reason == null || reconciling(reason);
      }
    }
    int total = plan.keep().size();
    return new ChildSummary(plan.matched(), total, ready, byReason, notReady, plan.leftToOthers(),
        ready < total && !moving);
  }

  boolean allReady() {
    return notReady.isEmpty();
  }

  /** AllProtected, or ChildrenNotReady with what the policy's children wait for. */
  PolicyVerdict verdict(AccountListings.Listing scan) {
    if (allReady()) {
      return PolicyVerdict.counted(Reason.AllProtected, total + " of " + total + " children are Ready"
          + (leftToOthers.isEmpty() ? "" : "; " + leftToOthers.size() + " matching buckets are left"
          + " to other resources (status.leftToOthers)") + ".", false, scan, this);
    }
    return PolicyVerdict.counted(Reason.ChildrenNotReady, (total - ready) + " of " + total + " children are not"
        + " Ready (status.notReady, status.byReason); "
        + (stalled ? "each waits for a person: see its own Ready condition." : "the operator is still working on"
        + " them."), !stalled, scan, this);
  }

  private static String readyReason(BucketProtection child) {
    return Conditions.find(child.getStatus().getConditions(), Conditions.READY).map(Condition::getReason)
        .orElse(null);
  }

  private static String readyStatus(BucketProtection child) {
    return Conditions.find(child.getStatus().getConditions(), Conditions.READY).map(Condition::getStatus)
        .orElse(null);
  }

  /** A child's reason the operator moves on from by itself; one it does not know is taken as such. */
  private static boolean reconciling(String reason) {
    try {
      return Reason.valueOf(reason).reconciling();
    } catch (IllegalArgumentException e) {
      return true;
    }
  }
}

package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtectionPolicyStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.status.Conditions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Computes a policy's whole desired status from the previous one and the reconcile's verdict; pure.
 * Ready is True only for a Ready reason (AllProtected), else False. Reconciling holds while the
 * children converge by themselves; every other reason that is not Ready is Stalled: the policy
 * covers nothing new until the account, the spec or the API server changes (a failed listing too:
 * it is retried within a minute, and says so).
 */
final class PolicyStatusBuilder {

  private PolicyStatusBuilder() {
  }

  static BucketProtectionPolicyStatus next(BucketProtectionPolicyStatus previous, long generation,
      PolicyVerdict verdict, Instant now) {
    BucketProtectionPolicyStatus next = new BucketProtectionPolicyStatus();
    next.setObservedGeneration(generation);
    boolean ready = verdict.reason().ready() == Reason.Ready.TRUE;
    next.setConditions(Conditions.kstatus(previous == null ? null : previous.getConditions(), ready ? "True" : "False",
        verdict.moving(), !ready && !verdict.moving(), verdict.reason().name(), verdict.message(), generation, now));
    ChildSummary children = verdict.children();
    if (children != null) {
      next.setMatched(children.matched());
      next.setReady(children.ready());
      next.setByReason(children.byReason());
      next.setNotReady(children.notReady());
      next.setLeftToOthers(children.leftToOthers().stream().limit(BucketProtectionPolicyStatus.MAX_NAMED).toList());
    } else if (previous != null) {
      // Covering nothing new, but what was counted is still the truth about the children.
      next.setMatched(previous.getMatched());
      next.setReady(previous.getReady());
      next.setByReason(previous.getByReason());
      next.setNotReady(previous.getNotReady());
      next.setLeftToOthers(previous.getLeftToOthers());
    }
    AccountListings.Listing scan = verdict.scan();
    next.setLastScan(scan == null ? (previous == null ? null : previous.getLastScan())
        : scan.failure() == null ? scan.outcome() : scan.outcome() + ": " + scan.failure().message());
    // lastScanTime says when the status last changed: a scan that found nothing new keeps it.
    next.setLastScanTime(scan == null || next.sameApartFromScanTime(previous)
        ? (previous == null ? null : previous.getLastScanTime())
        : scan.at().truncatedTo(ChronoUnit.SECONDS).toString());
    return next;
  }
}

package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.config.Durations;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.UnsupportedFieldsException;
import java.time.Duration;
import java.util.List;

/**
 * How a policy's reconcile ended: the Ready reason and its message, whether the children are
 * still converging by themselves, the account's listing it used (null when none was taken) and
 * the children summed up (null when nothing was counted: the last status's counts stay true).
 *
 * @param moving Reconciling rather than Stalled: only children that converge by themselves
 */
record PolicyVerdict(Reason reason, String message, boolean moving, AccountListings.Listing scan,
    ChildSummary children) {

  /** The spec breaks a rule, or has fields this version does not know. */
  static PolicyVerdict invalid(InvalidSpecException e) {
    if (e instanceof UnsupportedFieldsException) {
      return new PolicyVerdict(Reason.UnsupportedField, e.getMessage(), false, null, null);
    }
    return new PolicyVerdict(Reason.InvalidSpec, e.getMessage()
        + " Correct the spec; the policy's children are left as they are until then.", false, null, null);
  }

  /** Tenancy refused the policy its account (not found, not ready, namespace not admitted). */
  static PolicyVerdict refused(Verdict refusal) {
    return new PolicyVerdict(refusal.reason(), refusal.message().replace(" Nothing was read or written.", "")
        + " The policy covers nothing until then (its existing children are left as they are).", false, null, null);
  }

  /** No listing of the account has succeeded yet: nothing to count. */
  static PolicyVerdict listingFailed(AccountListings.Listing scan) {
    return new PolicyVerdict(scan.failure().reason(), scan.failure().message(), false, scan, null);
  }

  /** The API server refused some of the plan's writes; the others were made. */
  static PolicyVerdict writesRefused(AccountListings.Listing scan, List<String> refused, Duration retry) {
    return new PolicyVerdict(Reason.ChildWriteFailed, refused.size() + " of the policy's child writes were"
        + " refused by the API server; the first: " + refused.get(0) + " The policy tries again in "
        + Durations.format(retry) + ".", false, scan, null);
  }

  /**
   * The plan was carried out: the children's verdict, unless the last listing failed (its children
   * are kept and counted, and Ready says why the listing failed).
   */
  static PolicyVerdict children(AccountListings.Listing scan, ChildSummary children) {
    if (scan.failure() != null) {
      return counted(scan.failure().reason(), scan.failure().message(), false, scan, children);
    }
    return children.verdict(scan);
  }

  static PolicyVerdict counted(Reason reason, String message, boolean moving, AccountListings.Listing scan,
      ChildSummary children) {
    return new PolicyVerdict(reason, message, moving, scan, children);
  }
}

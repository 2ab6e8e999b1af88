package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.PolicyValidator;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.spec.UnsupportedFieldsException;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import java.util.ArrayList;
import java.util.List;

/**
 * A BucketProtectionPolicy of the input, expanded into the buckets it would cover: validated and
 * bound as the operator does (to a trusted account only), and (unless --offline, and only at an
 * allowed endpoint) the account's buckets listed with this environment's credentials and matched
 * against the selector and the account's globs.
 */
final class PolicyCheck {

  /** Bucket names printed per policy; the count is always complete. */
  static final int NAMES_SHOWN = 50;

  private PolicyCheck() {
  }

  /** @param observer null for --offline */
  static CheckResult check(Manifest manifest, InputAccounts accounts, ReadOnlyObserver observer,
      OperatorConfig config) {
    BucketProtectionPolicy policy = (BucketProtectionPolicy) manifest.object();
    PolicyValidator.Policy valid;
    try {
      valid = PolicyValidator.validate(policy, config);
    } catch (UnsupportedFieldsException e) {
      return CheckResult.refused(manifest, null, Reason.UnsupportedField.name(), e.getMessage());
    } catch (InvalidSpecException e) {
      return CheckResult.refused(manifest, null, Reason.InvalidSpec.name(), e.getMessage());
    }
    InputAccounts.BoundAccount bound = accounts.bindAccount(policy.getMetadata().getNamespace(), valid.account());
    if (bound.account() == null) {
      return CheckResult.refused(manifest, null, bound.reason(), bound.message() + " The policy would cover nothing.");
    }
    Account account = bound.account();
    List<String> notes = new ArrayList<>(bound.notes());
    CheckResult.Subject subject = CheckResult.Subject.of(manifest);
    CheckResult.Route route = new CheckResult.Route(account.id().toString(),
        account.settings().endpoint() == null ? null : account.settings().endpoint().toString(),
        account.settings().region());
    var selector = policy.getSpec().getSelector();
    String buckets = String.join(", ", selector.getInclude()) + (selector.getExclude() == null
        || selector.getExclude().isEmpty() ? "" : " (not " + String.join(", ", selector.getExclude()) + ")");
    CheckResult.Target target = new CheckResult.Target(buckets, route, policy.getSpec().getTemplate().getMode() == null
        ? "Enforce" : policy.getSpec().getTemplate().getMode(), new CheckResult.Wanted(
        policy.getSpec().getTemplate().getVersioning(), policy.getSpec().getTemplate().getMfaDelete()));
    if (observer == null) {
      notes.add("The account's buckets were not listed (--offline).");
      return new CheckResult(subject, target, CheckResult.Plan.notObserved(notes));
    }
    String notAllowed = observer.refusal(account);
    if (notAllowed != null) {
      return new CheckResult(subject, target, CheckResult.Plan.refused(CheckResult.ENDPOINT_NOT_ALLOWED, notAllowed,
          notes));
    }
    BucketLister.Listing listing;
    try {
      listing = observer.list(account);
    } catch (BucketStoreException e) {
      return new CheckResult(subject, target, CheckResult.Plan.refused(e.kind() == S3ErrorKind.ACCESS_DENIED
          ? Reason.AccessDenied.name() : "ListFailed", "ListBuckets failed: " + e.getMessage()
          + ". The check lists with this environment's credentials: they need s3:ListAllMyBuckets.", notes));
    }
    List<String> covered = listing.buckets().stream().map(BucketLister.ListedBucket::name)
        .filter(name -> valid.selects(name) && account.coversBucket(name)).sorted().toList();
    notes.add(0, "Covers " + covered.size() + (covered.size() == 1 ? " bucket" : " buckets") + " of the "
        + listing.buckets().size() + " listed (" + listing.pages() + (listing.pages() == 1 ? " page" : " pages")
        + "), each with a child BucketProtection: " + (covered.isEmpty() ? "none"
        : String.join(", ", covered.subList(0, Math.min(NAMES_SHOWN, covered.size())))
            + (covered.size() > NAMES_SHOWN ? ", and " + (covered.size() - NAMES_SHOWN) + " more" : "")) + ".");
    return new CheckResult(subject, target, CheckResult.Plan.none(notes));
  }
}

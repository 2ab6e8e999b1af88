package io.bucketprotection.operator.check;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.Reason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole input, in its order: accounts are reviewed, BucketProtections bound against the
 * trusted accounts ({@link InputAccounts}), then planned one by one. Binding all of them first lets a resource be told
 * about another that writes the same bucket.
 */
final class InputCheck {

  private final OperatorConfig config;
  private final TrustedAccounts trust;
  private final ReadOnlyObserver observer;
  private final DeletionPreview preview;
  private final Clock clock;

  /**
   * @param observer null for --offline
   * @param maxVersionLookups versions of a deletion looked up at most (--max-version-lookups)
   */
  InputCheck(OperatorConfig config, TrustedAccounts trust, ReadOnlyObserver observer, int maxVersionLookups,
      Clock clock) {
    this.config = config;
    this.trust = trust;
    this.observer = observer;
    this.preview = observer == null ? null : new DeletionPreview(observer, maxVersionLookups);
    this.clock = clock;
  }

  List<CheckResult> run(List<Manifest> manifests) {
    InputAccounts accounts = new InputAccounts(manifests, trust, config);
    ProtectionCheck protections = new ProtectionCheck(config, accounts, observer, clock);
    Map<Manifest, ProtectionCheck.Bound> bound = new IdentityHashMap<>();
    List<ProtectionCheck.Bound> inOrder = new ArrayList<>();
    for (Manifest manifest : manifests) {
      if (manifest.object() instanceof BucketProtection) {
        ProtectionCheck.Bound b = protections.bind(manifest);
        bound.put(manifest, b);
        inOrder.add(b);
      }
    }
    Map<ProtectionCheck.Bound, List<String>> shared = SharedBuckets.notes(inOrder, config);
    List<CheckResult> results = new ArrayList<>();
    for (Manifest manifest : manifests) {
      if (manifest.object() == null) {
        results.add(CheckResult.refused(manifest, null, Reason.InvalidSpec.name(), manifest.problem()));
      } else if (manifest.object() instanceof BucketProtectionPolicy) {
        results.add(PolicyCheck.check(manifest, accounts, observer, config));
      } else if (manifest.object() instanceof ObjectVersionDeletion) {
        results.add(DeletionCheck.check(manifest, accounts, preview));
      } else if (bound.containsKey(manifest)) {
        ProtectionCheck.Bound b = bound.get(manifest);
        results.add(protections.plan(b, shared.getOrDefault(b, List.of())));
      } else {
        results.add(AccountReview.review(manifest, accounts.note(manifest), config));
      }
    }
    return results;
  }
}

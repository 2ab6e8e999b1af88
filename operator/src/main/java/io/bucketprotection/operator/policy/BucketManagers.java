package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.BucketOwnership;
import io.bucketprotection.operator.reconcile.ProtectionIndex;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.tenancy.Tenancy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rule of which other resources manage a bucket in a policy's stead (docs/concepts.md "Fleets"): not
 * its children, bound by Tenancy (a namespace may use their account for the bucket), on the
 * account's endpoint, writing (Enforce), with evidence that they can read the bucket (their last
 * read succeeded: {@link BucketOwnership}), and either in the policy's own namespace (the team's
 * explicit choice) or older than the policy's child for the bucket (the ordinary rule; a bucket
 * without a child yet has none). Anything less would let a user of any namespace pull a bucket out
 * of the policy by naming it.
 */
final class BucketManagers {

  private final OperatorConfig config;
  private final Tenancy.View tenancy;
  private final ProtectionIndex protections;
  private final BucketOwnership ownership;

  BucketManagers(OperatorConfig config, Tenancy.View tenancy, ProtectionIndex protections,
      BucketOwnership ownership) {
    this.config = config;
    this.tenancy = tenancy;
    this.protections = protections;
    this.ownership = ownership;
  }

  /** @param endpointIdentity the identity of the policy's account's endpoint (S3Endpoints.identity) */
  List<BucketProtection> of(BucketProtectionPolicy policy, String bucket, String endpointIdentity) {
    String key = endpointIdentity + "/" + bucket;
    List<BucketProtection> named = protections.byBucket(bucket);
    Optional<BucketProtection> child = named.stream().filter(bp -> PolicyPlan.isChild(policy, bp))
        .min(BucketOwnership.AGE);
    return named.stream()
        .filter(bp -> !PolicyPlan.isChild(policy, bp))
        .filter(bp -> Objects.equals(bp.getMetadata().getNamespace(), policy.getMetadata().getNamespace())
            || child.isEmpty() || BucketOwnership.AGE.compare(bp, child.get()) < 0)
        .filter(bp -> manages(bp, key))
        .toList();
  }

  /** Bound, writing, at {@code key} (endpoint identity / bucket), and last read the bucket. */
  private boolean manages(BucketProtection bp, String key) {
    try {
      Tenancy.Binding binding = Tenancy.bind(bp, SpecValidator.validate(bp, config), tenancy, config);
      return binding.desired() != null && binding.desired().writes()
          && key.equals(ownership.key(binding.desired())) && ownership.hasEvidence(bp, binding.desired());
    } catch (InvalidSpecException e) {
      return false;
    }
  }
}

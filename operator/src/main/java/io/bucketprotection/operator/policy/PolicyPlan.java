package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.PolicyValidator;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.s3.BucketLister.ListedBucket;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a policy's children must become, from what the last listing found: pure, no I/O. A bucket
 * is covered when the selector and the account's globs admit it; it gets a child unless another
 * resource (not this policy's child) already names it. Children are created, put back to the
 * template when edited, and deleted when their bucket is gone or no longer covered.
 *
 * @param create children to create
 * @param replace children to put back: the desired object (spec, label, owner)
 * @param delete children to delete
 * @param matched covered buckets (those left to others included)
 * @param leftToOthers "bucket (BucketProtection ns/name)", sorted by bucket
 * @param keep the names of the children that stay (created, replaced or unchanged)
 */
public record PolicyPlan(List<BucketProtection> create, List<BucketProtection> replace, List<BucketProtection> delete,
    int matched, List<String> leftToOthers, Set<String> keep) {

  /** A region as S3 names them; anything else a server lists is dropped (the child finds the region). */
  private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,32}");

  /** True when nothing is written. */
  public boolean writesNothing() {
    return create.isEmpty() && replace.isEmpty() && delete.isEmpty();
  }

  /**
   * @param children the resources this policy owns (its label and its uid as owner)
   * @param sameBucket the BucketProtections that manage a bucket: authorised for it on the account's endpoint,
   *     writing it, and not known to be unable to read it (anything else would let any namespace
   *     keep a bucket from the policy by naming it)
   */
  public static PolicyPlan plan(BucketProtectionPolicy policy, PolicyValidator.Policy valid, Account account,
      List<ListedBucket> listed, Collection<BucketProtection> children,
      Function<String, List<BucketProtection>> sameBucket) {
    Map<String, BucketProtection> existing = new HashMap<>();
    children.forEach(child -> existing.put(child.getMetadata().getName(), child));
    Map<String, ListedBucket> covered = new TreeMap<>();
    for (ListedBucket bucket : listed) {
      // A name the server lists is outside input too: one S3 would not accept never gets a child.
      if (SpecValidator.isBucketName(bucket.name()) && valid.selects(bucket.name())
          && account.coversBucket(bucket.name())) {
        covered.putIfAbsent(bucket.name(), bucket);
      }
    }
    List<BucketProtection> create = new ArrayList<>();
    List<BucketProtection> replace = new ArrayList<>();
    List<String> leftToOthers = new ArrayList<>();
    Set<String> keep = new HashSet<>();
    for (ListedBucket bucket : covered.values()) {
      Optional<BucketProtection> other = sameBucket.apply(bucket.name()).stream()
          .filter(bp -> !isChild(policy, bp))
          .min((a, b) -> (a.getMetadata().getNamespace() + "/" + a.getMetadata().getName())
              .compareTo(b.getMetadata().getNamespace() + "/" + b.getMetadata().getName()));
      if (other.isPresent()) {
        // Another namespace's resource is never named to this one (as for ownership).
        boolean sameNamespace = Objects.equals(other.get().getMetadata().getNamespace(),
            policy.getMetadata().getNamespace());
        leftToOthers.add(bucket.name() + (sameNamespace ? " (BucketProtection " + other.get().getMetadata()
            .getNamespace() + "/" + other.get().getMetadata().getName() + ")" : " (a BucketProtection in another"
            + " namespace)"));
        continue;
      }
      BucketProtection desired = desired(policy, bucket);
      String name = desired.getMetadata().getName();
      if (!keep.add(name)) {
        leftToOthers.add(bucket.name() + " (its child's name " + name + " is taken by another bucket of this policy)");
        continue;
      }
      BucketProtection current = existing.get(name);
      if (current == null) {
        create.add(desired);
      } else if (!matches(current, desired)) {
        replace.add(desired);
      }
    }
    List<BucketProtection> delete = existing.values().stream()
        .filter(child -> !keep.contains(child.getMetadata().getName()))
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .toList();
    return new PolicyPlan(create, replace, delete, covered.size(), leftToOthers, keep);
  }

  /**
   * Whether {@code resource} is a child of {@code policy}: in its namespace, with the policy's uid
   * as owner (a label edited by hand does not orphan a child: it is put back).
   */
  public static boolean isChild(BucketProtectionPolicy policy, BucketProtection resource) {
    ObjectMeta meta = resource.getMetadata();
    return Objects.equals(meta.getNamespace(), policy.getMetadata().getNamespace())
        && meta.getOwnerReferences() != null
        && meta.getOwnerReferences().stream().anyMatch(o -> Objects.equals(o.getUid(), policy.getMetadata().getUid()));
  }

  /** The child for {@code bucket}: the template's spec, named, labelled, owned, never allowed to weaken. */
  static BucketProtection desired(BucketProtectionPolicy policy, ListedBucket bucket) {
    String region = bucket.region() != null && REGION.matcher(bucket.region()).matches() ? bucket.region() : null;
    BucketProtection child = PolicyValidator.child(policy, bucket.name(), region);
    ObjectMeta meta = child.getMetadata();
    meta.setName(ChildNames.of(policy.getMetadata().getName(), bucket.name()));
    meta.setLabels(Map.of(BucketProtectionPolicy.POLICY_LABEL, policy.getMetadata().getName()));
    OwnerReference owner = new OwnerReferenceBuilder()
        .withApiVersion(policy.getApiVersion())
        .withKind(BucketProtectionPolicy.KIND)
        .withName(policy.getMetadata().getName())
        .withUid(policy.getMetadata().getUid())
        .withController(true)
        .build();
    meta.setOwnerReferences(List.of(owner));
    return child;
  }

  /** What the policy decides on a child: its spec, its label, its owner, and no weakening key. */
  private static boolean matches(BucketProtection current, BucketProtection desired) {
    ObjectMeta meta = current.getMetadata();
    boolean annotated = meta.getAnnotations() != null && meta.getAnnotations().containsKey(Tenancy.ALLOW_WEAKENING);
    return !annotated
        && Objects.equals(Serialization.jsonMapper().valueToTree(current.getSpec()),
            Serialization.jsonMapper().valueToTree(desired.getSpec()))
        && meta.getLabels() != null
        && desired.getMetadata().getLabels().get(BucketProtectionPolicy.POLICY_LABEL)
            .equals(meta.getLabels().get(BucketProtectionPolicy.POLICY_LABEL))
        && Objects.equals(meta.getOwnerReferences(), desired.getMetadata().getOwnerReferences());
  }
}

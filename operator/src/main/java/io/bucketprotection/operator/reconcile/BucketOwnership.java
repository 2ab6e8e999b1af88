package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.Facts;
import io.bucketprotection.operator.s3.S3Endpoints;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Who writes a bucket that several BucketProtections name. Every authorised resource may read it;
 * one writes: the oldest authorised resource in Enforce mode (with a spec this version fully
 * understands, see {@link DesiredState#writes}) that has not failed to read the bucket in this process (ties by uid, never by names a user picks). So an intruder's resource
 * that cannot even read the bucket never blocks the team's, and after a restart the younger
 * resource waits until the older one has had its first try. A bucket is known by the identity of
 * its endpoint ({@link S3Endpoints#identity}) and its name.
 */
public final class BucketOwnership {

  /** The primary-cache index from bucket name to the resources naming it. */
  public static final String INDEX = "bucketprotection.io/bucket-name";

  private final OperatorConfig config;
  /** uid -> whether its last read in this process worked. */
  private final Map<String, Boolean> reads = new ConcurrentHashMap<>();

  public BucketOwnership(OperatorConfig config) {
    this.config = config;
  }

  /** The index keys of a resource: its bucket name. Never throws. */
  public static List<String> indexKeys(BucketProtection resource) {
    return resource.getSpec() == null || resource.getSpec().getBucket() == null ? List.of()
        : List.of(resource.getSpec().getBucket());
  }

  public String key(DesiredState desired) {
    return S3Endpoints.identity(desired.endpoint() != null ? desired.endpoint() : config.defaultEndpoint(),
        config.defaultRegion()) + "/" + desired.bucket();
  }

  /** This resource cannot read its bucket (refused, not a passing outage): it cannot own it. */
  public void cannotRead(BucketProtection self) {
    reads.put(uid(self), false);
  }

  /**
   * Records that this resource could read its bucket and says who writes it.
   *
   * @param sameName the resources naming the same bucket name (the index), this one included
   * @param bind a resource's desired state when it is valid and authorised, else empty
   */
  public Facts.Writer afterRead(BucketProtection self, DesiredState desired, Collection<BucketProtection> sameName,
      Function<BucketProtection, Optional<DesiredState>> bind) {
    reads.put(uid(self), true);
    String key = key(desired);
    Optional<BucketProtection> owner = sameName.stream()
        .filter(candidate -> !Boolean.FALSE.equals(reads.get(uid(candidate))))
        .filter(candidate -> bind.apply(candidate)
            .filter(bound -> bound.writes() && key.equals(key(bound))).isPresent())
        .min(Comparator.<BucketProtection, Boolean>comparing(BucketOwnership::fromPolicy)
            .thenComparing(bp -> Objects.requireNonNullElse(bp.getMetadata().getCreationTimestamp(), "~"))
            .thenComparing(BucketOwnership::uid));
    if (owner.isEmpty() || uid(owner.get()).equals(uid(self))) {
      return Facts.Writer.SELF;
    }
    BucketProtection other = owner.get();
    boolean sameNamespace = Objects.equals(other.getMetadata().getNamespace(), self.getMetadata().getNamespace());
    return Facts.Writer.other(sameNamespace ? "BucketProtection " + other.getMetadata().getNamespace() + "/"
        + other.getMetadata().getName() + (fromPolicy(self) && !fromPolicy(other)
        ? " (a policy's child yields to a resource made for the bucket)" : " (older)") : null);
  }

  /** False once the resource has failed to read its bucket (refused, not an outage): it owns nothing. */
  public boolean mayOwn(BucketProtection resource) {
    return !Boolean.FALSE.equals(reads.get(uid(resource)));
  }

  /** Forgets resources that are gone, so the record stays as large as the fleet. */
  public void retainOnly(Set<String> liveUids) {
    reads.keySet().retainAll(liveUids);
  }

  int recorded() {
    return reads.size();
  }

  /**
   * A policy's child yields to a resource a person made for the same bucket, whatever their ages
   * (the policy then deletes its child at its next look).
   */
  static boolean fromPolicy(BucketProtection resource) {
    Map<String, String> labels = resource.getMetadata().getLabels();
    return labels != null && labels.containsKey(BucketProtectionPolicy.POLICY_LABEL);
  }

  static String uid(BucketProtection resource) {
    String uid = resource.getMetadata().getUid();
    // The test API server may leave uid empty: then namespace/name keeps resources apart.
    return uid != null ? uid : resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
  }
}

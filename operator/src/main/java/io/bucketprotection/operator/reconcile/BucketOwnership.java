package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.decide.DesiredState;
import io.bucketprotection.operator.reconcile.decide.InvalidSpecException;
import io.bucketprotection.operator.reconcile.decide.Reason;
import io.bucketprotection.operator.reconcile.decide.SpecValidator;
import io.bucketprotection.operator.reconcile.decide.Verdict;
import io.bucketprotection.operator.s3.S3Endpoints;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which BucketProtection may write a bucket when several name it: the oldest valid one. A
 * bucket is known by the identity of its endpoint ({@link S3Endpoints#identity}) and its name,
 * so two spellings of the same AWS endpoint are one bucket.
 */
public final class BucketOwnership {

  /** The primary-cache index from bucket key to the resources naming that bucket. */
  public static final String INDEX = "bucketprotection.io/bucket";

  private final OperatorConfig config;

  public BucketOwnership(OperatorConfig config) {
    this.config = config;
  }

  /** The index keys of a resource: its bucket's key, or none for an invalid spec. Never throws. */
  public List<String> indexKeys(BucketProtection resource) {
    try {
      return List.of(key(SpecValidator.validate(resource.getSpec(), config)));
    } catch (InvalidSpecException e) {
      return List.of();
    }
  }

  public String key(DesiredState desired) {
    return S3Endpoints.identity(desired.endpoint() != null ? desired.endpoint() : config.defaultEndpoint(),
        config.defaultRegion()) + "/" + desired.bucket();
  }

  /**
   * A Conflict verdict when another of {@code sameBucket} (the resources under this resource's
   * key) owns the bucket; empty when this resource may write it.
   */
  public Optional<Verdict> conflict(BucketProtection resource, DesiredState desired,
      Collection<BucketProtection> sameBucket) {
    Optional<BucketProtection> owner = sameBucket.stream()
        .filter(bp -> !indexKeys(bp).isEmpty())
        .min(Comparator.<BucketProtection, String>comparing(
                bp -> Objects.requireNonNullElse(bp.getMetadata().getCreationTimestamp(), "~"))
            .thenComparing(bp -> bp.getMetadata().getNamespace())
            .thenComparing(bp -> bp.getMetadata().getName()));
    if (owner.isEmpty() || sameResource(owner.get(), resource)) {
      return Optional.empty();
    }
    BucketProtection other = owner.get();
    return Optional.of(Verdict.problem(Reason.Conflict, "BucketProtection " + other.getMetadata().getNamespace()
        + "/" + other.getMetadata().getName() + " (older) already manages bucket " + desired.bucket()
        + " at this endpoint. This resource writes nothing while that one exists: delete one of the two.", null));
  }

  private static boolean sameResource(BucketProtection a, BucketProtection b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }
}

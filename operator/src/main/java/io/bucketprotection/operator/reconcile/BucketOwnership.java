package io.bucketprotection.operator.reconcile;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.BucketRead;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.status.Conditions;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Who writes a bucket that several BucketProtections name. Every authorised resource may read it;
 * one writes: among the resources Tenancy binds to the bucket in Enforce mode (with a spec this
 * version fully understands, see {@link DesiredState#writes}) that have <em>evidence</em> that
 * they can read it, the oldest (ties by uid, never by names a user picks). Evidence is positive:
 * the resource's last read of the bucket, bound as it is now, succeeded. It is kept in the status
 * ({@code status.bucketRead}), so a restart or a new leader does not reset it, and this process
 * remembers each read it made. A resource that moves to another bucket or account starts without
 * evidence; one whose read fails, or whose reconcile fails in any way, loses it. So an intruder's
 * resource that cannot read the bucket, or whose input makes every reconcile fail, blocks nobody.
 *
 * <p>Two refinements. A hand-made resource in a policy child's own namespace overrides the child,
 * whatever their ages (that team's explicit choice); across namespaces only the ordinary rule holds,
 * so nobody pulls a bucket out of another namespace's policy. And after an upgrade from a version
 * that kept no evidence, an older resource whose status shows a successful read but no evidence
 * makes younger ones wait for at most one of their read intervals from this process's start.
 *
 * <p>A bucket is known by the identity of its endpoint ({@link S3Endpoints#identity}) and its name.
 */
public final class BucketOwnership {

  /** The primary-cache index from bucket name to the resources naming it. */
  public static final String INDEX = "bucketprotection.io/bucket-name";

  /** Oldest first: creation time, then uid. */
  public static final Comparator<BucketProtection> AGE = Comparator
      .<BucketProtection, String>comparing(bp -> Objects.requireNonNullElse(bp.getMetadata().getCreationTimestamp(), "~"))
      .thenComparing(BucketOwnership::uid);

  /**
   * Ready reasons an earlier version wrote only after reading the bucket: with one of these and no
   * evidence, a status comes from before evidence was kept.
   */
  private static final Set<Reason> AFTER_A_READ = EnumSet.of(Reason.InSync, Reason.Applied, Reason.DriftDetected,
      Reason.Conflict, Reason.WaitingForMfaWindow, Reason.AwaitingMfaCode, Reason.MfaCodeExpired,
      Reason.MfaRequired, Reason.MfaRejected, Reason.MfaDevicePaused, Reason.WeakeningDenied,
      Reason.LifecycleConflict, Reason.ObjectLockConflict, Reason.DeviceConflict, Reason.ClockSkew);

  /** What this process saw of a resource's reads: the binding of its last successful one, or a failure. */
  private record Seen(BucketRead binding, boolean read) {
  }

  /** How a candidate stands for one bucket. */
  private enum Standing { PROVEN, PENDING, NONE }

  private final OperatorConfig config;
  private final Clock clock;
  private final Instant started;
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  public BucketOwnership(OperatorConfig config) {
    this(config, Clock.systemUTC());
  }

  public BucketOwnership(OperatorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.started = clock.instant();
  }

  /** The index keys of a resource: its bucket name. Never throws. */
  public static List<String> indexKeys(BucketProtection resource) {
    return resource.getSpec() == null || resource.getSpec().getBucket() == null ? List.of()
        : List.of(resource.getSpec().getBucket());
  }

  public String key(DesiredState desired) {
    return endpointIdentity(desired) + "/" + desired.bucket();
  }

  private String endpointIdentity(DesiredState desired) {
    return S3Endpoints.identity(desired.endpoint(), config.defaultRegion());
  }

  /** Evidence (without its time) for a read of the bucket bound as {@code desired} says. */
  private BucketRead binding(DesiredState desired) {
    return new BucketRead(desired.bucket(), endpointIdentity(desired), Signers.accountLabel(desired.account()), null);
  }

  /** This resource's read failed, or its reconcile did: it has no evidence, and cannot own a bucket. */
  public void cannotRead(BucketProtection self) {
    seen.put(uid(self), new Seen(null, false));
  }

  /**
   * Records that this resource read its bucket and says who writes it.
   *
   * @param sameName the resources naming the same bucket name (the index), this one included
   * @param bind a resource's desired state when it is valid and authorised, else empty
   */
  public Facts.Writer afterRead(BucketProtection self, DesiredState desired, Collection<BucketProtection> sameName,
      Function<BucketProtection, Optional<DesiredState>> bind) {
    seen.put(uid(self), new Seen(binding(desired), true));
    String key = key(desired);
    Instant waitUntil = started.plus(desired.checkInterval());
    List<BucketProtection> standing = new ArrayList<>();
    List<BucketProtection> pending = new ArrayList<>();
    for (BucketProtection candidate : sameName) {
      Optional<DesiredState> bound = bind.apply(candidate).filter(b -> b.writes() && key.equals(key(b)));
      if (bound.isEmpty()) {
        continue;
      }
      Standing s = uid(candidate).equals(uid(self)) ? Standing.PROVEN : standing(candidate, bound.get(), waitUntil);
      if (s != Standing.NONE) {
        standing.add(candidate);
        if (s == Standing.PENDING) {
          pending.add(candidate);
        }
      }
    }
    Optional<BucketProtection> owner = owner(standing);
    if (owner.isEmpty() || uid(owner.get()).equals(uid(self))) {
      return Facts.Writer.SELF;
    }
    BucketProtection other = owner.get();
    boolean sameNamespace = Objects.equals(other.getMetadata().getNamespace(), self.getMetadata().getNamespace());
    String why = pending.contains(other) ? " (older; waiting for its first read by this version of the operator,"
        + " at most one check interval)" : fromPolicy(self) && !fromPolicy(other)
        ? " (a policy's child yields to a resource made for the bucket in its namespace)" : " (older)";
    return Facts.Writer.other(sameNamespace ? "BucketProtection " + other.getMetadata().getNamespace() + "/"
        + other.getMetadata().getName() + why : null);
  }

  /**
   * The writer among resources that may own the bucket: the oldest, except that a policy's child
   * yields to the oldest hand-made one in its own namespace.
   */
  private static Optional<BucketProtection> owner(List<BucketProtection> standing) {
    Optional<BucketProtection> oldest = standing.stream().min(AGE);
    if (oldest.isEmpty() || !fromPolicy(oldest.get())) {
      return oldest;
    }
    String namespace = oldest.get().getMetadata().getNamespace();
    return standing.stream()
        .filter(bp -> !fromPolicy(bp) && Objects.equals(namespace, bp.getMetadata().getNamespace()))
        .min(AGE)
        .or(() -> oldest);
  }

  private Standing standing(BucketProtection candidate, DesiredState bound, Instant waitUntil) {
    Seen record = seen.get(uid(candidate));
    BucketRead binding = binding(bound);
    if (record != null) {
      return record.read() && binding.sameBinding(record.binding()) ? Standing.PROVEN : Standing.NONE;
    }
    BucketRead evidence = candidate.getStatus() == null ? null : candidate.getStatus().getBucketRead();
    if (evidence != null) {
      return binding.sameBinding(evidence) ? Standing.PROVEN : Standing.NONE;
    }
    return fromBeforeEvidence(candidate) && clock.instant().isBefore(waitUntil) ? Standing.PENDING : Standing.NONE;
  }

  /** No status yet, or one an earlier version wrote after a successful read (it kept no evidence). */
  private static boolean fromBeforeEvidence(BucketProtection candidate) {
    if (candidate.getStatus() == null) {
      return true;
    }
    return Conditions.find(candidate.getStatus().getConditions(), Conditions.READY)
        .map(ready -> AFTER_A_READ.stream().anyMatch(reason -> reason.name().equals(ready.getReason())))
        .orElse(false);
  }

  /**
   * Whether the resource, bound as {@code bound}, has evidence that it can read its bucket: this
   * process saw its last read succeed, or (where this process has seen none) its status says so.
   */
  public boolean hasEvidence(BucketProtection resource, DesiredState bound) {
    Seen record = seen.get(uid(resource));
    BucketRead binding = binding(bound);
    if (record != null) {
      return record.read() && binding.sameBinding(record.binding());
    }
    return resource.getStatus() != null && binding.sameBinding(resource.getStatus().getBucketRead());
  }

  /**
   * The evidence to keep in the resource's status after this reconcile: kept (with its first time)
   * while reads bound the same way succeed, started at a first successful read, dropped after a
   * failed one or for a binding it has not read. A passing outage changes nothing.
   *
   * @param desired the resource's bound state, or null when it is invalid or refused
   */
  public BucketRead evidence(BucketProtection resource, DesiredState desired) {
    if (desired == null) {
      return null;
    }
    BucketRead binding = binding(desired);
    BucketRead previous = resource.getStatus() == null ? null : resource.getStatus().getBucketRead();
    Seen record = seen.get(uid(resource));
    if (record == null) {
      return binding.sameBinding(previous) ? previous : null;
    }
    if (!record.read() || !binding.sameBinding(record.binding())) {
      return null;
    }
    return binding.sameBinding(previous) ? previous : new BucketRead(binding.getBucket(), binding.getEndpointIdentity(),
        binding.getAccount(), clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** Forgets resources that are gone, so the record stays as large as the fleet. */
  public void retainOnly(Set<String> liveUids) {
    seen.keySet().retainAll(liveUids);
  }

  int recorded() {
    return seen.size();
  }

  /** A policy's child (its label): it yields to a resource a person made for the bucket in its namespace. */
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

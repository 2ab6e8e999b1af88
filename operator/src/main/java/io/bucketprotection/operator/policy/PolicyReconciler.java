package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.BucketProtectionPolicyStatus;
import io.bucketprotection.operator.aws.ServerText;
import io.bucketprotection.operator.config.Durations;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.reconcile.BucketOwnership;
import io.bucketprotection.operator.reconcile.EndpointSlots;
import io.bucketprotection.operator.reconcile.ProtectionIndex;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.PolicyValidator;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.spec.UnsupportedFieldsException;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.Signer;
import java.net.URI;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps each BucketProtectionPolicy's children: uses its account's listing (one per account per
 * interval, shared by the account's policies: {@link AccountListings}; it takes a slot of the
 * endpoint like any S3 call), creates a child per covered bucket, puts back a child edited by
 * hand, deletes a child whose bucket is gone or no longer covered, and sums the children up in
 * the policy's status. Between scans a child's change (edited, deleted) is answered from the last
 * listing, without S3. Deleting the policy deletes its children (a finalizer: a test API server
 * may have no garbage collector); a bucket is never touched here.
 */
@ControllerConfiguration(name = PolicyReconciler.NAME)
public class PolicyReconciler implements Reconciler<BucketProtectionPolicy>, Cleaner<BucketProtectionPolicy> {

  public static final String NAME = "bucketprotectionpolicy";
  /** How soon to look again while the BucketProtection cache is not filled yet. */
  static final Duration CACHE_WAIT = Duration.ofSeconds(2);
  /** While children are not all Ready, the status is summed up again this often (no S3 call). */
  static final Duration ROLLOUT_REFRESH = Duration.ofSeconds(10);
  /** A policy refused its account (not found, not ready, not admitted): looked at again this often (caches only). */
  static final Duration REFUSED_RECHECK = Duration.ofSeconds(30);
  /**
   * While another reconcile lists the policy's account, or its endpoint has no free slot, the least
   * wait before looking again (plus as much jitter): a second, so that a fleet of policies waiting
   * on one slow listing costs a cheap look each a second, holding no thread.
   */
  static final Duration LISTING_BUSY_RETRY = Duration.ofSeconds(1);

  private static final Logger LOG = LoggerFactory.getLogger(PolicyReconciler.class);

  private final OperatorConfig config;
  private final Tenancy.View tenancy;
  private final Signers signers;
  private final BucketLister lister;
  private final ProtectionIndex protections;
  private final BucketOwnership ownership;
  private final EndpointSlots endpointSlots;
  private final Clock clock;
  private final AccountListings listings = new AccountListings();

  /**
   * @param protections the BucketProtection controller's cache: children and hand-made resources
   * @param ownership the BucketProtection controller's record of who could read its bucket
   * @param endpointSlots each endpoint's share of threads: a listing takes a slot like any S3 call
   */
  public PolicyReconciler(OperatorConfig config, Tenancy.View tenancy, Signers signers, BucketLister lister,
      ProtectionIndex protections, BucketOwnership ownership, EndpointSlots endpointSlots, Clock clock) {
    this.config = config;
    this.tenancy = tenancy;
    this.signers = signers;
    this.lister = lister;
    this.protections = protections;
    this.ownership = ownership;
    this.endpointSlots = endpointSlots;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, BucketProtectionPolicy>> prepareEventSources(
      EventSourceContext<BucketProtectionPolicy> context) {
    // Only to hear of the children's own changes (spec, labels, annotations, owner, deletion; a
    // child whose label is removed leaves this selection, which is heard too): what the children
    // are is read from the BucketProtection controller's cache. Status changes are not heard: the
    // rollout refresh sums them up.
    InformerEventSourceConfiguration<BucketProtection> configuration = InformerEventSourceConfiguration
        .from(BucketProtection.class, BucketProtectionPolicy.class)
        .withName("policy-children")
        .withNamespacesInheritedFromController()
        .withLabelSelector(BucketProtectionPolicy.POLICY_LABEL)
        .withSecondaryToPrimaryMapper(PolicyReconciler::owners)
        .withOnUpdateFilter((updated, previous) ->
            !Objects.equals(updated.getMetadata().getGeneration(), previous.getMetadata().getGeneration())
                || !Objects.equals(updated.getMetadata().getLabels(), previous.getMetadata().getLabels())
                || !Objects.equals(updated.getMetadata().getAnnotations(), previous.getMetadata().getAnnotations())
                || !Objects.equals(updated.getMetadata().getOwnerReferences(),
                    previous.getMetadata().getOwnerReferences()))
        .build();
    return List.of(new InformerEventSource<>(configuration, context));
  }

  @SuppressWarnings("unchecked")
  private static InformerEventSource<BucketProtection, BucketProtectionPolicy> childEvents(
      Context<BucketProtectionPolicy> context) {
    return (InformerEventSource<BucketProtection, BucketProtectionPolicy>) context.eventSourceRetriever()
        .getEventSourceFor(BucketProtection.class);
  }

  /** The policies a BucketProtection belongs to: its owner references, else its label. */
  static Set<ResourceID> owners(BucketProtection resource) {
    String namespace = resource.getMetadata().getNamespace();
    Set<ResourceID> owners = new HashSet<>();
    if (resource.getMetadata().getOwnerReferences() != null) {
      resource.getMetadata().getOwnerReferences().stream()
          .filter(o -> BucketProtectionPolicy.KIND.equals(o.getKind()) && o.getName() != null)
          .forEach(o -> owners.add(new ResourceID(o.getName(), namespace)));
    }
    Map<String, String> labels = resource.getMetadata().getLabels();
    if (owners.isEmpty() && labels != null && labels.get(BucketProtectionPolicy.POLICY_LABEL) != null) {
      owners.add(new ResourceID(labels.get(BucketProtectionPolicy.POLICY_LABEL), namespace));
    }
    return owners;
  }

  @Override
  public UpdateControl<BucketProtectionPolicy> reconcile(BucketProtectionPolicy policy,
      Context<BucketProtectionPolicy> context) {
    Instant now = clock.instant();
    KubernetesClient client = context.getClient();
    if (!protections.ready()) {
      // Until the BucketProtection cache is filled, every bucket would look unclaimed.
      return UpdateControl.<BucketProtectionPolicy>noUpdate().rescheduleAfter(CACHE_WAIT);
    }
    PolicyValidator.Policy valid;
    try {
      valid = PolicyValidator.validate(policy, config);
    } catch (UnsupportedFieldsException e) {
      return finish(client, policy, problem(Reason.UnsupportedField.name(), e.getMessage()), null,
          List.of(), now, null);
    } catch (InvalidSpecException e) {
      return finish(client, policy, problem(Reason.InvalidSpec.name(), e.getMessage()
          + " Correct the spec; the policy's children are left as they are until then."), null, List.of(), now, null);
    }
    Tenancy.AccountBinding bound = Tenancy.bindAccount(policy.getMetadata().getNamespace(), valid.account(), null,
        tenancy, config);
    if (bound.refusal() != null) {
      Verdict refusal = bound.refusal();
      return finish(client, policy, problem(refusal.reason().name(), refusal.message().replace(" Nothing was read or"
          + " written.", "") + " The policy covers nothing until then (its existing children are left as they"
          + " are)."), null, List.of(), now, REFUSED_RECHECK);
    }
    Account account = bound.account();
    // The account's listing, shared with every policy on it: made now only when due, and only
    // with a slot of its endpoint (else the policy comes back a moment later, holding no thread).
    AccountListings.Answer answer = listings.listing(policy.getMetadata().getUid(), AccountListings.Key.of(account),
        valid.scanInterval(), now, () -> {
          Optional<EndpointSlots.Slot> slot = endpointSlots.tryTake(account.settings().endpoint());
          if (slot.isEmpty()) {
            return Optional.empty();
          }
          try (EndpointSlots.Slot held = slot.get()) {
            return Optional.of(list(account));
          }
        });
    if (answer.busy()) {
      return UpdateControl.<BucketProtectionPolicy>noUpdate().rescheduleAfter(LISTING_BUSY_RETRY.toMillis()
          + ThreadLocalRandom.current().nextLong(LISTING_BUSY_RETRY.toMillis()));
    }
    AccountListings.Listing scan = answer.listing();
    Duration untilDue = answer.untilDue(now);
    if (scan.buckets() == null) {
      return finish(client, policy, problem(scan.failure().reason().name(), scan.failure().message()), scan,
          List.of(), now, untilDue);
    }
    // The children from the BucketProtection cache, each replaced by the copy the event that
    // brought this reconcile came through, where that informer has one: the two caches can be a
    // moment apart, and a look while they disagree is repeated at once.
    Map<String, BucketProtection> byName = new TreeMap<>();
    protections.inNamespace(policy.getMetadata().getNamespace(), bp -> PolicyPlan.isChild(policy, bp))
        .forEach(bp -> byName.put(bp.getMetadata().getName(), bp));
    boolean cachesAgree = true;
    for (BucketProtection heard : childEvents(context).list(policy.getMetadata().getNamespace(),
        bp -> PolicyPlan.isChild(policy, bp)).toList()) {
      BucketProtection indexed = byName.put(heard.getMetadata().getName(), heard);
      cachesAgree &= indexed != null && Objects.equals(indexed.getMetadata().getResourceVersion(),
          heard.getMetadata().getResourceVersion());
    }
    List<BucketProtection> mine = List.copyOf(byName.values());
    URI endpoint = account.settings().endpoint();
    String endpointIdentity = S3Endpoints.identity(endpoint, config.defaultRegion());
    PolicyPlan plan = PolicyPlan.plan(policy, valid, account, scan.buckets(), mine,
        bucket -> managers(policy, bucket, endpointIdentity));
    List<String> failed = apply(client, plan);
    if (!failed.isEmpty()) {
      return finish(client, policy, problem("ChildWriteFailed", failed.size() + " of the policy's child writes were"
          + " refused by the API server; the first: " + failed.get(0) + " The policy tries again in "
          + Durations.format(REFUSED_RECHECK) + "."), scan, List.of(), now, REFUSED_RECHECK);
    }
    if (!plan.writesNothing()) {
      LOG.info("{}/{}: {} children created, {} put back, {} deleted", policy.getMetadata().getNamespace(),
          policy.getMetadata().getName(), plan.create().size(), plan.replace().size(), plan.delete().size());
    }
    Summary summary = Summary.of(plan, mine);
    Duration recheck = summary.allReady() ? untilDue : min(ROLLOUT_REFRESH, untilDue);
    // The last listing failed: the children it found before are kept (and put back), and Ready
    // says why the listing failed.
    Problem verdict = scan.failure() != null ? problem(scan.failure().reason().name(), scan.failure().message())
        : summary.verdict(plan);
    return finish(client, policy, verdict, scan, summary.notReady(), now,
        cachesAgree ? recheck : min(CACHE_WAIT, recheck), plan, summary);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** One ListBuckets run (all pages) of the account. */
  private AccountListings.Attempt list(Account account) {
    BucketAddress address;
    URI endpoint = account.settings().endpoint();
    try {
      // The observer lists (the root keys only for an account that names none).
      address = BucketAddress.account(endpoint, account.settings().region(), signers.reader(
          account.settings().observer(), account.settings().credentials(), endpoint, account.settings().region(),
          account.id()));
    } catch (SecretProblem e) {
      Verdict failure = FailureVerdicts.fromSecret(e, Signers.purpose(account.settings().observer() == null
          ? Signer.Role.ROOT : Signer.Role.OBSERVER), null);
      return AccountListings.Attempt.failed(failure);
    }
    try {
      return AccountListings.Attempt.listed(lister.listBuckets(address));
    } catch (BucketStoreException e) {
      Verdict mapped = FailureVerdicts.fromS3(e, "ListBuckets", address, null, null);
      String advice = e.kind() == S3ErrorKind.LISTING_TOO_LARGE ? FailureVerdicts.listingTooLargeAdvice()
          : address.signer().describe() + " needs s3:ListAllMyBuckets.";
      Verdict failure = Verdict.problem(mapped.reason(), "ListBuckets on " + address.describe() + " failed: "
          + e.getMessage() + ". " + advice + " The children are unchanged; the account is listed again in "
          + Durations.format(AccountListings.RETRY) + ".", null);
      return AccountListings.Attempt.failed(failure);
    }
  }

  /**
   * The resources that manage {@code bucket} in the policy's stead: not its children, bound by
   * Tenancy (a namespace may use their account for the bucket), on the account's endpoint, writing
   * (Enforce), with evidence that they can read the bucket (their last read succeeded), and either
   * in the policy's own namespace (the team's explicit choice) or older than the policy's child for
   * the bucket (the ordinary rule; a bucket without a child yet has none). Anything less would let a
   * user of any namespace pull a bucket out of the policy by naming it.
   */
  private List<BucketProtection> managers(BucketProtectionPolicy policy, String bucket, String endpointIdentity) {
    String key = endpointIdentity + "/" + bucket;
    List<BucketProtection> named = protections.byBucket(bucket);
    Optional<BucketProtection> child = named.stream().filter(bp -> PolicyPlan.isChild(policy, bp))
        .min(BucketOwnership.AGE);
    return named.stream()
        .filter(bp -> !PolicyPlan.isChild(policy, bp))
        .filter(bp -> Objects.equals(bp.getMetadata().getNamespace(), policy.getMetadata().getNamespace())
            || child.isEmpty() || BucketOwnership.AGE.compare(bp, child.get()) < 0)
        .filter(bp -> {
          try {
            Tenancy.Binding binding = Tenancy.bind(bp, SpecValidator.validate(bp, config), tenancy, config);
            return binding.desired() != null && binding.desired().writes()
                && key.equals(ownership.key(binding.desired())) && ownership.hasEvidence(bp, binding.desired());
          } catch (InvalidSpecException e) {
            return false;
          }
        })
        .toList();
  }

  /** Carries the plan out; a write the API server refuses is named in the result, and the others go on. */
  private static List<String> apply(KubernetesClient client, PolicyPlan plan) {
    List<String> failed = new ArrayList<>();
    for (BucketProtection child : plan.create()) {
      try {
        client.resource(child).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          failed.add("creating " + child.getMetadata().getName() + ": " + ServerText.clean(e.getMessage(), 300));
        }
      }
    }
    for (BucketProtection child : plan.replace()) {
      try {
        try {
          putBack(client, child);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409) {
            throw e;
          }
          // Its controller patched the child's status between the read and the patch: read again.
          putBack(client, child);
        }
      } catch (KubernetesClientException e) {
        failed.add("putting back " + child.getMetadata().getName() + ": " + ServerText.clean(e.getMessage(), 300));
      }
    }
    for (BucketProtection child : plan.delete()) {
      try {
        client.resource(child).delete();
      } catch (KubernetesClientException e) {
        failed.add("deleting " + child.getMetadata().getName() + ": " + ServerText.clean(e.getMessage(), 300));
      }
    }
    return failed;
  }

  /** A patch of what the policy decides (spec, label, owner, no weakening key): the child's status stays. */
  private static void putBack(KubernetesClient client, BucketProtection child) {
    client.resources(BucketProtection.class).inNamespace(child.getMetadata().getNamespace())
        .withName(child.getMetadata().getName()).edit(current -> {
          current.setSpec(child.getSpec());
          Map<String, String> labels = new HashMap<>(Objects.requireNonNullElse(current.getMetadata().getLabels(),
              Map.of()));
          labels.putAll(child.getMetadata().getLabels());
          current.getMetadata().setLabels(labels);
          if (current.getMetadata().getAnnotations() != null) {
            Map<String, String> annotations = new HashMap<>(current.getMetadata().getAnnotations());
            annotations.remove(Tenancy.ALLOW_WEAKENING);
            current.getMetadata().setAnnotations(annotations);
          }
          current.getMetadata().setOwnerReferences(child.getMetadata().getOwnerReferences());
          return current;
        });
  }

  @Override
  public DeleteControl cleanup(BucketProtectionPolicy policy, Context<BucketProtectionPolicy> context) {
    // Only the children: each bucket keeps its versioning and MFA Delete as they are.
    List<BucketProtection> mine = protections.inNamespace(policy.getMetadata().getNamespace(),
        bp -> PolicyPlan.isChild(policy, bp));
    mine.forEach(child -> context.getClient().resource(child).delete());
    listings.forget(policy.getMetadata().getUid());
    LOG.info("{}/{} deleted: {} children deleted, no bucket touched", policy.getMetadata().getNamespace(),
        policy.getMetadata().getName(), mine.size());
    return DeleteControl.defaultDelete();
  }

  private record Problem(String reason, String message) {
  }

  private static Problem problem(String reason, String message) {
    return new Problem(reason, message);
  }

  /** The children summed up. */
  record Summary(int ready, Map<String, Integer> byReason, List<String> notReady, boolean stalled) {

    static Summary of(PolicyPlan plan, List<BucketProtection> children) {
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
      return new Summary(ready, byReason, notReady, ready < plan.keep().size() && !moving);
    }

    boolean allReady() {
      return notReady.isEmpty();
    }

    Problem verdict(PolicyPlan plan) {
      int total = plan.keep().size();
      if (allReady()) {
        return new Problem("AllProtected", total + " of " + total + " children are Ready"
            + (plan.leftToOthers().isEmpty() ? "" : "; " + plan.leftToOthers().size() + " matching buckets are left"
            + " to other resources (status.leftToOthers)") + ".");
      }
      return new Problem("ChildrenNotReady", (total - ready) + " of " + total + " children are not Ready (status"
          + ".notReady, status.byReason); "
          + (stalled ? "each waits for a person: see its own Ready condition." : "the operator is still working on"
          + " them."));
    }

    private static String readyReason(BucketProtection child) {
      return Conditions.find(child.getStatus().getConditions(), Conditions.READY).map(Condition::getReason)
          .orElse(null);
    }

    private static String readyStatus(BucketProtection child) {
      return Conditions.find(child.getStatus().getConditions(), Conditions.READY).map(Condition::getStatus)
          .orElse(null);
    }

    private static boolean reconciling(String reason) {
      try {
        return Reason.valueOf(reason).reconciling();
      } catch (IllegalArgumentException e) {
        return true;
      }
    }
  }

  private UpdateControl<BucketProtectionPolicy> finish(KubernetesClient client, BucketProtectionPolicy policy,
      Problem problem, AccountListings.Listing scan, List<String> notReady, Instant now, Duration recheck) {
    return finish(client, policy, problem, scan, notReady, now, recheck, null, null);
  }

  private UpdateControl<BucketProtectionPolicy> finish(KubernetesClient client, BucketProtectionPolicy policy,
      Problem problem, AccountListings.Listing scan, List<String> notReady, Instant now, Duration recheck,
      PolicyPlan plan, Summary summary) {
    long generation = Objects.requireNonNullElse(policy.getMetadata().getGeneration(), 0L);
    BucketProtectionPolicyStatus previous = policy.getStatus();
    BucketProtectionPolicyStatus next = new BucketProtectionPolicyStatus();
    next.setObservedGeneration(generation);
    boolean ready = "AllProtected".equals(problem.reason());
    boolean moving = summary != null && "ChildrenNotReady".equals(problem.reason()) && !summary.stalled();
    List<Condition> conditions = Conditions.with(previous == null ? null : previous.getConditions(),
        Conditions.READY, ready ? "True" : "False", problem.reason(), problem.message(), generation, now);
    conditions = Conditions.abnormalTrue(conditions, Conditions.RECONCILING, moving, problem.reason(),
        problem.message(), generation, now);
    conditions = Conditions.abnormalTrue(conditions, Conditions.STALLED, !ready && !moving, problem.reason(),
        problem.message(), generation, now);
    next.setConditions(conditions);
    if (plan != null) {
      next.setMatched(plan.matched());
      next.setReady(summary.ready());
      next.setByReason(summary.byReason());
      next.setNotReady(notReady);
      next.setLeftToOthers(plan.leftToOthers().stream().limit(BucketProtectionPolicyStatus.MAX_NAMED).toList());
    } else if (previous != null) {
      // Covering nothing new, but what was counted is still the truth about the children.
      next.setMatched(previous.getMatched());
      next.setReady(previous.getReady());
      next.setByReason(previous.getByReason());
      next.setNotReady(previous.getNotReady());
      next.setLeftToOthers(previous.getLeftToOthers());
    }
    next.setLastScan(scan == null ? (previous == null ? null : previous.getLastScan())
        : scan.failure() == null ? scan.outcome() : scan.outcome() + ": " + scan.failure().message());
    UpdateControl<BucketProtectionPolicy> control;
    if (next.sameApartFromScanTime(previous)) {
      // A scan that found nothing new: no write (lastScanTime says when the status last changed).
      control = UpdateControl.noUpdate();
    } else {
      next.setLastScanTime(scan != null ? scan.at().truncatedTo(ChronoUnit.SECONDS).toString()
          : previous == null ? null : previous.getLastScanTime());
      // The whole status in one JSON patch op ("add" replaces it): unlike a diff against the
      // object this reconcile was given, it cannot fail on a map key that object still had.
      client.resources(BucketProtectionPolicy.class).inNamespace(policy.getMetadata().getNamespace())
          .withName(policy.getMetadata().getName()).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
              Map.of("op", "add", "path", "/status", "value", next))));
      control = UpdateControl.noUpdate();
    }
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }
}

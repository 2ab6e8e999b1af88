package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.BucketProtectionPolicyStatus;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.reconcile.BucketOwnership;
import io.bucketprotection.operator.reconcile.EndpointSlots;
import io.bucketprotection.operator.reconcile.ProtectionIndex;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.S3Endpoints;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.PolicyValidator;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Keeps each BucketProtectionPolicy's children: uses its account's listing (one per account per
 * interval, shared by the account's policies: {@link AccountListings}; it takes a slot of the
 * endpoint like any S3 call), creates a child per covered bucket, puts back a child edited by
 * hand, deletes a child whose bucket is gone or no longer covered, and sums the children up in
 * the policy's status. Between scans a child's change (edited, deleted) is answered from the last
 * listing, without S3. Deleting the policy deletes its children (a finalizer: a test API server
 * may have no garbage collector); a bucket is never touched here. Only the JOSDK glue is here: the
 * steps are {@link AccountLister}, {@link PolicyPlan}, {@link BucketManagers}, {@link ChildWriter},
 * {@link ChildSummary} and {@link PolicyStatusBuilder}.
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
  private final ProtectionIndex protections;
  private final AccountLister listings;
  private final BucketManagers managers;
  private final Clock clock;

  /**
   * @param protections the BucketProtection controller's cache: children and hand-made resources
   * @param ownership the BucketProtection controller's record of who could read its bucket
   * @param endpointSlots each endpoint's share of threads: a listing takes a slot like any S3 call
   */
  public PolicyReconciler(OperatorConfig config, Tenancy.View tenancy, Signers signers, BucketLister lister,
      ProtectionIndex protections, BucketOwnership ownership, EndpointSlots endpointSlots, Clock clock) {
    this.config = config;
    this.tenancy = tenancy;
    this.protections = protections;
    this.listings = new AccountLister(signers, lister, endpointSlots);
    this.managers = new BucketManagers(config, tenancy, protections, ownership);
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

  /** Validate, bind the account, take the account's listing, plan, apply, publish. */
  @Override
  public UpdateControl<BucketProtectionPolicy> reconcile(BucketProtectionPolicy policy,
      Context<BucketProtectionPolicy> context) {
    Instant now = clock.instant();
    if (!protections.ready()) {
      // Until the BucketProtection cache is filled, every bucket would look unclaimed.
      return UpdateControl.<BucketProtectionPolicy>noUpdate().rescheduleAfter(CACHE_WAIT);
    }
    PolicyValidator.Policy valid;
    try {
      valid = PolicyValidator.validate(policy, config);
    } catch (InvalidSpecException e) {
      return publish(context.getClient(), policy, PolicyVerdict.invalid(e), now, null);
    }
    Tenancy.AccountBinding bound = Tenancy.bindAccount(policy.getMetadata().getNamespace(), valid.account(), null,
        tenancy, config);
    if (bound.refusal() != null) {
      return publish(context.getClient(), policy, PolicyVerdict.refused(bound.refusal()), now, REFUSED_RECHECK);
    }
    Account account = bound.account();
    AccountListings.Answer answer = listings.listing(policy.getMetadata().getUid(), account, valid.scanInterval(),
        now);
    if (answer.busy()) {
      return UpdateControl.<BucketProtectionPolicy>noUpdate().rescheduleAfter(LISTING_BUSY_RETRY.toMillis()
          + ThreadLocalRandom.current().nextLong(LISTING_BUSY_RETRY.toMillis()));
    }
    AccountListings.Listing scan = answer.listing();
    Duration untilDue = answer.untilDue(now);
    if (scan.buckets() == null) {
      return publish(context.getClient(), policy, PolicyVerdict.listingFailed(scan), now, untilDue);
    }
    Children children = children(policy, context);
    String endpointIdentity = S3Endpoints.identity(account.settings().endpoint(), config.defaultRegion());
    PolicyPlan plan = PolicyPlan.plan(policy, valid, account, scan.buckets(), children.all(),
        bucket -> managers.of(policy, bucket, endpointIdentity));
    List<String> refused = ChildWriter.apply(context.getClient(), plan);
    if (!refused.isEmpty()) {
      return publish(context.getClient(), policy, PolicyVerdict.writesRefused(scan, refused, REFUSED_RECHECK), now,
          REFUSED_RECHECK);
    }
    logWrites(policy, plan);
    ChildSummary summary = ChildSummary.of(plan, children.all());
    Duration recheck = summary.allReady() ? untilDue : min(ROLLOUT_REFRESH, untilDue);
    return publish(context.getClient(), policy, PolicyVerdict.children(scan, summary), now,
        children.cachesAgree() ? recheck : min(CACHE_WAIT, recheck));
  }

  /** A policy's children, and whether the two caches they are read from agree. */
  private record Children(List<BucketProtection> all, boolean cachesAgree) {
  }

  /**
   * The children from the BucketProtection cache, each replaced by the copy the event that brought
   * this reconcile came through, where that informer has one: the two caches can be a moment apart,
   * and a look while they disagree is repeated at once.
   */
  private Children children(BucketProtectionPolicy policy, Context<BucketProtectionPolicy> context) {
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
    return new Children(List.copyOf(byName.values()), cachesAgree);
  }

  private static void logWrites(BucketProtectionPolicy policy, PolicyPlan plan) {
    if (!plan.writesNothing()) {
      LOG.info("{}/{}: {} children created, {} put back, {} deleted", policy.getMetadata().getNamespace(),
          policy.getMetadata().getName(), plan.create().size(), plan.replace().size(), plan.delete().size());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Writes the status the verdict makes, when it differs apart from the scan time (a scan that found
   * nothing new costs no write), and looks again after {@code recheck} (null: JOSDK's default).
   */
  private static UpdateControl<BucketProtectionPolicy> publish(KubernetesClient client,
      BucketProtectionPolicy policy, PolicyVerdict verdict, Instant now, Duration recheck) {
    long generation = Objects.requireNonNullElse(policy.getMetadata().getGeneration(), 0L);
    BucketProtectionPolicyStatus next = PolicyStatusBuilder.next(policy.getStatus(), generation, verdict, now);
    if (!next.sameApartFromScanTime(policy.getStatus())) {
      // The whole status in one JSON patch op ("add" replaces it): unlike a diff against the
      // object this reconcile was given, it cannot fail on a map key that object still had.
      client.resources(BucketProtectionPolicy.class).inNamespace(policy.getMetadata().getNamespace())
          .withName(policy.getMetadata().getName()).subresource("status")
          .patch(PatchContext.of(PatchType.JSON), Serialization.asJson(List.of(
              Map.of("op", "add", "path", "/status", "value", next))));
    }
    UpdateControl<BucketProtectionPolicy> control = UpdateControl.noUpdate();
    return recheck == null ? control : control.rescheduleAfter(recheck);
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
    Finalizer.remove(context.getClient(), policy, context.getControllerConfiguration().getFinalizerName());
    return DeleteControl.noFinalizerRemoval();
  }
}

package io.bucketprotection.operator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicyStatus;
import io.bucketprotection.operator.api.BucketProtectionStatus;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketLister.ListedBucket;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.UnsupportedFieldsException;
import io.bucketprotection.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A policy's status as a table whose cases are sentences: the previous status, how the reconcile
 * ended (its children summed up, or why it stopped), and what the next status must say. Pure: no
 * API server, no S3.
 */
class PolicyStatusBuilderTest {

  private static final Instant EARLIER = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant NOW = Instant.parse("2026-12-07T06:00:00.750Z");
  private static final long GENERATION = 3;

  /** One case: the last status (null: none yet), the verdict, and what the next status must say. */
  record Case(BucketProtectionPolicyStatus previous, PolicyVerdict verdict, Consumer<BucketProtectionPolicyStatus> next) {
  }

  @TestFactory
  List<DynamicTest> nextStatus() {
    Map<String, Case> cases = new LinkedHashMap<>();
    cases.put("a policy whose children are all Ready is Ready with AllProtected, neither Reconciling nor Stalled",
        new Case(null, summed(scan(), children(3, ready("a"), ready("b"), ready("c"))), s -> {
          assertKstatus(s, "True", "AllProtected", false, false);
          assertEquals("3 of 3 children are Ready.", ready(s).getMessage());
          assertEquals(3, s.getMatched());
          assertEquals(3, s.getReady());
          assertEquals(Map.of("InSync", 3), s.getByReason());
          assertEquals(List.of(), s.getNotReady());
          assertEquals("Succeeded", s.getLastScan());
          assertEquals("2026-12-07T05:59:00Z", s.getLastScanTime());
          assertEquals(GENERATION, s.getObservedGeneration());
        }));
    cases.put("buckets left to other resources are counted in AllProtected's message and named in leftToOthers",
        new Case(null, summed(scan(), children(1, List.of("x (a BucketProtection in another namespace)"),
            ready("a"))), s -> {
              assertKstatus(s, "True", "AllProtected", false, false);
              assertEquals("1 of 1 children are Ready; 1 matching buckets are left to other resources"
                  + " (status.leftToOthers).", ready(s).getMessage());
              assertEquals(List.of("x (a BucketProtection in another namespace)"), s.getLeftToOthers());
              assertEquals(2, s.getMatched());
            }));
    cases.put("children converging: Ready False with ChildrenNotReady, Reconciling True, not Stalled",
        new Case(null, summed(scan(), children(3, ready("a"), child("b", "Unknown", "WaitingForMfaWindow"),
            pending("c"))), s -> {
              assertKstatus(s, "False", "ChildrenNotReady", true, false);
              assertEquals("2 of 3 children are not Ready (status.notReady, status.byReason); the operator is still"
                  + " working on them.", ready(s).getMessage());
              assertEquals(1, s.getReady());
              assertEquals(Map.of("InSync", 1, "WaitingForMfaWindow", 1, "Pending", 1), s.getByReason());
              assertEquals(List.of("b", "c"), s.getNotReady());
            }));
    cases.put("children that each wait for a person: ChildrenNotReady and Stalled, not Reconciling",
        new Case(null, summed(scan(), children(2, ready("a"), child("b", "False", "SecretNotFound"))), s -> {
          assertKstatus(s, "False", "ChildrenNotReady", false, true);
          assertTrue(ready(s).getMessage().endsWith("each waits for a person: see its own Ready condition."));
        }));
    cases.put("a child with a reason this version does not know is taken as converging",
        new Case(null, summed(scan(), children(1, child("a", "False", "SomethingNew"))),
            s -> assertKstatus(s, "False", "ChildrenNotReady", true, false)));
    cases.put("only the first 20 children not Ready and the first 20 buckets left to others are named",
        new Case(null, summed(scan(), children(25, IntStream.range(0, 25).mapToObj(i -> "left-" + i).toList(),
            IntStream.range(0, 25).mapToObj(i -> child(String.format("c%02d", i), "False", "AccessDenied"))
                .toArray(BucketProtection[]::new))), s -> {
                  assertEquals(20, s.getNotReady().size());
                  assertEquals("c00", s.getNotReady().get(0));
                  assertEquals(20, s.getLeftToOthers().size());
                  assertEquals(Map.of("AccessDenied", 25), s.getByReason());
                }));
    cases.put("a refused account: Ready False with Tenancy's reason, Stalled, and the last status's counts kept",
        new Case(counted(), PolicyVerdict.refused(Verdict.problem(Reason.NamespaceNotAllowed,
            "The ClusterS3Account shared does not admit namespace team. Nothing was read or written.", null)), s -> {
              assertKstatus(s, "False", "NamespaceNotAllowed", false, true);
              assertEquals("The ClusterS3Account shared does not admit namespace team. The policy covers nothing"
                  + " until then (its existing children are left as they are).", ready(s).getMessage());
              assertCountsKept(s);
              assertEquals("Succeeded", s.getLastScan());
              assertEquals("2026-12-01T10:00:00Z", s.getLastScanTime());
            }));
    cases.put("an invalid spec: InvalidSpec and Stalled, and the message says the children are left as they are",
        new Case(null, PolicyVerdict.invalid(new InvalidSpecException("spec.scanInterval is not a duration.")), s -> {
          assertKstatus(s, "False", "InvalidSpec", false, true);
          assertEquals("spec.scanInterval is not a duration. Correct the spec; the policy's children are left as"
              + " they are until then.", ready(s).getMessage());
          assertNull(s.getMatched());
          assertNull(s.getLastScan());
          assertNull(s.getLastScanTime());
        }));
    cases.put("fields this version does not know: UnsupportedField with the exception's own message",
        new Case(null, PolicyVerdict.invalid(new UnsupportedFieldsException("spec.future is not known.")),
            s -> {
              assertKstatus(s, "False", "UnsupportedField", false, true);
              assertEquals("spec.future is not known.", ready(s).getMessage());
            }));
    cases.put("a failed listing keeps the last status's counts, says why in Ready and lastScan, and is Stalled",
        new Case(counted(), PolicyVerdict.listingFailed(failedScan(null)), s -> {
          assertKstatus(s, "False", "EndpointUnreachable", false, true);
          assertEquals("ListBuckets failed: no answer.", ready(s).getMessage());
          assertCountsKept(s);
          assertEquals("Failed: EndpointUnreachable: ListBuckets failed: no answer.", s.getLastScan());
          assertEquals("2026-12-07T05:59:00Z", s.getLastScanTime());
        }));
    cases.put("a failed listing after a good one: the children it found are counted, Ready carries the listing's"
        + " reason", new Case(null, summed(failedScan(List.of(new ListedBucket("a", "us-east-1"))),
            children(1, ready("a"))), s -> {
              assertKstatus(s, "False", "EndpointUnreachable", false, true);
              assertEquals(1, s.getReady());
              assertEquals(1, s.getMatched());
            }));
    cases.put("child writes the API server refused: ChildWriteFailed, Stalled, counts kept, the first refusal named",
        new Case(counted(), PolicyVerdict.writesRefused(scan(), List.of("creating a: denied", "deleting b: denied"),
            Duration.ofSeconds(30)), s -> {
              assertKstatus(s, "False", "ChildWriteFailed", false, true);
              assertEquals("2 of the policy's child writes were refused by the API server; the first: creating a:"
                  + " denied The policy tries again in 30s.", ready(s).getMessage());
              assertCountsKept(s);
            }));
    cases.put("a scan that finds nothing new makes the same status, lastScanTime and lastTransitionTime included",
        new Case(allProtected(), summed(scan(), children(1, ready("a"))), s -> {
          assertEquals(json(allProtected()), json(s));
          assertEquals("2026-12-01T10:00:00Z", ready(s).getLastTransitionTime());
        }));
    cases.put("Ready flipping to False moves its lastTransitionTime to now and adds Reconciling",
        new Case(allProtected(), summed(scan(), children(2, ready("a"))), s -> {
          assertKstatus(s, "False", "ChildrenNotReady", true, false);
          assertEquals("2026-12-07T06:00:00Z", ready(s).getLastTransitionTime());
          assertEquals("2026-12-07T05:59:00Z", s.getLastScanTime());
        }));
    List<DynamicTest> tests = new ArrayList<>();
    cases.forEach((sentence, c) -> tests.add(DynamicTest.dynamicTest(sentence, () -> {
      String before = json(c.previous());
      c.next().accept(PolicyStatusBuilder.next(c.previous(), GENERATION, c.verdict(), NOW));
      assertEquals(before, json(c.previous()), "the previous status is not changed");
    })));
    return tests;
  }

  private static PolicyVerdict summed(AccountListings.Listing scan, ChildSummary children) {
    return PolicyVerdict.children(scan, children);
  }

  private static AccountListings.Listing scan() {
    return new AccountListings.Listing(List.of(new ListedBucket("a", "us-east-1")), 1,
        Instant.parse("2026-12-07T05:59:00.400Z"), null);
  }

  private static AccountListings.Listing failedScan(List<ListedBucket> before) {
    return new AccountListings.Listing(before, 0, Instant.parse("2026-12-07T05:59:00.400Z"),
        Verdict.problem(Reason.EndpointUnreachable, "ListBuckets failed: no answer.", null));
  }

  /** The children of a plan that keeps {@code keep} of them (the first ones given, then names of missing ones). */
  private static ChildSummary children(int keep, BucketProtection... children) {
    return children(keep, List.of(), children);
  }

  private static ChildSummary children(int keep, List<String> leftToOthers, BucketProtection... children) {
    Set<String> names = new HashSet<>();
    for (BucketProtection child : children) {
      names.add(child.getMetadata().getName());
    }
    for (int i = 0; names.size() < keep; i++) {
      names.add("missing-" + i);
    }
    PolicyPlan plan = new PolicyPlan(List.of(), List.of(), List.of(), keep + leftToOthers.size(), leftToOthers,
        names);
    return ChildSummary.of(plan, List.of(children));
  }

  private static BucketProtection ready(String name) {
    return child(name, "True", "InSync");
  }

  private static BucketProtection child(String name, String status, String reason) {
    BucketProtection child = pending(name);
    BucketProtectionStatus childStatus = new BucketProtectionStatus();
    childStatus.setConditions(List.of(new ConditionBuilder().withType(Conditions.READY).withStatus(status)
        .withReason(reason).withMessage("m").build()));
    child.setStatus(childStatus);
    return child;
  }

  /** A child without a status yet. */
  private static BucketProtection pending(String name) {
    BucketProtection child = new BucketProtection();
    child.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("team").build());
    return child;
  }

  /** A status a good scan wrote earlier: 4 matched, 3 Ready. */
  private static BucketProtectionPolicyStatus counted() {
    BucketProtectionPolicyStatus status = new BucketProtectionPolicyStatus();
    status.setObservedGeneration(GENERATION);
    status.setConditions(Conditions.kstatus(null, "False", true, false, "ChildrenNotReady", "1 of 4", GENERATION,
        EARLIER));
    status.setMatched(4);
    status.setReady(3);
    status.setByReason(Map.of("InSync", 3, "Pending", 1));
    status.setNotReady(List.of("d"));
    status.setLeftToOthers(List.of("e (a BucketProtection in another namespace)"));
    status.setLastScan("Succeeded");
    status.setLastScanTime("2026-12-01T10:00:00Z");
    return status;
  }

  /** What an earlier scan of one Ready child wrote. */
  private static BucketProtectionPolicyStatus allProtected() {
    BucketProtectionPolicyStatus status = new BucketProtectionPolicyStatus();
    status.setObservedGeneration(GENERATION);
    status.setConditions(Conditions.kstatus(null, "True", false, false, "AllProtected", "1 of 1 children are Ready.",
        GENERATION, EARLIER));
    status.setMatched(1);
    status.setReady(1);
    status.setByReason(Map.of("InSync", 1));
    status.setNotReady(List.of());
    status.setLeftToOthers(List.of());
    status.setLastScan("Succeeded");
    status.setLastScanTime("2026-12-01T10:00:00Z");
    return status;
  }

  private static String json(BucketProtectionPolicyStatus status) {
    return Serialization.asJson(status);
  }

  private static void assertCountsKept(BucketProtectionPolicyStatus s) {
    BucketProtectionPolicyStatus before = counted();
    assertEquals(before.getMatched(), s.getMatched());
    assertEquals(before.getReady(), s.getReady());
    assertEquals(before.getByReason(), s.getByReason());
    assertEquals(before.getNotReady(), s.getNotReady());
    assertEquals(before.getLeftToOthers(), s.getLeftToOthers());
  }

  private static Condition ready(BucketProtectionPolicyStatus s) {
    return Conditions.find(s.getConditions(), Conditions.READY).orElseThrow();
  }

  private static void assertKstatus(BucketProtectionPolicyStatus s, String ready, String reason, boolean reconciling,
      boolean stalled) {
    assertEquals(ready, ready(s).getStatus(), "Ready");
    assertEquals(reason, ready(s).getReason(), "Ready's reason");
    assertEquals(reconciling, Conditions.find(s.getConditions(), Conditions.RECONCILING).isPresent(), "Reconciling");
    assertEquals(stalled, Conditions.find(s.getConditions(), Conditions.STALLED).isPresent(), "Stalled");
    for (Condition c : s.getConditions()) {
      assertEquals(reason, c.getReason(), c.getType() + " carries Ready's reason");
      assertEquals(GENERATION, c.getObservedGeneration(), c.getType() + "'s observedGeneration");
      if (!Conditions.READY.equals(c.getType())) {
        assertEquals("True", c.getStatus(), c.getType() + " is only ever True");
      }
    }
    assertFalse(reconciling && stalled);
  }
}

package io.bucketprotection.operator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.BucketGlob;
import io.bucketprotection.operator.spec.InvalidSpecException;
import io.bucketprotection.operator.spec.PolicyValidator;
import io.bucketprotection.operator.s3.BucketLister.ListedBucket;
import io.bucketprotection.operator.testsupport.Resources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The pure part of a policy: which children it wants, and its validation, with no API server and no S3. */
class PolicyPlanTest {

  private static final OperatorConfig CONFIG = OperatorConfig.fromEnvironment(Map.of());
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private static BucketProtectionPolicy policy(List<String> include, List<String> exclude) {
    BucketProtectionPolicy policy = PolicyMockApiTest.policy("team", "logs", include, exclude);
    policy.getMetadata().setUid("policy-uid-1");
    return policy;
  }

  private static Account account(String... globs) {
    return new Account(AccountId.cluster("root"), new AccountSettings(null, null, null, null, null),
        List.of(globs).stream().map(BucketGlob::parse).toList(), false, null);
  }

  private static List<ListedBucket> listed(String... names) {
    return List.of(names).stream().map(n -> new ListedBucket(n, null)).toList();
  }

  private static PolicyPlan plan(BucketProtectionPolicy policy, Account account, List<ListedBucket> listed,
      List<BucketProtection> children, List<BucketProtection> others) throws InvalidSpecException {
    List<BucketProtection> all = new ArrayList<>(children);
    all.addAll(others);
    return PolicyPlan.plan(policy, PolicyValidator.validate(policy, CONFIG), account, listed, children,
        bucket -> all.stream().filter(bp -> bucket.equals(bp.getSpec().getBucket())).toList());
  }

  private static List<String> buckets(List<BucketProtection> children) {
    return children.stream().map(c -> c.getSpec().getBucket()).sorted().toList();
  }

  @Test
  void coversWhatTheSelectorAndTheAccountBothAdmit() throws Exception {
    PolicyPlan plan = plan(policy(List.of("acme-*-logs", "zeta-logs"), List.of("acme-x-*")), account("acme-*"),
        listed("acme-a-logs", "acme-x-logs", "acme-a-data", "zeta-logs", "acme-b-logs"), List.of(), List.of());
    assertEquals(List.of("acme-a-logs", "acme-b-logs"), buckets(plan.create()));
    assertEquals(2, plan.matched());
    assertTrue(plan.replace().isEmpty() && plan.delete().isEmpty());
  }

  @Test
  void aChildIsTheTemplateNamedLabelledOwnedAndNeverAllowedToWeaken() throws Exception {
    BucketProtectionPolicy policy = policy(List.of("*"), null);
    policy.getSpec().getTemplate().setMfaDelete("Enabled");
    PolicyPlan plan = plan(policy, account("*"), List.of(new ListedBucket("acme.eu.logs", "eu-west-1")), List.of(),
        List.of());
    BucketProtection child = plan.create().get(0);
    assertEquals("team", child.getMetadata().getNamespace());
    assertEquals(Map.of(BucketProtectionPolicy.POLICY_LABEL, "logs"), child.getMetadata().getLabels());
    assertEquals("policy-uid-1", child.getMetadata().getOwnerReferences().get(0).getUid());
    assertEquals(true, child.getMetadata().getOwnerReferences().get(0).getController());
    assertTrue(child.getMetadata().getAnnotations() == null || child.getMetadata().getAnnotations().isEmpty());
    assertEquals("Enabled", child.getSpec().getMfaDelete());
    assertEquals("eu-west-1", child.getSpec().getRegion(), "the region ListBuckets gave");
    assertEquals("fleet-root", child.getSpec().getAccountRef().getName());
    assertTrue(PolicyPlan.isChild(policy, child));
  }

  @Test
  void namesAreValidBoundedDeterministicAndDistinct() {
    Set<String> names = new HashSet<>();
    List<String> buckets = List.of("a.b", "a-b", "x".repeat(63), "x".repeat(62) + "y", "1.2.3.example.com",
        "abc", "abc-");
    for (String bucket : buckets) {
      String name = ChildNames.of("logs", bucket);
      assertTrue(name.length() <= 63, name);
      assertTrue(DNS_LABEL.matcher(name).matches(), name);
      assertEquals(name, ChildNames.of("logs", bucket), "deterministic");
      names.add(name);
    }
    assertEquals(buckets.size(), names.size(), "distinct: " + names);
    assertTrue(!ChildNames.of("logs", "abc").equals(ChildNames.of("metrics", "abc")), "per policy");
  }

  @Test
  void aBucketAnotherResourceNamesIsLeftToIt() throws Exception {
    BucketProtection hand = Resources.protection("team", "hand", "acme-a-logs", "Suspended");
    PolicyPlan plan = plan(policy(List.of("*"), null), account("*"), listed("acme-a-logs", "acme-b-logs"), List.of(),
        List.of(hand));
    assertEquals(List.of("acme-b-logs"), buckets(plan.create()));
    assertEquals(List.of("acme-a-logs (BucketProtection team/hand)"), plan.leftToOthers());
    assertEquals(2, plan.matched());
  }

  @Test
  void anEditedChildIsPutBackAndAnUntouchedOneIsLeft() throws Exception {
    BucketProtectionPolicy policy = policy(List.of("*"), null);
    List<BucketProtection> children = plan(policy, account("*"), listed("a-logs", "b-logs", "c-logs", "d-logs"),
        List.of(), List.of()).create();
    children.forEach(c -> c.getMetadata().setResourceVersion("7"));
    children.get(0).getSpec().setVersioning("Suspended");
    children.get(1).getMetadata().setAnnotations(Map.of("bucketprotection.io/allow-weakening", "b-logs"));
    children.get(2).getMetadata().setLabels(Map.of("bucketprotection.io/policy", "other"));
    PolicyPlan plan = plan(policy, account("*"), listed("a-logs", "b-logs", "c-logs", "d-logs"), children, List.of());
    assertEquals(List.of("a-logs", "b-logs", "c-logs"), buckets(plan.replace()));
    assertEquals("Enabled", plan.replace().get(0).getSpec().getVersioning());
    assertTrue(plan.create().isEmpty() && plan.delete().isEmpty());
  }

  @Test
  void aChildWhoseBucketIsGoneOrNoLongerCoveredIsDeleted() throws Exception {
    BucketProtectionPolicy policy = policy(List.of("*-logs"), null);
    List<BucketProtection> children = plan(policy, account("*"), listed("a-logs", "b-logs", "c-logs"), List.of(),
        List.of()).create();
    policy.getSpec().getSelector().setExclude(List.of("c-*"));
    PolicyPlan plan = plan(policy, account("*"), listed("a-logs", "c-logs"), children, List.of());
    assertEquals(List.of("b-logs", "c-logs"), buckets(plan.delete()));
    assertTrue(plan.create().isEmpty() && plan.replace().isEmpty());
    assertTrue(plan(policy, account("*"), listed("a-logs"), List.of(children.get(0)), List.of()).writesNothing());
  }

  @Test
  void theTemplateIsValidatedLikeABucketProtection() {
    BucketProtectionPolicy policy = policy(List.of("*"), null);
    policy.getSpec().getTemplate().setVersioning("Sometimes");
    policy.getSpec().getTemplate().setCheckInterval("1s");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> PolicyValidator.validate(policy, CONFIG));
    assertTrue(e.getMessage().contains("spec.template.versioning must be Enabled or Suspended"), e.getMessage());
    assertTrue(e.getMessage().contains("spec.template.checkInterval must be between 10s and 24h"), e.getMessage());
  }

  @Test
  void scanIntervalIsAtLeastAMinuteAndDefaultsToTen() throws Exception {
    BucketProtectionPolicy policy = policy(List.of("*"), null);
    policy.getSpec().setScanInterval("59s");
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> PolicyValidator.validate(policy, CONFIG));
    assertTrue(e.getMessage().contains("spec.scanInterval must be at least 1m"), e.getMessage());
    policy.getSpec().setScanInterval(null);
    assertEquals(java.time.Duration.ofMinutes(10), PolicyValidator.validate(policy, CONFIG).scanInterval());
  }

  @Test
  void includeIsRequiredAndGlobsAreChecked() {
    BucketProtectionPolicy policy = policy(List.of(), List.of("BAD*"));
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> PolicyValidator.validate(policy, CONFIG));
    assertTrue(e.getMessage().contains("spec.selector.include must list at least one"), e.getMessage());
    assertTrue(e.getMessage().contains("spec.selector.exclude"), e.getMessage());
  }

  @Test
  void namesAndRegionsAServerListsAreCheckedLikeInput() throws Exception {
    List<ListedBucket> listed = List.of(new ListedBucket("Bad_Name", null), new ListedBucket("x".repeat(300), null),
        new ListedBucket("192.168.1.1", null), new ListedBucket("good-logs", "EU WEST\u001b[1m"),
        new ListedBucket("fine-logs", "eu-west-1"));
    PolicyPlan plan = plan(policy(List.of("*"), null), account("*"), listed, List.of(), List.of());
    assertEquals(List.of("fine-logs", "good-logs"), buckets(plan.create()));
    assertEquals(null, plan.create().stream().filter(c -> c.getSpec().getBucket().equals("good-logs")).findFirst()
        .orElseThrow().getSpec().getRegion(), "a region no S3 has is dropped");
    assertEquals("eu-west-1", plan.create().stream().filter(c -> c.getSpec().getBucket().equals("fine-logs"))
        .findFirst().orElseThrow().getSpec().getRegion());
  }

  @Test
  void aResourceOfAnotherNamespaceIsNeverNamed() throws Exception {
    BucketProtection other = Resources.protection("other-team", "secret-project", "acme-a-logs", "Enabled");
    BucketProtection own = Resources.protection("team", "hand", "acme-b-logs", "Enabled");
    PolicyPlan plan = plan(policy(List.of("*"), null), account("*"), listed("acme-a-logs", "acme-b-logs"), List.of(),
        List.of(other, own));
    assertEquals(List.of("acme-a-logs (a BucketProtection in another namespace)",
        "acme-b-logs (BucketProtection team/hand)"), plan.leftToOthers());
  }
}

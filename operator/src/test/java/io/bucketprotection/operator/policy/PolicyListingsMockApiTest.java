package io.bucketprotection.operator.policy;

import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.ListingS3Server;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.MutableClock;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Policies share their account's listing: one ListBuckets run per account per interval (the
 * shortest scanInterval of its policies), counted at the wire by an HTTP S3 server the real AWS SDK
 * talks to. An account is the one Tenancy binds: a namespace's own S3Account on the same endpoint
 * is listed apart, with its own keys. A listing past its bound ends with ListingTooLarge and
 * changes no child. The operator's clock is moved by hand, so an interval passes at once.
 */
class PolicyListingsMockApiTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration INTERVAL = Duration.ofMinutes(1);

  private static MockKubernetes kubernetes;
  private static KubernetesClient client;
  private static ListingS3Server shared;
  private static ListingS3Server bounded;
  private static FakeBucketStore s3;
  private static AwsBucketStore lister;
  private static MutableClock clock;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() throws Exception {
    kubernetes = new MockKubernetes();
    client = kubernetes.client();
    shared = ListingS3Server.start().buckets(ListingS3Server.names("acme-", 30));
    bounded = ListingS3Server.start().buckets(ListingS3Server.names("big-", 3));
    s3 = new FakeBucketStore(java.time.Clock.systemUTC());
    ListingS3Server.names("acme-", 30).forEach(b -> s3.setState(b, S3VersioningTable.U));
    ListingS3Server.names("big-", 3).forEach(b -> s3.setState(b, S3VersioningTable.U));
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h",
        "BPO_ALLOWED_ENDPOINTS", shared.endpoint().toString()));
    lister = BucketProtectionOperator.awsBucketStore(config);
    clock = new MutableClock(Instant.parse("2026-12-07T05:00:00Z"));
    for (String namespace : List.of("fleet-a", "fleet-b", "own", "bounded", config.clusterResourceNamespace())) {
      kubernetes.ensureNamespace(namespace);
    }
    client.resource(rootKeys(config.clusterResourceNamespace(), "shared-keys", Map.of(
        "AWS_ACCESS_KEY_ID", "AKIDSHAREDACCOUNT001", "AWS_SECRET_ACCESS_KEY", "shared-secret-0123456789"))).create();
    client.resource(rootKeys("own", "own-keys", Map.of(
        "AWS_ACCESS_KEY_ID", "AKIDOWNACCOUNT000001", "AWS_SECRET_ACCESS_KEY", "own-secret-0123456789"))).create();
    operator = new OperatorHarness(client, s3, lister, config, clock);
    ClusterS3Account account = Accounts.cluster("shared", List.of("acme-*"));
    account.getSpec().setEndpoint(shared.endpoint().toString());
    account.getSpec().setCredentials(Accounts.secretRef("shared-keys"));
    account.getSpec().setNamespaces(Accounts.names("fleet-a", "fleet-b"));
    operator.awaitAccountReady(client.resource(account).create());
    ClusterS3Account big = Accounts.cluster("bounded", List.of("big-*"));
    big.getSpec().setEndpoint(bounded.endpoint().toString());
    big.getSpec().setCredentials(Accounts.secretRef("shared-keys"));
    big.getSpec().setNamespaces(Accounts.names("bounded"));
    operator.awaitAccountReady(client.resource(big).create());
    S3Account own = Accounts.namespaced("own", "own", List.of("acme-*"), "own-keys");
    own.getSpec().setEndpoint(shared.endpoint().toString());
    client.resource(own).create();
    await().atMost(TIMEOUT).until(() -> {
      S3Account now = client.resources(S3Account.class).inNamespace("own").withName("own").get();
      return now.getStatus() != null && now.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    });
  }

  @AfterAll
  static void stop() {
    operator.close();
    lister.close();
    shared.close();
    bounded.close();
    kubernetes.close();
  }

  private static BucketProtectionPolicy policyNow(String namespace, String name) {
    return client.resources(BucketProtectionPolicy.class).inNamespace(namespace).withName(name).get();
  }

  private static Condition ready(String namespace, String name) {
    BucketProtectionPolicy policy = policyNow(namespace, name);
    return policy == null || policy.getStatus() == null ? null : policy.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
  }

  private static String reason(String namespace, String name) {
    Condition ready = ready(namespace, name);
    return ready == null ? null : ready.getReason();
  }

  private static boolean observed(String namespace, String name, long generation) {
    BucketProtectionPolicy policy = policyNow(namespace, name);
    return policy.getStatus() != null && policy.getStatus().getObservedGeneration() != null
        && policy.getStatus().getObservedGeneration() >= generation;
  }

  /** Changes the spec (a new generation, reconciled at once) without changing what it covers. */
  private static long touch(String namespace, String name, String exclude) {
    return client.resources(BucketProtectionPolicy.class).inNamespace(namespace).withName(name).edit(p -> {
      p.getSpec().getSelector().setExclude(List.of(exclude));
      return p;
    }).getMetadata().getGeneration();
  }

  private record Named(String namespace, String name) {
  }

  @Test
  void policiesOfOneAccountShareOneListingPerIntervalAndAnotherAccountIsListedApart() {
    List<Named> policies = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String namespace = i % 2 == 0 ? "fleet-a" : "fleet-b";
      BucketProtectionPolicy policy = Policies.policy(namespace, "p" + i, "shared",
          List.of(String.format("acme-%05d", i)), null);
      // Most scan every minute; a few every 5 minutes: the account is listed at the shortest.
      policy.getSpec().setScanInterval(i % 5 == 0 ? "5m" : "1m");
      client.resource(policy).create();
      policies.add(new Named(namespace, "p" + i));
    }
    BucketProtectionPolicy mine = Policies.policy("own", "mine", "own", List.of("acme-00029"), null);
    mine.getSpec().setAccountRef(new AccountReference("S3Account", "own"));
    client.resource(mine).create();
    policies.add(new Named("own", "mine"));

    // Every policy has scanned and made its child (AllProtected would wait for the rollout refresh, 10 s).
    await().atMost(TIMEOUT).until(() -> policies.stream().allMatch(p -> scanned(p.namespace(), p.name(), 1)));
    await().atMost(TIMEOUT).until(() -> S3VersioningTable.E.equals(s3.state("acme-00029"))
        && java.util.stream.IntStream.range(0, 20).allMatch(i -> S3VersioningTable.E.equals(
            s3.state(String.format("acme-%05d", i)))));
    assertEquals(2, shared.listings(), "one listing for the 20 policies of the ClusterS3Account, one for the"
        + " namespace's S3Account: " + shared.listingSigners());
    assertEquals(Set.of("AKIDSHAREDACCOUNT001", "AKIDOWNACCOUNT000001"), Set.copyOf(shared.listingSigners()),
        "each account listed with its own keys");

    // Within the interval, a changed spec uses the account's listing: no request.
    List<Long> generations = policies.stream().map(p -> touch(p.namespace(), p.name(), "none-1")).toList();
    awaitObserved(policies, generations);
    assertEquals(2, shared.listings(), "a spec change within the interval lists nothing");

    // One interval later (the shortest scanInterval, 1m): one listing per account, whatever the number of policies.
    clock.set(clock.instant().plus(INTERVAL).plusSeconds(1));
    generations = policies.stream().map(p -> touch(p.namespace(), p.name(), "none-2")).toList();
    awaitObserved(policies, generations);
    assertEquals(4, shared.listings(), "one more listing per account: " + shared.listingSigners());
    assertEquals(shared.listings(), shared.requests(), "one page each");
  }

  /** The policy's status says its last listing succeeded and it covers {@code matched} buckets. */
  private static boolean scanned(String namespace, String name, int matched) {
    BucketProtectionPolicy policy = policyNow(namespace, name);
    return policy != null && policy.getStatus() != null && "Succeeded".equals(policy.getStatus().getLastScan())
        && policy.getStatus().getMatched() != null && policy.getStatus().getMatched() == matched;
  }

  private static void awaitObserved(List<Named> policies, List<Long> generations) {
    await().atMost(TIMEOUT).until(() -> {
      for (int i = 0; i < policies.size(); i++) {
        if (!observed(policies.get(i).namespace(), policies.get(i).name(), generations.get(i))) {
          return false;
        }
      }
      return true;
    });
  }

  @Test
  void aListingPastItsBoundEndsWithListingTooLargeAndKeepsEveryChild() {
    client.resource(Policies.policy("bounded", "all", "bounded", List.of("big-*"), null)).create();
    await().atMost(TIMEOUT).until(() -> scanned("bounded", "all", 3));
    Set<String> before = childBuckets("bounded");
    assertEquals(Set.of("big-00000", "big-00001", "big-00002"), before);
    await().atMost(TIMEOUT).until(() -> before.stream().allMatch(b -> S3VersioningTable.E.equals(s3.state(b))));

    // The server now paginates for ever.
    bounded.mode(ListingS3Server.Mode.ENDLESS_PAGES);
    int requests = bounded.requests();
    clock.set(clock.instant().plus(INTERVAL).plusSeconds(1));
    touch("bounded", "all", "none-1");
    await().atMost(TIMEOUT).until(() -> "ListingTooLarge".equals(reason("bounded", "all")));
    Condition ready = ready("bounded", "all");
    assertEquals("False", ready.getStatus());
    assertTrue(ready.getMessage().contains("200 pages"), ready.getMessage());
    assertTrue(ready.getMessage().contains("children are unchanged"), ready.getMessage());
    assertTrue(bounded.requests() - requests <= 200, "cut off at the page bound: " + (bounded.requests() - requests));
    assertEquals(before, childBuckets("bounded"), "no child deleted");
    before.forEach(b -> assertEquals(S3VersioningTable.E, s3.state(b), b));
  }

  private static Set<String> childBuckets(String namespace) {
    return client.resources(BucketProtection.class).inNamespace(namespace).list().getItems().stream()
        .filter(bp -> bp.getMetadata().getLabels() != null
            && bp.getMetadata().getLabels().containsKey(BucketProtectionPolicy.POLICY_LABEL))
        .map(bp -> bp.getSpec().getBucket()).filter(Objects::nonNull)
        .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
  }
}

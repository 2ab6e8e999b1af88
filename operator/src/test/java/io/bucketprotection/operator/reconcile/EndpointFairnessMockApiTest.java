package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withSeedlessMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.MfaToken;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.s3.WriteReceipt;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.BlackHoleEndpoint;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.RoutingBucketStore;
import io.bucketprotection.operator.testsupport.TokenHolder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A silent S3 endpoint (accepts connections, never answers; the real AWS SDK waits out its real
 * timeouts) may hold only BPO_MAX_THREADS_PER_ENDPOINT reconcile threads: buckets on a healthy
 * endpoint, created after it, are not queued behind it. A person's code is never queued behind
 * that limit.
 */
class EndpointFairnessMockApiTest {

  private static final int THREADS = 4;
  private static final int PER_ENDPOINT = 2;
  private static final int SILENT = 4;
  private static final int HEALTHY = 20;

  @Test
  void aSilentEndpointHoldsItsShareOfThreadsAndNoMore() throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes();
        BlackHoleEndpoint blackHole = BlackHoleEndpoint.start()) {
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
          "BPO_RECONCILE_THREADS", String.valueOf(THREADS),
          "BPO_MAX_THREADS_PER_ENDPOINT", String.valueOf(PER_ENDPOINT),
          "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
      FakeBucketStore healthy = new FakeBucketStore(Clock.systemUTC());
      try (AwsBucketStore aws = BucketProtectionOperator.awsBucketStore(config)) {
        RoutingBucketStore store = new RoutingBucketStore(blackHole.endpoint(), aws, healthy);
        try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), store, config)) {
          var client = kubernetes.client();
          operator.awaitAccountReady(client.resource(Accounts.defaultForEveryone()).create());
          kubernetes.ensureNamespace(config.clusterResourceNamespace());
          client.resource(rootKeys(config.clusterResourceNamespace(), "silent-keys", Map.of(
              "AWS_ACCESS_KEY_ID", "AKIDSILENT0000000001", "AWS_SECRET_ACCESS_KEY", "silent-secret-0123456789"))).create();
          ClusterS3Account silentAccount = Accounts.cluster("silent", List.of("silent-*"));
          silentAccount.getSpec().setEndpoint(blackHole.endpoint().toString());
          silentAccount.getSpec().setCredentials(Accounts.secretRef("silent-keys"));
          silentAccount.getSpec().setNamespaces(Accounts.names("fair"));
          operator.awaitAccountReady(client.resource(silentAccount).create());

          // The silent endpoint's buckets first: without a limit they would take every thread.
          List<String> silent = IntStream.range(0, SILENT).mapToObj(i -> "silent-" + i).toList();
          for (String name : silent) {
            BucketProtection bp = protection("fair", name, name, "Enabled");
            bp.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "silent"));
            operator.create(bp);
          }
          await().atMost(Duration.ofSeconds(10)).until(() -> store.inFlight() >= PER_ENDPOINT);
          List<String> fine = IntStream.range(0, HEALTHY).mapToObj(i -> "healthy-" + i).toList();
          for (String name : fine) {
            healthy.createBucket(name);
            operator.create(protection("fair", name, name, "Enabled"));
          }
          await().atMost(Duration.ofSeconds(60)).until(() ->
              fine.stream().allMatch(n -> "Applied".equals(readyReason(operator.get("fair", n)))));
          // Each silent reconcile takes two ~6 s attempts: while the healthy twenty converged,
          // at most the first PER_ENDPOINT silent ones can have finished one.
          long silentDecided = silent.stream().filter(n -> readyReason(operator.get("fair", n)) != null).count();
          assertTrue(silentDecided <= PER_ENDPOINT, silentDecided + " silent resources already had a verdict: the"
              + " healthy ones waited behind them");

          for (String name : silent) {
            operator.awaitReason("fair", name, "EndpointUnreachable", Duration.ofSeconds(90));
          }
          assertEquals(PER_ENDPOINT, store.maxInFlight(), "the silent endpoint held exactly its share");
          assertTrue(blackHole.accepted() >= SILENT, "the real SDK really connected: " + blackHole.accepted());
          assertTrue(operator.operator().getRuntimeInfo().allEventSourcesAreHealthy());
        }
      }
    }
  }

  /**
   * Every S3 call takes its endpoint's slot: policies' listings, and reads of resources whose device
   * has no stored seed (a person types its codes) as much as any. Counted at the silent endpoint:
   * the connections it holds at once. Resources on a healthy endpoint converge meanwhile.
   */
  @Test
  void policyScansAndSeedlessResourcesOnASilentEndpointHoldNoMoreThanItsShare() throws Exception {
    int perEndpoint = 2;
    try (MockKubernetes kubernetes = new MockKubernetes();
        BlackHoleEndpoint blackHole = BlackHoleEndpoint.start()) {
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
          "BPO_RECONCILE_THREADS", "10",
          "BPO_MAX_THREADS_PER_ENDPOINT", String.valueOf(perEndpoint),
          "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
      FakeBucketStore healthy = new FakeBucketStore(Clock.systemUTC());
      try (AwsBucketStore aws = BucketProtectionOperator.awsBucketStore(config)) {
        RoutingBucketStore store = new RoutingBucketStore(blackHole.endpoint(), aws, healthy);
        try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), store, config)) {
          var client = kubernetes.client();
          operator.awaitAccountReady(client.resource(Accounts.defaultForEveryone()).create());
          kubernetes.ensureNamespace(config.clusterResourceNamespace());
          kubernetes.ensureNamespace("fair");
          client.resource(rootKeys(config.clusterResourceNamespace(), "silent-keys", Map.of(
              "AWS_ACCESS_KEY_ID", "AKIDSILENT0000000001", "AWS_SECRET_ACCESS_KEY", "silent-secret-0123456789"))).create();
          // Three accounts on the silent endpoint (three listings that could run at once); the
          // first names a device whose seed nobody stores.
          for (int i = 1; i <= 3; i++) {
            ClusterS3Account silent = Accounts.cluster("silent-" + i, List.of("silent-*"));
            silent.getSpec().setEndpoint(blackHole.endpoint().toString());
            silent.getSpec().setCredentials(Accounts.secretRef("silent-keys"));
            silent.getSpec().setNamespaces(Accounts.names("fair"));
            if (i == 1) {
              silent.getSpec().setMfa(new MfaSpec("arn:aws:iam::123456789012:mfa/silent-person", null, 30));
            }
            operator.awaitAccountReady(client.resource(silent).create());
          }

          for (int i = 1; i <= 3; i++) {
            client.resource(Policies.policy("fair", "scan-" + i, "silent-" + i, List.of("silent-*"), null)).create();
          }
          await().atMost(Duration.ofSeconds(10)).until(() -> blackHole.accepted() >= perEndpoint);
          // The third listing, had it not waited for a slot, would have connected by now.
          Thread.sleep(1_500);
          assertTrue(blackHole.maxOpen() <= perEndpoint, "policy scans held " + blackHole.maxOpen()
              + " connections to the silent endpoint at once; its share is " + perEndpoint);

          List<String> seedless = IntStream.range(0, 4).mapToObj(i -> "silent-person-" + i).toList();
          for (String name : seedless) {
            BucketProtection bp = protection("fair", name, name, "Enabled");
            bp.getSpec().setMfaDelete("Enabled");
            bp.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "silent-1"));
            operator.create(bp);
          }
          List<String> fine = IntStream.range(0, 10).mapToObj(i -> "healthy-" + i).toList();
          for (String name : fine) {
            healthy.createBucket(name);
            operator.create(protection("fair", name, name, "Enabled"));
          }
          await().atMost(Duration.ofSeconds(30)).until(() ->
              fine.stream().allMatch(n -> "Applied".equals(readyReason(operator.get("fair", n)))));
          Thread.sleep(1_500);
          assertTrue(blackHole.maxOpen() <= perEndpoint, "policy scans and seedless resources held "
              + blackHole.maxOpen() + " connections to the silent endpoint at once; its share is " + perEndpoint);
          assertEquals(perEndpoint, store.maxInFlight(), "the silent endpoint's share was used");

          // A code typed for the account's device: the change that may use it goes without a slot,
          // one at a time; the other changes waiting on the same device still take slots.
          client.resources(ClusterS3Account.class).withName("silent-1").edit(account -> {
            account.getMetadata().setAnnotations(Map.of(CodeHolder.ANNOTATION, "123456"));
            return account;
          });
          Thread.sleep(2_500);
          assertTrue(blackHole.maxOpen() <= perEndpoint + 1, "with a code annotated, " + blackHole.maxOpen()
              + " connections to the silent endpoint at once; its share is " + perEndpoint + ", and one for the code");
        }
      }
    }
  }

  /**
   * A person's code is used the moment it arrives, even while its endpoint holds all its share of
   * threads: one slow bucket holds the only slot of the endpoint, and a change on the same
   * endpoint still waits for, takes and spends a code at once. Only that use skips the line: the
   * change's first read took a slot like any other, before the slow bucket came.
   */
  @Test
  void aPersonsCodeIsNotQueuedBehindItsEndpointsThreadLimit() throws Exception {
    int period = 5;
    String seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    String serial = "arn:aws:iam::123456789012:mfa/fair-person";
    FakeBucketStore fake = new FakeBucketStore(Clock.systemUTC());
    fake.registerDevice(serial, seed, period);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger slowInFlight = new AtomicInteger();
    // Every bucket is on the default endpoint; reading "slow" takes until the test releases it.
    BucketStore store = new BucketStore() {
      @Override
      public Observation observe(BucketAddress bucket) throws BucketStoreException {
        if (bucket.bucket().equals("slow")) {
          slowInFlight.incrementAndGet();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            slowInFlight.decrementAndGet();
          }
        }
        return fake.observe(bucket);
      }

      @Override
      public boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException {
        return fake.hasLifecycleRules(bucket);
      }

      @Override
      public WriteReceipt putVersioning(BucketAddress bucket, BucketState target, Optional<MfaToken> mfa)
          throws BucketStoreException {
        return fake.putVersioning(bucket, target, mfa);
      }
    };
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("BPO_RECONCILE_THREADS", String.valueOf(THREADS),
          "BPO_MAX_THREADS_PER_ENDPOINT", "1", "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
      try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), store, config)) {
        var client = kubernetes.client();
        operator.awaitAccountReady(client.resource(Accounts.defaultForEveryone()).create());
        kubernetes.ensureNamespace("fair");
        client.resource(rootKeys("fair", "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDFAIRPERSON000001",
            "AWS_SECRET_ACCESS_KEY", "fair-person-secret-0123456789"))).create();
        fake.setState("person", new BucketState(VersioningStatus.ENABLED, false));
        operator.create(withSeedlessMfaDelete(withCredentials(protection("fair", "person", "person", "Enabled"), "keys"),
            serial, period));
        operator.awaitReason("fair", "person", "AwaitingMfaCode", Duration.ofSeconds(10));

        fake.createBucket("slow");
        operator.create(protection("fair", "slow", "slow", "Enabled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> slowInFlight.get() == 1);
        TokenHolder token = new TokenHolder(seed, period);
        String code = token.codeOfNextStep();
        long start = System.nanoTime();
        TokenHolder.annotate(client, BucketProtection.class, "fair", "person", code);
        operator.awaitReason("fair", "person", "Applied", Duration.ofSeconds(10));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(took.compareTo(Duration.ofSeconds(2)) <= 0, "converged " + took.toMillis() + " ms after the code");
        assertEquals(1, slowInFlight.get(), "the endpoint's only slot was held the whole time");
        assertEquals(null, readyReason(operator.get("fair", "slow")), "the slow one has no verdict yet");
        release.countDown();
        operator.awaitReason("fair", "slow", "Applied", Duration.ofSeconds(10));
      }
    }
  }
}

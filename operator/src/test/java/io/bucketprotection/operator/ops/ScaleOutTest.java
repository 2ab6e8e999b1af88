package io.bucketprotection.operator.ops;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A fleet split across two operator deployments by label selector, and one by namespace. */
class ScaleOutTest {

  private static BucketProtection labelled(String namespace, String name, String fleet) {
    BucketProtection bp = protection(namespace, name, name, "Enabled");
    bp.getMetadata().setLabels(Map.of("bucketprotection.io/fleet", fleet));
    return bp;
  }

  @Test
  void eachOperatorReconcilesOnlyItsShare() throws Exception {
    FakeBucketStore s3East = new FakeBucketStore(Clock.systemUTC());
    FakeBucketStore s3West = new FakeBucketStore(Clock.systemUTC());
    FakeBucketStore s3TeamC = new FakeBucketStore(Clock.systemUTC());
    for (String b : new String[] {"east-1", "west-1", "team-c-1"}) {
      s3East.createBucket(b);
      s3West.createBucket(b);
      s3TeamC.createBucket(b);
    }
    try (MockKubernetes kubernetes = new MockKubernetes();
         OperatorHarness east = new OperatorHarness(kubernetes.client(), s3East,
             OperatorConfig.fromEnvironment(Map.of("BPO_LABEL_SELECTOR", "bucketprotection.io/fleet=east",
                 "BPO_WATCH_NAMESPACES", "shared")));
         OperatorHarness west = new OperatorHarness(kubernetes.client(), s3West,
             OperatorConfig.fromEnvironment(Map.of("BPO_LABEL_SELECTOR", "bucketprotection.io/fleet=west",
                 "BPO_WATCH_NAMESPACES", "shared")));
         OperatorHarness teamC = new OperatorHarness(kubernetes.client(), s3TeamC,
             OperatorConfig.fromEnvironment(Map.of("BPO_WATCH_NAMESPACES", "team-c")))) {
      // Bare resources use the ClusterS3Account "default"; every operator serves it.
      east.awaitAccountReady(kubernetes.client().resource(Accounts.defaultForEveryone()).create());
      east.create(labelled("shared", "east-1", "east"));
      west.create(labelled("shared", "west-1", "west"));
      teamC.create(protection("team-c", "team-c-1", "team-c-1", "Enabled"));
      await().atMost(Duration.ofSeconds(20)).until(() -> "Applied".equals(readyReason(east.get("shared", "east-1")))
          && "Applied".equals(readyReason(west.get("shared", "west-1")))
          && "Applied".equals(readyReason(teamC.get("team-c", "team-c-1"))));
      // Each operator touched only its share, and keeps doing so for a while.
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() ->
          s3East.calls("PutBucketVersioning") == 1 && s3East.calls("PutBucketVersioning", "east-1") == 1
              && s3West.calls("PutBucketVersioning") == 1 && s3West.calls("PutBucketVersioning", "west-1") == 1
              && s3TeamC.calls("PutBucketVersioning") == 1 && s3TeamC.calls("PutBucketVersioning", "team-c-1") == 1);
    }
  }

  @Test
  void eachOperatorServesOnlyTheAccountsItsSelectorMatches() {
    FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
    s3.createBucket("eu-logs");
    s3.createBucket("us-logs");
    try (MockKubernetes kubernetes = new MockKubernetes();
         OperatorHarness eu = new OperatorHarness(kubernetes.client(), s3,
             OperatorConfig.fromEnvironment(Map.of("BPO_ACCOUNT_SELECTOR", "bucketprotection.io/fleet=eu")))) {
      for (String fleet : new String[] {"eu", "us"}) {
        var account = Accounts.cluster(fleet, java.util.List.of(fleet + "-*"));
        account.getSpec().setCredentials(Accounts.operatorIdentity());
        account.getSpec().setNamespaces(Accounts.names("shared"));
        account.getMetadata().setLabels(Map.of("bucketprotection.io/fleet", fleet));
        kubernetes.client().resource(account).create();
      }
      for (String fleet : new String[] {"eu", "us"}) {
        BucketProtection bp = protection("shared", fleet + "-logs", fleet + "-logs", "Enabled");
        bp.getSpec().setAccountRef(new io.bucketprotection.operator.api.AccountReference("ClusterS3Account", fleet));
        eu.create(bp);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> "Applied".equals(readyReason(eu.get("shared", "eu-logs"))));
      // The us account belongs to another deployment: this one neither checks it nor uses it.
      await().atMost(Duration.ofSeconds(20)).until(() -> "AccountNotFound".equals(readyReason(eu.get("shared", "us-logs"))));
      assertEquals(0, s3.calls("GetBucketVersioning", "us-logs"));
      var us = kubernetes.client().resources(io.bucketprotection.operator.api.ClusterS3Account.class).withName("us").get();
      assertEquals(null, us.getStatus(), "another deployment's account is not even checked");
    }
  }
}

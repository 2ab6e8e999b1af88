package io.bucketprotection.operator.deletion;

import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * An operator that starts (after a crash, or as a new leader) on a request whose status marks a
 * batch as being sent: it sends that batch again, audits it with retry: true, and goes on to the
 * end, skipping nothing and deleting nothing unlisted.
 */
class DeletionRestartMockApiTest {

  @Test
  void aRestartMidBatchSendsTheMarkedBatchAgainAuditedAsARetryAndSkipsNothing() throws Exception {
    PrintStream originalOut = System.out;
    ByteArrayOutputStream audit = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new DeletionMockApiTest.TeeStream(originalOut, audit), true,
        StandardCharsets.UTF_8));
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      var client = kubernetes.client();
      FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
      s3.createBucket("team-restart");
      s3.setState("team-restart", S3VersioningTable.E);
      List<ObjectVersion> all = new ArrayList<>();
      for (int i = 0; i < 1200; i++) {
        all.add(new ObjectVersion("k" + (i % 600), s3.putVersion("team-restart", "k" + (i % 600))));
      }
      List<ObjectVersion> listed = all.subList(0, 1100);
      StringBuilder csv = new StringBuilder();
      long firstBatchBytes = 0;
      for (int i = 0; i < listed.size(); i++) {
        csv.append("team-restart,").append(listed.get(i).key()).append(',').append(listed.get(i).versionId())
            .append('\n');
        if (i == 999) {
          firstBatchBytes = csv.length();
        }
      }
      var stamp = s3.putObject("team-restart", "bucketprotection-manifests/m.csv",
          csv.toString().getBytes(StandardCharsets.UTF_8));
      kubernetes.ensureNamespace("team");
      client.resource(rootKeys("team", "root", Map.of("AWS_ACCESS_KEY_ID", "AKIDTEAMROOT00000001",
          "AWS_SECRET_ACCESS_KEY", "team-root-secret-0123456789"))).create();
      S3Account account = Accounts.namespaced("team", "own", List.of("team-*"), "root");
      account.getSpec().setVersionDeletion("Allow");
      client.resource(account).create();
      ObjectVersionDeletion draft = DeletionMockApiTest.request("restart", "own", "team-restart", null);
      draft.getSpec().setManifest(new io.bucketprotection.operator.api.ObjectVersionDeletionSpec.ManifestReference(
          "team-restart", "bucketprotection-manifests/m.csv"));
      ObjectVersionDeletion request = client.resource(draft).create();
      // What a crash leaves between marking batch 1 (the second) as being sent and recording its
      // answer, the lost request having deleted the batch's first version.
      ObjectVersionDeletionStatus status = new ObjectVersionDeletionStatus();
      status.setListed(1100L);
      status.setBatchesDone(1L);
      status.setDeleted(1000L);
      status.setSending(1L);
      var pinned = new ObjectVersionDeletionStatus.PinnedManifest();
      pinned.setEtag(stamp.etag());
      pinned.setVersionId(stamp.versionId());
      pinned.setLines(1100L);
      pinned.setNextByte(firstBatchBytes);
      status.setManifest(pinned);
      request.setStatus(status);
      client.resource(request).patchStatus();
      s3.deleteVersions(new BucketAddress(null, null, "team-restart", (S3Credentials) null), all.subList(1000, 1001),
          Optional.empty());
      // The first batch was deleted before the crash too.
      s3.deleteVersions(new BucketAddress(null, null, "team-restart", (S3Credentials) null), all.subList(0, 1000),
          Optional.empty());
      account = client.resources(S3Account.class).inNamespace("team").withName("own").get();
      account.getMetadata().setAnnotations(Map.of(Approval.key(request), Approval.value(request)));
      client.resource(account).update();
      int before = s3.calls("DeleteObjects");
      try (OperatorHarness operator = new OperatorHarness(client, s3, OperatorConfig.fromEnvironment(Map.of(
          "BPO_DEFAULT_CHECK_INTERVAL", "1h")))) {
        ObjectVersionDeletion done = DeletionMockApiTestSupport.awaitReason(client, "team", "restart", "Completed");
        assertEquals(1100L, done.getStatus().getDeleted());
        assertEquals(2L, done.getStatus().getBatchesDone());
      }
      assertEquals(before + 1, s3.calls("DeleteObjects"), "only the marked batch is sent, once");
      assertEquals(Set.copyOf(all.subList(1100, 1200)), Set.copyOf(s3.versions("team-restart").stream()
          .filter(v -> !v.key().startsWith("bucketprotection-manifests/")).toList()),
          "nothing unlisted is deleted");
      List<JsonNode> lines = new ArrayList<>();
      for (String line : audit.toString(StandardCharsets.UTF_8).split("\n")) {
        if (line.contains("\"DeleteObjectVersion\"") && line.contains("\"restart\"")) {
          lines.add(DeletionMockApiTest.JSON.readTree(line));
        }
      }
      assertEquals(100, lines.size(), "the resent batch: S3 reports the already deleted version deleted too");
      assertTrue(lines.stream().allMatch(l -> l.get("retry").asBoolean()), "audited as a retry");
    } finally {
      System.setOut(originalOut);
    }
  }

  @Test
  void aStatusEditedIntoNonsenseDeletesNothingAndSaysSo() throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      var client = kubernetes.client();
      FakeBucketStore s3 = new FakeBucketStore(Clock.systemUTC());
      s3.setState("team-tampered", S3VersioningTable.E);
      List<ObjectVersion> all = List.of(new ObjectVersion("k", s3.putVersion("team-tampered", "k")),
          new ObjectVersion("k", s3.putVersion("team-tampered", "k")));
      kubernetes.ensureNamespace("team");
      client.resource(rootKeys("team", "root", Map.of("AWS_ACCESS_KEY_ID", "AKIDTEAMROOT00000001",
          "AWS_SECRET_ACCESS_KEY", "team-root-secret-0123456789"))).create();
      S3Account account = Accounts.namespaced("team", "own", List.of("team-*"), "root");
      account.getSpec().setVersionDeletion("Allow");
      client.resource(account).create();
      ObjectVersionDeletion request = client.resource(DeletionMockApiTest.request("tampered", "own", "team-tampered",
          all.subList(0, 1))).create();
      ObjectVersionDeletionStatus status = new ObjectVersionDeletionStatus();
      status.setBatchesDone(-1L);
      request.setStatus(status);
      client.resource(request).patchStatus();
      account = client.resources(S3Account.class).inNamespace("team").withName("own").get();
      account.getMetadata().setAnnotations(Map.of(Approval.key(request), Approval.value(request)));
      client.resource(account).update();
      try (OperatorHarness operator = new OperatorHarness(client, s3, OperatorConfig.fromEnvironment(Map.of(
          "BPO_DEFAULT_CHECK_INTERVAL", "1h")))) {
        ObjectVersionDeletion failed = DeletionMockApiTestSupport.awaitReason(client, "team", "tampered",
            "ReconcileError");
        assertTrue(failed.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
            && c.getMessage().contains("retries with back-off")));
      }
      assertEquals(0, s3.calls("DeleteObjects"));
      assertEquals(Set.copyOf(all), Set.copyOf(s3.versions("team-tampered")));
    }
  }
}

package io.bucketprotection.operator.deletion;

import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec.ManifestReference;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec.VersionReference;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ObjectVersionDeletion end to end against the mock API server and a fake S3 that keeps versions
 * and checks MFA codes: listed versions go and nothing else, only with both keys, one code per
 * batch, and a changed manifest, a foreign bucket, a bare person's code or a refused code delete
 * nothing more.
 */
class DeletionMockApiTest {

  static final String NS = "team";
  static final String DEVICE = "arn:aws:iam::123456789012:mfa/deleter";
  static final String MANUAL_DEVICE = "arn:aws:iam::123456789012:mfa/manual";
  static final String WRONG_DEVICE = "arn:aws:iam::123456789012:mfa/wrong";
  static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  static final String MANUAL_SEED = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
  static final String OTHER_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final ObjectMapper JSON = new ObjectMapper();

  static MockKubernetes kubernetes;
  static KubernetesClient client;
  static FakeBucketStore s3;
  static OperatorHarness operator;
  static final ByteArrayOutputStream audit = new ByteArrayOutputStream();
  static PrintStream originalOut;

  @BeforeAll
  static void start() throws Exception {
    originalOut = System.out;
    // Audit lines go to standard output: keep a copy to count them.
    System.setOut(new PrintStream(new TeeStream(originalOut, audit), true, StandardCharsets.UTF_8));
    kubernetes = new MockKubernetes();
    client = kubernetes.client();
    s3 = new FakeBucketStore(Clock.systemUTC());
    s3.registerDevice(DEVICE, SEED, 2);
    s3.registerDevice(MANUAL_DEVICE, MANUAL_SEED, 2);
    s3.registerDevice(WRONG_DEVICE, SEED, 2);
    operator = new OperatorHarness(client, s3, OperatorConfig.fromEnvironment(Map.of(
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "BPO_CLUSTER_RESOURCE_NAMESPACE", "bp-system")));
    kubernetes.ensureNamespace("bp-system");
    kubernetes.ensureNamespace(NS);
    client.resource(rootKeys(NS, "root", Map.of("AWS_ACCESS_KEY_ID", "AKIDTEAMROOT00000001",
        "AWS_SECRET_ACCESS_KEY", "team-root-secret-0123456789"))).create();
    client.resource(secret(NS, "seed", Map.of("seed", SEED))).create();
    client.resource(secret(NS, "other-seed", Map.of("seed", OTHER_SEED))).create();
    account("own", "Allow", Accounts.mfa(DEVICE, "seed", 2));
    account("denied", "Deny", Accounts.mfa(DEVICE, "seed", 2));
    MfaSpec manual = new MfaSpec();
    manual.setSerialNumber(MANUAL_DEVICE);
    manual.setPeriodSeconds(2);
    account("manual", "Allow", manual);
    account("wrong", "Allow", Accounts.mfa(WRONG_DEVICE, "other-seed", 2));
  }

  static void account(String name, String versionDeletion, MfaSpec mfa) {
    S3Account account = Accounts.namespaced(NS, name, List.of("team-*"), "root");
    account.getSpec().setMfa(mfa);
    account.getSpec().setVersionDeletion(versionDeletion);
    client.resource(account).create();
    await().atMost(TIMEOUT).until(() -> {
      S3Account a = client.resources(S3Account.class).inNamespace(NS).withName(name).get();
      return a.getStatus() != null && a.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    });
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
    System.setOut(originalOut);
  }

  /** A bucket with MFA Delete on and {@code objects} objects of two versions each; returns every version. */
  static List<ObjectVersion> bucket(String bucket, int objects) {
    s3.createBucket(bucket);
    s3.setState(bucket, S3VersioningTable.EM);
    List<ObjectVersion> versions = new ArrayList<>();
    for (int i = 0; i < objects; i++) {
      String key = "data/object-" + i + ".json";
      versions.add(new ObjectVersion(key, s3.putVersion(bucket, key)));
      versions.add(new ObjectVersion(key, s3.putVersion(bucket, key)));
    }
    return versions;
  }

  static ObjectVersionDeletion request(String name, String account, String bucket, List<ObjectVersion> versions) {
    ObjectVersionDeletionSpec spec = new ObjectVersionDeletionSpec();
    spec.setAccountRef(new AccountReference("S3Account", account));
    spec.setBucket(bucket);
    if (versions != null) {
      spec.setVersions(versions.stream().map(v -> new VersionReference(v.key(), v.versionId())).toList());
    }
    spec.setReason("erasure request " + name);
    ObjectVersionDeletion request = new ObjectVersionDeletion();
    request.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(name).build());
    request.setSpec(spec);
    return request;
  }

  static ObjectVersionDeletion create(ObjectVersionDeletion request) {
    return client.resource(request).create();
  }

  static ObjectVersionDeletion get(String name) {
    return client.resources(ObjectVersionDeletion.class).inNamespace(NS).withName(name).get();
  }

  static Condition condition(ObjectVersionDeletion request, String type) {
    if (request == null || request.getStatus() == null) {
      return null;
    }
    return request.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst()
        .orElse(null);
  }

  static ObjectVersionDeletion awaitReason(String name, String reason) {
    return DeletionMockApiTestSupport.awaitReason(client, NS, name, reason);
  }

  /** As kubectl annotate does: a merge patch, whatever the operator wrote meanwhile. */
  static void annotate(String account, String key, String value) {
    client.resources(S3Account.class).inNamespace(NS).withName(account).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        io.fabric8.kubernetes.client.utils.Serialization.asJson(Map.of("metadata", Map.of("annotations",
            Map.of(key, value)))));
  }

  static void approve(String account, ObjectVersionDeletion request) {
    annotate(account, Approval.key(request), Approval.value(request));
  }

  /** The codes of {@code serial} S3 received (the other tests' requests on other devices may still be going). */
  static List<io.bucketprotection.operator.s3.MfaToken> tokens(String serial) {
    return s3.tokensReceived().stream().filter(t -> serial.equals(t.serialNumber())).toList();
  }

  /** The data versions left in {@code bucket} (manifests aside). */
  static Set<ObjectVersion> remaining(String bucket) {
    return Set.copyOf(s3.versions(bucket).stream().filter(v -> !v.key().startsWith(DeletionSpec.MANIFEST_PREFIX))
        .toList());
  }

  /** The deletion audit lines of {@code request} so far. */
  static List<JsonNode> auditLines(String name) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : audit.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.contains("\"DeleteObjectVersion\"")) {
        JsonNode node = JSON.readTree(line);
        if (name.equals(node.get("name").asText())) {
          lines.add(node);
        }
      }
    }
    return lines;
  }

  @Test
  void listedVersionsGoInBatchesOfAThousandWithOneCodeEachAndNothingElseGoes() throws Exception {
    List<ObjectVersion> all = bucket("team-erase", 549);
    // 1,000 versions in one request (one batch), 50 and a delete marker in another; 48 kept.
    String marker = s3.putDeleteMarker("team-erase", "data/object-548.json");
    List<ObjectVersion> first = all.subList(0, 1000);
    List<ObjectVersion> second = new ArrayList<>(all.subList(1000, 1050));
    second.add(new ObjectVersion("data/object-548.json", marker));
    List<ObjectVersion> listed = new ArrayList<>(first);
    listed.addAll(second);
    ObjectVersionDeletion one = create(request("erase-one", "own", "team-erase", first));
    ObjectVersionDeletion two = create(request("erase-two", "own", "team-erase", second));
    int tokensBefore = tokens(DEVICE).size();
    awaitReason("erase-one", "AwaitingApproval");
    ObjectVersionDeletion waiting = awaitReason("erase-two", "AwaitingApproval");
    String message = condition(waiting, "Ready").getMessage();
    assertTrue(message.contains("kubectl annotate s3account own -n team " + Approval.key(two) + "=team/erase-two"),
        message);
    assertTrue(message.contains("51 listed versions"), message);
    assertEquals(0, s3.calls("DeleteObjects", "team-erase"), "nothing is sent before approval");

    approve("own", one);
    approve("own", two);
    ObjectVersionDeletion done = awaitReason("erase-one", "Completed");
    awaitReason("erase-two", "Completed");
    Set<ObjectVersion> expected = new java.util.HashSet<>(all);
    listed.forEach(expected::remove);
    assertEquals(expected, remaining("team-erase"), "exactly the listed versions are gone");
    assertEquals(2, s3.calls("DeleteObjects", "team-erase"), "one request per batch");
    assertEquals(tokensBefore + 2, tokens(DEVICE).size(), "one code per batch");
    List<Long> steps = tokens(DEVICE).subList(tokensBefore, tokensBefore + 2).stream().map(s3::acceptedStep)
        .toList();
    assertFalse(steps.contains(null), "both codes were accepted: " + steps);
    assertTrue(!steps.get(0).equals(steps.get(1)), "a code signs one batch and is never used again: " + steps);
    assertEquals(1000L, done.getStatus().getDeleted());
    assertEquals("True", condition(done, "Complete").getStatus());
    assertNotNull(done.getStatus().getCompletionTime());
    ObjectVersionDeletion second2 = get("erase-two");
    assertEquals(50L, second2.getStatus().getDeleted());
    assertEquals(1L, second2.getStatus().getDeleteMarkersRemoved());
    List<JsonNode> lines = auditLines("erase-one");
    assertEquals(1000, lines.size(), "one audit line per deleted version");
    assertEquals("erasure request erase-one", lines.get(0).get("reason").asText());
    assertEquals(Approval.describe(one), lines.get(0).get("approval").asText());
    assertEquals(DEVICE, lines.get(0).get("serialNumber").asText());
    assertTrue(auditLines("erase-two").stream().anyMatch(l -> l.get("deleteMarker").asBoolean()));
    await().atMost(TIMEOUT).until(() -> !client.resources(S3Account.class).inNamespace(NS).withName("own").get()
        .getMetadata().getAnnotations().containsKey(Approval.key(one)));
    // A finished request never acts again.
    int calls = s3.calls("DeleteObjects", "team-erase");
    client.resources(ObjectVersionDeletion.class).inNamespace(NS).withName("erase-one").edit(r -> {
      r.getMetadata().setLabels(Map.of("touched", "yes"));
      return r;
    });
    Thread.sleep(1500);
    assertEquals(calls, s3.calls("DeleteObjects", "team-erase"));
  }

  @Test
  void withoutBothKeysNothingIsDeleted() throws Exception {
    List<ObjectVersion> all = bucket("team-keys", 3);
    ObjectVersionDeletion denied = create(request("denied", "denied", "team-keys", all.subList(0, 2)));
    ObjectVersionDeletion unapproved = create(request("unapproved", "own", "team-keys", all.subList(0, 2)));
    ObjectVersionDeletion otherUid = create(request("other-uid", "own", "team-keys", all.subList(0, 2)));
    ObjectVersionDeletion otherName = create(request("other-name", "own", "team-keys", all.subList(0, 2)));
    approve("denied", denied);
    annotate("own", ObjectVersion.class.getSimpleName(), "x"); // noise
    annotate("own", "approve-deletion.bucketprotection.io/" + "not-" + otherUid.getMetadata().getUid(),
        "team/other-uid");
    annotate("own", Approval.key(otherName), "team/someone-else");
    ObjectVersionDeletion refused = awaitReason("denied", "VersionDeletionDenied");
    assertTrue(condition(refused, "Ready").getMessage().contains("versionDeletion: Deny"));
    awaitReason("unapproved", "AwaitingApproval");
    awaitReason("other-uid", "AwaitingApproval");
    awaitReason("other-name", "AwaitingApproval");
    Thread.sleep(1000);
    assertEquals(Set.copyOf(all), remaining("team-keys"));
    assertEquals(0, s3.calls("DeleteObjects", "team-keys"));
    assertEquals(0, s3.calls("GetBucketVersioning", "team-keys"), "refused before any S3 call");
  }

  @Test
  void aManifestInABucketTheNamespaceMayNotUseIsRefusedUnread() {
    bucket("team-foreign", 1);
    ObjectVersionDeletion request = request("foreign", "own", "team-foreign", null);
    request.getSpec().setManifest(new ManifestReference("finance-ledger", "bucketprotection-manifests/x.csv"));
    ObjectVersionDeletion refused = awaitReasonAfter(create(request), "BucketNotAllowed");
    assertTrue(condition(refused, "Ready").getMessage().startsWith("spec.manifest.bucket:"));
    assertEquals(0, s3.calls("HeadObject", "finance-ledger"), "the manifest is never read");
    assertEquals(0, s3.calls("GetObject", "finance-ledger"));
  }

  static ObjectVersionDeletion awaitReasonAfter(ObjectVersionDeletion created, String reason) {
    return awaitReason(created.getMetadata().getName(), reason);
  }

  @Test
  void aManifestChangedAfterItWasPinnedDeletesNothing() throws Exception {
    List<ObjectVersion> all = bucket("team-manifest", 550);
    StringBuilder csv = new StringBuilder();
    for (int i = 0; i < 1050; i++) {
      csv.append("team-manifest,").append(all.get(i).key().replace("/", "%2F")).append(',')
          .append(all.get(i).versionId()).append('\n');
    }
    String key = "bucketprotection-manifests/erase.csv";
    s3.putObject("team-manifest", key, csv.toString().getBytes(StandardCharsets.UTF_8));
    ObjectVersionDeletion request = request("manifest", "own", "team-manifest", null);
    request.getSpec().setManifest(new ManifestReference("team-manifest", key));
    ObjectVersionDeletion created = create(request);
    ObjectVersionDeletion pinned = awaitReason("manifest", "AwaitingApproval");
    assertEquals(1050L, pinned.getStatus().getManifest().getLines());
    assertEquals(1050L, pinned.getStatus().getListed());
    assertNotNull(pinned.getStatus().getManifest().getEtag());
    assertTrue(condition(pinned, "Ready").getMessage().contains("1050 listed versions"));
    // Replaced after it was pinned and before the approval: what was approved is not what is there.
    s3.putObject("team-manifest", key, ("team-manifest," + all.get(1099).key() + "," + all.get(1099).versionId()
        + "\n").getBytes(StandardCharsets.UTF_8));
    approve("own", created);
    ObjectVersionDeletion stopped = awaitReason("manifest", "ManifestChanged");
    assertEquals("True", condition(stopped, "Failed").getStatus());
    assertEquals(Set.copyOf(all), remaining("team-manifest"), "nothing was deleted");
    assertEquals(0, s3.calls("DeleteObjects", "team-manifest"));
  }

  @Test
  void aBarePersonsCodeDeletesNothingAndOneNamingTheBatchDoes() throws Exception {
    List<ObjectVersion> all = bucket("team-manual", 2);
    ObjectVersionDeletion created = create(request("manual", "manual", "team-manual", all.subList(0, 1)));
    approve("manual", created);
    ObjectVersionDeletion waiting = awaitReason("manual", "AwaitingMfaCode");
    String changeId = waiting.getStatus().getMfaChangeId();
    assertNotNull(changeId);
    TotpSeed seed = TotpSeed.parse(MANUAL_SEED);
    long step = System.currentTimeMillis() / 2000;
    annotate("manual", CodeHolder.ANNOTATION, new TotpCodeGenerator().code(seed, step));
    Thread.sleep(3000);
    assertEquals(Set.copyOf(all), remaining("team-manual"), "a bare code deletes nothing");
    assertEquals(0, s3.calls("DeleteObjects", "team-manual"));
    long next = System.currentTimeMillis() / 2000;
    annotate("manual", CodeHolder.ANNOTATION, new TotpCodeGenerator().code(seed, next) + "@" + changeId);
    awaitReason("manual", "Completed");
    assertEquals(Set.copyOf(all.subList(1, all.size())), remaining("team-manual"));
    assertEquals("person", auditLines("manual").get(0).get("codeSource").asText());
  }

  @Test
  void deletingAWaitingRequestStopsItAndWithdrawsItsApproval() {
    List<ObjectVersion> all = bucket("team-withdrawn", 1);
    ObjectVersionDeletion created = create(request("withdrawn", "manual", "team-withdrawn", all.subList(0, 1)));
    approve("manual", created);
    awaitReason("withdrawn", "AwaitingMfaCode");
    client.resource(created).delete();
    await().atMost(TIMEOUT).until(() -> get("withdrawn") == null && !client.resources(S3Account.class)
        .inNamespace(NS).withName("manual").get().getMetadata().getAnnotations().containsKey(Approval.key(created)));
    assertEquals(Set.copyOf(all), remaining("team-withdrawn"));
    assertEquals(0, s3.calls("DeleteObjects", "team-withdrawn"));
  }

  @Test
  void aClockTheServerDoesNotShareSpendsNoCode() {
    List<ObjectVersion> all = bucket("team-skewed", 1);
    int codes = tokens(DEVICE).size();
    s3.setServerClockOffset(Duration.ofMinutes(3));
    try {
      ObjectVersionDeletion created = create(request("skewed", "own", "team-skewed", all.subList(0, 1)));
      approve("own", created);
      ObjectVersionDeletion skewed = awaitReason("skewed", "ClockSkew");
      assertTrue(condition(skewed, "Ready").getMessage().contains("No MFA code was spent"));
      assertEquals(codes, tokens(DEVICE).size(), "no code was made for a skewed clock");
      assertEquals(0, s3.calls("DeleteObjects", "team-skewed"));
      assertEquals(Set.copyOf(all), remaining("team-skewed"));
      client.resource(created).delete();
    } finally {
      s3.setServerClockOffset(Duration.ZERO);
    }
  }

  @Test
  void aRefusedCodeDeletesNothingAndSaysSo() {
    List<ObjectVersion> all = bucket("team-wrong", 2);
    ObjectVersionDeletion created = create(request("wrong", "wrong", "team-wrong", all.subList(0, 2)));
    approve("wrong", created);
    ObjectVersionDeletion refused = awaitReason("wrong", "MfaRejected");
    assertTrue(condition(refused, "Ready").getMessage().contains("nothing of the batch was deleted"));
    assertEquals(Set.copyOf(all), remaining("team-wrong"));
    assertTrue(s3.codesRefused(WRONG_DEVICE) >= 1);
    // The refused code is in the audit trail: one line for the batch, nothing deleted.
    List<String> refusedLines = List.of(audit.toString(StandardCharsets.UTF_8).split("\n")).stream()
        .filter(l -> l.contains("\"DeleteObjectVersions\"") && l.contains("\"wrong\"")).toList();
    assertFalse(refusedLines.isEmpty(), "a refused batch leaves its audit line");
    assertTrue(refusedLines.get(0).contains("\"outcome\":\"MfaRejected\"") && refusedLines.get(0).contains(
        "\"versions\":2"), refusedLines.get(0));
    assertFalse(audit.toString(StandardCharsets.UTF_8).contains(OTHER_SEED), "no seed in the output");
  }

  /** Writes to two streams. */
  static final class TeeStream extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}

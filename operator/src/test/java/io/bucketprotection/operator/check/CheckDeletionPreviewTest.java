package io.bucketprotection.operator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.Observation;
import io.bucketprotection.operator.s3.S3Credentials;
import io.bucketprotection.operator.s3.Signer;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.s3.VersionStore.Presence;
import io.bucketprotection.operator.s3.VersioningStatus;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The preview of an ObjectVersionDeletion, through the check's own path (binding, the observer,
 * the reports) against the hand-written S3 fake, which answers a HEAD of a version as AWS does:
 * the counts, the missing versions, the bound on look-ups, and that it sends only reads, none
 * signed by root. RgwCheckTest runs the same against RadosGW.
 */
class CheckDeletionPreviewTest {

  private static final String ENV_KEY_ID = "AKIDCHECKJOBKEY00001";
  private static final S3Credentials ENV_KEYS = new S3Credentials(ENV_KEY_ID, "check-job-secret", null);
  private static final String MANIFEST = "bucketprotection-manifests/erasure.csv";

  private static final String ACCOUNT = "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\n"
      + "metadata: {name: %s}\nspec: {credentials: {secretRef: {name: keys}}, observer: {operatorIdentity: {}},"
      + " buckets: [\"acme-*\"], namespaces: {names: [privacy]}%s}\n---\n";
  private static final String OVD = "apiVersion: bucketprotection.io/v1alpha1\nkind: ObjectVersionDeletion\n"
      + "metadata: {name: %s, namespace: privacy}\nspec: {accountRef: {kind: ClusterS3Account, name: %s},"
      + " bucket: %s, reason: ticket 1, %s}\n---\n";
  private static final String ALLOWS = ACCOUNT.formatted("allows", ", versionDeletion: Allow");

  private final FakeBucketStore s3 = new FakeBucketStore(new MutableClock(Instant.parse("2026-12-07T12:00:00Z")));
  private String v1;
  private String v2;
  private String marker;

  @BeforeEach
  void buckets() {
    s3.createBucket("acme-ledger");
    s3.setState("acme-ledger", new BucketState(VersioningStatus.ENABLED, false));
    v1 = s3.putVersion("acme-ledger", "customers/4711/a.pdf");
    v2 = s3.putVersion("acme-ledger", "customers/4711/a.pdf");
    s3.putVersion("acme-ledger", "customers/4711/b.json");
    marker = s3.putDeleteMarker("acme-ledger", "customers/4711/b.json");
    s3.setState("acme-ledger", new BucketState(VersioningStatus.ENABLED, true));
    s3.createBucket("acme-manifests");
  }

  /** The check's whole view of S3, on the fake: every method the reader has, and nothing else. */
  private BucketReader reader() {
    return new BucketReader() {
      @Override
      public Observation observe(BucketAddress bucket) throws BucketStoreException {
        return s3.observe(bucket);
      }

      @Override
      public boolean hasLifecycleRules(BucketAddress bucket) throws BucketStoreException {
        return s3.hasLifecycleRules(bucket);
      }

      @Override
      public BucketLister.Listing listBuckets(BucketAddress account) throws BucketStoreException {
        return s3.listBuckets(account);
      }

      @Override
      public Presence headVersion(BucketAddress bucket, ObjectVersion version) throws BucketStoreException {
        return s3.headVersion(bucket, version);
      }

      @Override
      public ObjectStamp stat(BucketAddress bucket, String key) throws BucketStoreException {
        return s3.stat(bucket, key);
      }

      @Override
      public InputStream open(BucketAddress bucket, String key, ObjectStamp stamp) throws BucketStoreException {
        return s3.open(bucket, key, stamp);
      }

      @Override
      public void close() {
      }
    };
  }

  /** One online run: the results, their text and JSON reports. */
  private record Run(List<CheckResult> results, String text, JsonNode json) {
    JsonNode deletion(String name) {
      for (JsonNode r : json) {
        if (name.equals(r.path("name").asText()) && DeletionCheck.KIND.equals(r.path("kind").asText())) {
          return r;
        }
      }
      throw new AssertionError(name + " not in " + json);
    }

    String block(String name) {
      int start = text.indexOf(DeletionCheck.KIND + " privacy/" + name + " (");
      int end = text.indexOf("\n\n", start);
      return text.substring(start, end);
    }

    int exitCode() {
      return CheckResult.exitCode(results);
    }
  }

  private Run check(String yaml, int maxLookups) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());
    List<Manifest> manifests = new ManifestReader("default").read(List.of("-"),
        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    ReadOnlyObserver observer = new ReadOnlyObserver(reader(), "us-east-1", AllowedEndpoints.AWS_ONLY, ENV_KEYS, clock);
    List<CheckResult> results = new InputCheck(config, new TrustedAccounts(List.of(), false, true), observer,
        maxLookups, clock).run(manifests);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    TextReport.print(results, CheckResult.exitCode(results), new PrintStream(text, true, StandardCharsets.UTF_8));
    JsonReport.print(results, new PrintStream(json, true, StandardCharsets.UTF_8));
    return new Run(results, text.toString(StandardCharsets.UTF_8),
        new ObjectMapper().readTree(json.toString(StandardCharsets.UTF_8)));
  }

  private static String versions(String... keyAndId) {
    StringBuilder list = new StringBuilder("versions: [");
    for (int i = 0; i < keyAndId.length; i += 2) {
      list.append(i == 0 ? "" : ", ").append("{key: \"").append(keyAndId[i]).append("\", versionId: \"")
          .append(keyAndId[i + 1]).append("\"}");
    }
    return list.append("]").toString();
  }

  /** Nothing but reads went out, and none of them was signed by root. */
  private void onlyReadsNoneByRoot() {
    for (String write : List.of("PutBucketVersioning", "DeleteObjects")) {
      assertEquals(0, s3.calls(write), write);
    }
    for (String op : List.of("GetBucketVersioning", "HeadObject", "GetObject", "GetBucketLifecycleConfiguration",
        "ListBuckets")) {
      assertEquals(0, s3.callsSignedBy(Signer.Role.ROOT, op), op + " signed by root");
    }
  }

  @Test
  void listedVersionsAreCountedAsThereDeleteMarkersOrMissingAndTheFirstMissingAreNamed() throws Exception {
    List<ObjectVersion> before = s3.versions("acme-ledger");
    Run run = check(ALLOWS + OVD.formatted("erasure", "allows", "acme-ledger", versions(
        "customers/4711/a.pdf", v1, "customers/4711/a.pdf", v2, "customers/4711/b.json", marker,
        "customers/4711/gone.pdf", "no-such-version")), 1000);

    assertEquals(0, run.exitCode(), "a merge deletes nothing before the approval: " + run.text());
    String block = run.block("erasure");
    assertTrue(block.contains("\n  observed: versioning Enabled, MFA Delete Enabled\n"), block);
    assertTrue(block.contains("\n  action:   none\n"), block);
    assertTrue(block.contains("\n  versions: 4 listed, all looked up: 2 exist, 1 delete marker, 1 missing\n"), block);
    assertTrue(block.contains("\n  missing:  customers/4711/gone.pdf@no-such-version\n"), block);
    assertTrue(block.contains("4 listed versions of bucket acme-ledger would be deleted permanently once approved,"
        + " and not before: kubectl annotate clusters3account allows"), block);
    assertFalse(block.contains("sample"), block);

    JsonNode json = run.deletion("erasure");
    assertEquals("none", json.path("action").asText());
    assertEquals("Enabled", json.path("observed").path("mfaDelete").asText());
    JsonNode v = json.path("versions");
    assertEquals(4, v.path("listed").asLong(), v.toString());
    assertEquals(4, v.path("lookedUp").asInt());
    assertFalse(v.path("sampled").asBoolean());
    assertEquals(2, v.path("present").asInt());
    assertEquals(1, v.path("deleteMarkers").asInt());
    assertEquals(1, v.path("missing").asInt());
    assertTrue(v.path("manifest").isNull());
    assertEquals("[{\"key\":\"customers/4711/gone.pdf\",\"versionId\":\"no-such-version\"}]",
        v.path("missingVersions").toString());

    assertEquals(1, s3.calls("GetBucketVersioning"));
    assertEquals(4, s3.calls("HeadObject"), "one HEAD per version");
    assertEquals(4, s3.callsSignedBy(Signer.Role.OBSERVER, "HeadObject"), "signed by this environment's keys");
    onlyReadsNoneByRoot();
    assertEquals(before, s3.versions("acme-ledger"), "nothing deleted");
  }

  @Test
  void aManifestIsReadAndCountedWholeButOnlyItsFirstVersionsAreLookedUp() throws Exception {
    // 2,500 lines: the first is there, the rest are not; a blank line and quotes as S3 writes them.
    String lines = "acme-ledger,customers%2F4711%2Fa.pdf," + v1 + "\n\n" + IntStream.range(1, 2500)
        .mapToObj(i -> "\"acme-ledger\",\"old%2Fk" + i + "\",\"gone-" + i + "\"").collect(Collectors.joining("\n"));
    s3.putObject("acme-manifests", MANIFEST, lines.getBytes(StandardCharsets.UTF_8));
    String yaml = ALLOWS + OVD.formatted("big", "allows", "acme-ledger", "manifest: {bucket: acme-manifests, key: "
        + MANIFEST + "}");

    Run run = check(yaml, 1000);
    assertEquals(0, run.exitCode(), run.text());
    String block = run.block("big");
    assertTrue(block.contains("\n  versions: 2500 listed in s3://acme-manifests/" + MANIFEST + ", the first 1000 looked"
        + " up (a sample): 1 exists, 0 delete markers, 999 missing\n"), block);
    assertTrue(block.contains("\n  missing:  old/k1@gone-1, old/k2@gone-2, "), block);
    assertTrue(block.contains(", old/k20@gone-20, and 979 more\n"), block);
    assertTrue(block.contains("Only a sample was looked up: the first 1000 of the 2500 listed versions"
        + " (--max-version-lookups 1000)"), block);
    assertTrue(block.contains("The 2500 versions listed in s3://acme-manifests/" + MANIFEST + " would be deleted"
        + " permanently from bucket acme-ledger once approved"), block);
    JsonNode v = run.deletion("big").path("versions");
    assertTrue(v.path("sampled").asBoolean(), v.toString());
    assertEquals(999, v.path("missingVersions").size(), "every missing one, up to " + VersionLookup.MISSING_KEPT);
    assertEquals(1, s3.calls("GetObject"), "the manifest is read once");
    assertEquals(1 + 1000, s3.calls("HeadObject"), "the manifest's stamp, and the first 1,000 versions");

    Run small = check(yaml, 10);
    assertTrue(small.block("big").contains("the first 10 looked up (a sample): 1 exists, 0 delete markers, 9 missing"),
        small.text());
    assertEquals(1001 + 1 + 10, s3.calls("HeadObject"), "--max-version-lookups bounds the requests");
    onlyReadsNoneByRoot();
  }

  @Test
  void whatStopsTheOperatorStopsThePreviewBeforeAnyVersionIsLookedUp() throws Exception {
    s3.putObject("acme-manifests", "bucketprotection-manifests/other.csv",
        "acme-elsewhere,k,v1\n".getBytes(StandardCharsets.UTF_8));
    String one = versions("k", "v1");
    String yaml = ALLOWS + ACCOUNT.formatted("denies", "")
        + OVD.formatted("denied", "denies", "acme-ledger", one)
        + OVD.formatted("no-bucket", "allows", "acme-gone", one)
        + OVD.formatted("no-manifest", "allows", "acme-ledger", "manifest: {bucket: acme-manifests, key:"
            + " bucketprotection-manifests/none.csv}")
        + OVD.formatted("bad-manifest", "allows", "acme-ledger", "manifest: {bucket: acme-manifests, key:"
            + " bucketprotection-manifests/other.csv}")
        + ACCOUNT.formatted("elsewhere", ", versionDeletion: Allow, endpoint: \"http://10.9.8.7:9000\"")
        + OVD.formatted("not-allowed", "elsewhere", "acme-ledger", one);
    Run run = check(yaml, 1000);
    assertEquals(1, run.exitCode(), run.text());
    Map<String, String> reasons = Map.of("denied", "VersionDeletionDenied", "no-bucket", "BucketNotFound",
        "no-manifest", "ManifestNotFound", "bad-manifest", "ManifestInvalid", "not-allowed", "EndpointNotAllowed");
    reasons.forEach((name, reason) -> {
      JsonNode r = run.deletion(name);
      assertEquals(reason, r.path("reason").asText(), r.toString());
      assertEquals("refused", r.path("action").asText(), r.toString());
      assertTrue(r.path("versions").isNull(), r.toString());
    });
    assertTrue(run.deletion("bad-manifest").path("message").asText().contains("line 1 names another bucket"),
        run.text());
    assertFalse(run.text().contains("acme-elsewhere,k"), "a manifest's content is never printed");
    assertEquals(2, s3.calls("GetBucketVersioning", "acme-ledger"), "denied and not allowed read nothing");
    assertEquals(1, s3.calls("GetBucketVersioning", "acme-gone"));
    assertEquals(2, s3.calls("HeadObject"), "the two manifests' stamps, and no version");
    assertEquals(1, s3.calls("GetObject"));
    onlyReadsNoneByRoot();
  }

  @Test
  void aLookupNumberOutsideItsRangeIsAUsageError() {
    for (String bad : List.of("0", "-1", "1000001", "many")) {
      CheckRun run = CheckRun.of(Map.of(), "", "--max-version-lookups", bad);
      assertEquals(1, run.exitCode(), run.toString());
      assertTrue(run.stderr().contains("--max-version-lookups is a number from 1 to 1000000"), run.stderr());
    }
  }
}

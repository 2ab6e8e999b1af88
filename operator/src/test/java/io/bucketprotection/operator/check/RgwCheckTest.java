package io.bucketprotection.operator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.bucketprotection.operator.bench.S3CountingProxy;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code check} against a real MFA-enforcing S3 server (Ceph RadosGW), through a proxy that counts
 * every request at the wire: the plan is the operator's Decider on what the server holds, the exit
 * code says whether a merge would make the operator write, and not one write leaves the check.
 * A version deletion is previewed with HeadObjects of its versions, signed by the job's own key.
 * Fails (never skips) when RadosGW cannot start.
 */
class RgwCheckTest {

  private static final String UID = "bpo-check";
  private static final String ACCESS_KEY = "BPOCHECKACCESSKEY001";
  private static final String SECRET_KEY = "check-secret-key-0123456789abcdefghijk";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/check-root";
  private static final int PERIOD = 30;

  /** A user of its own for the deletion preview, so that the policy test's listing stays as it is. */
  private static final String DEL_UID = "bpo-check-del";
  private static final String DEL_ACCESS_KEY = "BPOCHECKDELACCESS001";
  private static final String DEL_SECRET_KEY = "check-del-secret-key-0123456789abcdefgh";
  private static final String MANIFEST = "bucketprotection-manifests/erasure.csv";

  private static RgwLab rgw;
  private static S3Client s3;
  private static S3CountingProxy proxy;
  private static int devices;

  @BeforeAll
  static void start() throws Exception {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
    proxy = S3CountingProxy.start(rgw.endpoint());
    bucket("check-in-sync", BucketVersioningStatus.ENABLED, false);
    bucket("check-locked", BucketVersioningStatus.ENABLED, true);
    bucket("check-unversioned", null, false);
    bucket("check-to-suspend", BucketVersioningStatus.ENABLED, false);
    bucket("check-guarded", BucketVersioningStatus.ENABLED, false);
    bucket("check-watched", null, false);
    bucket("check-person", BucketVersioningStatus.ENABLED, false);
    bucket("check-expiring", BucketVersioningStatus.ENABLED, false);
    s3.putBucketLifecycleConfiguration(r -> r.bucket("check-expiring").lifecycleConfiguration(c -> c.rules(
        rule -> rule.id("expire").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
            .expiration(e -> e.days(1)))));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    s3.close();
  }

  /** A bucket set up directly at RGW (not through the proxy); MFA Delete with a code from a fresh device. */
  private static void bucket(String name, BucketVersioningStatus status, boolean mfaDelete) throws Exception {
    s3.createBucket(r -> r.bucket(name));
    if (status == null) {
      return;
    }
    String mfa = null;
    if (mfaDelete) {
      String serial = "arn:aws:iam::123456789012:mfa/check-setup-" + ++devices;
      rgw.createMfaDevice(UID, serial, SEED, PERIOD);
      mfa = serial + " " + new TotpCodeGenerator().code(TotpSeed.parse(SEED), System.currentTimeMillis() / 1000 / PERIOD);
    }
    String code = mfa;
    s3.putBucketVersioning(r -> r.bucket(name).mfa(code).versioningConfiguration(c -> c.status(status)
        .mfaDelete(mfaDelete ? MFADelete.ENABLED : MFADelete.DISABLED)));
  }

  /** The environment a CI job gives the check: its own read credentials, and the operator's settings. */
  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
    return env;
  }

  /** A resource with inline credentials (a Secret of its namespace that the check never reads). */
  private static String protection(String name, String bucket, String versioning, String extraSpec) {
    return "apiVersion: bucketprotection.io/v1alpha1\nkind: BucketProtection\nmetadata: {name: " + name
        + ", namespace: team}\nspec:\n  bucket: " + bucket + "\n  versioning: " + versioning
        + "\n  credentials: {secretRef: {name: root-keys}}\n" + extraSpec + "---\n";
  }

  private static final String MFA_BLOCK = "  mfaDelete: Enabled\n  mfa:\n    serialNumber: " + SERIAL
      + "\n    totpSeed: {secretKeyRef: {name: root-mfa, key: seed}}\n";

  /** The bucket states as the test reads them directly at RGW. */
  private static List<String> states(String... buckets) {
    List<String> states = new ArrayList<>();
    for (String bucket : buckets) {
      GetBucketVersioningResponse r = s3.getBucketVersioning(b -> b.bucket(bucket));
      states.add(bucket + " " + r.statusAsString() + " " + r.mfaDeleteAsString());
    }
    return states;
  }

  /** One run of the check, and the requests it sent. */
  private record Checked(CheckRun run, S3CountingProxy.Counts counts) {
  }

  /** {@code check} as a CI job runs it here: RGW (through the proxy) is on --allowed-endpoints. */
  private static CheckRun check(Map<String, String> env, String input, String... args) {
    List<String> all = new ArrayList<>(List.of("--allowed-endpoints", proxy.endpoint().toString()));
    all.addAll(List.of(args));
    return CheckRun.of(env, input, all.toArray(String[]::new));
  }

  /** Runs {@code check}, and asserts that it sent only reads (counted at the wire, by kind). */
  private static Checked readsOnly(Supplier<CheckRun> check) {
    S3CountingProxy.Counts before = proxy.snapshot();
    CheckRun run = check.get();
    S3CountingProxy.Counts counts = proxy.snapshot().minus(before);
    assertEquals(0, counts.requests(S3CountingProxy.PUT_VERSIONING), counts.requests().toString());
    assertEquals(0, counts.requests(S3CountingProxy.PUT_VERSIONING_MFA), counts.requests().toString());
    assertEquals(0, counts.otherRequests(), "only the two reads the operator makes: " + counts.requests());
    return new Checked(run, counts);
  }

  @Test
  void bucketsInSyncExitZeroThroughTheAccountsEndpoint() {
    // No default endpoint: the account's endpoint is where the check reads, as the operator would.
    Map<String, String> env = env();
    env.remove("AWS_ENDPOINT_URL_S3");
    String input = "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\nmetadata: {name: rgw}\nspec:\n"
        + "  endpoint: " + proxy.endpoint() + "\n  region: us-east-1\n  credentials: {secretRef: {name: root-keys}}\n"
        + "  mfa: {serialNumber: \"" + SERIAL + "\", totpSeed: {secretKeyRef: {name: root-mfa, key: seed}}}\n"
        + "  buckets: [\"check-*\"]\n  namespaces: {names: [team]}\n---\n"
        + "apiVersion: bucketprotection.io/v1alpha1\nkind: BucketProtection\nmetadata: {name: plain, namespace: team}\n"
        + "spec: {bucket: check-in-sync, versioning: Enabled, accountRef: {kind: ClusterS3Account, name: rgw}}\n---\n"
        + "apiVersion: bucketprotection.io/v1alpha1\nkind: BucketProtection\nmetadata: {name: locked, namespace: team}\n"
        + "spec: {bucket: check-locked, versioning: Enabled, mfaDelete: Enabled,"
        + " accountRef: {kind: ClusterS3Account, name: rgw}}\n";
    Checked checked = readsOnly(() -> check(env, input, "--trust-input-accounts"));
    CheckRun run = checked.run();
    S3CountingProxy.Counts counts = checked.counts();
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(2, counts.requests(S3CountingProxy.GET_VERSIONING), counts.requests().toString());
    String locked = run.block("BucketProtection team/locked");
    assertTrue(locked.contains("observed: versioning Enabled, MFA Delete Enabled"), locked);
    assertTrue(locked.contains("action:   none"), locked);
    assertTrue(locked.contains("reports:  InSync: versioning Enabled, MFA Delete Enabled"), locked);
    assertTrue(run.block("BucketProtection team/plain").contains("reports:  InSync"), run.toString());
    assertTrue(run.stdout().endsWith("summary:  3 resources, none 3; exit code 0\n"), run.toString());
  }

  @Test
  void aMergeThatWouldWriteExitsTwoWithThePlanAndWritesNothing() {
    String input = protection("vault", "check-unversioned", "Enabled", MFA_BLOCK)
        + protection("retire", "check-to-suspend", "Suspended", "  mfaDelete: Disabled\n")
            .replace("namespace: team}", "namespace: team, annotations: {bucketprotection.io/allow-weakening:"
                + " check-to-suspend}}");
    List<String> before = states("check-unversioned", "check-to-suspend");
    Checked checked = readsOnly(() -> check(env(), input, "--output", "json"));
    CheckRun run = checked.run();
    S3CountingProxy.Counts counts = checked.counts();
    assertEquals(2, run.exitCode(), run.toString());
    assertEquals(before, states("check-unversioned", "check-to-suspend"), "nothing changed on the server");
    assertEquals(2, counts.requests(S3CountingProxy.GET_VERSIONING), counts.requests().toString());
    assertEquals(1, counts.requests(S3CountingProxy.GET_LIFECYCLE), "read before switching MFA Delete on");

    JsonNode vault = run.resource("BucketProtection", "team", "vault");
    assertEquals("write", vault.path("action").asText(), vault.toString());
    assertEquals("Unversioned", vault.path("observed").path("versioning").asText());
    assertEquals("Disabled", vault.path("observed").path("mfaDelete").asText());
    assertEquals("Enabled", vault.path("write").path("versioning").asText());
    assertEquals("Enabled", vault.path("write").path("mfaDelete").asText());
    assertTrue(vault.path("needsMfaCode").asBoolean(), "switching MFA Delete on needs a code");
    assertEquals("operator", vault.path("mfaCodeFrom").asText(), "the seed is stored: the operator makes the code");
    assertTrue(vault.path("supplyCode").isNull(), vault.toString());
    assertFalse(vault.path("weakens").asBoolean());
    assertEquals("versioning Unversioned -> Enabled, MFA Delete Disabled -> Enabled", vault.path("change").asText());
    assertEquals("Applied", vault.path("reason").asText());
    assertTrue(vault.path("message").asText().contains("with an MFA code from device " + SERIAL), vault.toString());
    assertEquals(proxy.endpoint().toString(), vault.path("endpoint").asText());

    JsonNode retire = run.resource("BucketProtection", "team", "retire");
    assertEquals("write", retire.path("action").asText(), retire.toString());
    assertEquals("Suspended", retire.path("write").path("versioning").asText());
    assertTrue(retire.path("weakens").asBoolean(), "suspending weakens");
    assertFalse(retire.path("needsMfaCode").asBoolean());
    assertFalse(run.stdout().contains(SECRET_KEY), "the environment's secret key is never printed");
  }

  @Test
  void theTextPlanOfAWriteSaysWhatAndWhetherACodeIsNeeded() {
    String input = protection("vault", "check-unversioned", "Enabled", MFA_BLOCK);
    CheckRun run = readsOnly(() -> check(env(), input)).run();
    assertEquals(2, run.exitCode(), run.toString());
    String block = run.block("BucketProtection team/vault");
    assertTrue(block.contains("\n  observed: versioning Unversioned, MFA Delete Disabled\n"), block);
    assertTrue(block.contains("\n  wanted:   versioning Enabled, MFA Delete Enabled (mode Enforce)\n"), block);
    assertTrue(block.contains("\n  action:   write versioning Enabled, MFA Delete Enabled (versioning Unversioned ->"
        + " Enabled, MFA Delete Disabled -> Enabled)\n            needs an MFA code: yes; weakens protection: no\n"),
        block);
    assertFalse(run.stdout().contains("\u001b"), "plain text");
  }

  @Test
  void refusalsExitOneWithTheOperatorsReason() {
    String input = protection("guarded", "check-guarded", "Suspended", "")
        + protection("expiring", "check-expiring", "Enabled", MFA_BLOCK)
        + protection("missing", "check-no-such-bucket", "Enabled", "");
    List<String> before = states("check-guarded", "check-expiring");
    Checked checked = readsOnly(() -> check(env(), input, "--output", "json"));
    CheckRun run = checked.run();
    S3CountingProxy.Counts counts = checked.counts();
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals(before, states("check-guarded", "check-expiring"));
    assertEquals(1, counts.requests(S3CountingProxy.GET_LIFECYCLE), counts.requests().toString());
    JsonNode guarded = run.resource("BucketProtection", "team", "guarded");
    assertEquals("WeakeningDenied", guarded.path("reason").asText(), guarded.toString());
    assertEquals("refused", guarded.path("action").asText());
    assertEquals("versioning Enabled -> Suspended", guarded.path("change").asText());
    assertEquals("LifecycleConflict", run.resource("BucketProtection", "team", "expiring").path("reason").asText());
    assertEquals("BucketNotFound", run.resource("BucketProtection", "team", "missing").path("reason").asText());
  }

  @Test
  void anObserveModeDifferenceExitsZero() {
    String input = protection("watch", "check-watched", "Enabled", "  mode: Observe\n");
    CheckRun run = readsOnly(() -> check(env(), input)).run();
    assertEquals(0, run.exitCode(), run.toString());
    String block = run.block("BucketProtection team/watch");
    assertTrue(block.contains("\n  action:   none\n"), block);
    assertTrue(block.contains("\n  differs:  versioning Unversioned -> Enabled\n"), block);
    assertTrue(block.contains("\n  reports:  DriftDetected: Bucket differs from the spec"), block);
  }

  @Test
  void credentialsTheServerRefusesAreAnErrorAndNeverPrinted() {
    Map<String, String> env = env();
    env.put("AWS_SECRET_ACCESS_KEY", "WRONG-secret-key-that-must-never-be-printed");
    CheckRun run = readsOnly(() -> check(env, protection("plain", "check-in-sync", "Enabled", ""))).run();
    assertEquals(1, run.exitCode(), run.toString());
    String block = run.block("BucketProtection team/plain");
    assertTrue(block.contains("reports:  AccessDenied: "), block);
    assertTrue(block.contains("note:     The bucket was read with this environment's AWS credentials"), block);
    String all = run.stdout() + run.stderr();
    assertFalse(all.contains("WRONG-secret-key"), all);
    assertFalse(all.contains(ACCESS_KEY), "not even the key id: " + all);
  }

  @Test
  void aWriteThatNeedsAPersonsCodeSaysWhoTypesItAndHow() {
    String input = protection("person", "check-person", "Enabled", "  mfaDelete: Enabled\n  mfa:\n    serialNumber: "
        + SERIAL + "\n") + protection("plain", "check-in-sync", "Enabled", "");
    Checked checked = readsOnly(() -> check(env(), input));
    CheckRun run = checked.run();
    assertEquals(2, run.exitCode(), run.toString());
    String person = run.block("BucketProtection team/person");
    assertTrue(person.contains("needs an MFA code: yes, typed by a person"), person);
    assertTrue(person.contains("code:     the operator waits (AwaitingMfaCode) until someone runs: kubectl -n team"
        + " annotate bp person bucketprotection.io/mfa-code=<6-digit code> --overwrite"), person);
    assertTrue(run.stdout().endsWith("waiting for a person's MFA code: 1 change (the device's seed is not stored)\n"
        + "  check-person: MFA Delete Disabled -> Enabled; kubectl -n team annotate bp person"
        + " bucketprotection.io/mfa-code=<6-digit code> --overwrite\n"), run.stdout());
    assertFalse(run.block("BucketProtection team/plain").contains("typed by a person"), run.toString());

    JsonNode json = readsOnly(() -> check(env(), input, "--output", "json")).run()
        .resource("BucketProtection", "team", "person");
    assertEquals("person", json.path("mfaCodeFrom").asText(), json.toString());
    assertTrue(json.path("supplyCode").asText().startsWith("kubectl -n team annotate bp person "), json.toString());
  }

  @Test
  void aPolicyExpandsIntoTheBucketsItWouldCoverWithOneListingAndNoWrite(@TempDir Path dir) throws Exception {
    // The account comes from the CI owner's file, as on a pull request.
    Path accounts = dir.resolve("accounts.yaml");
    Files.writeString(accounts, "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\n"
        + "metadata: {name: rgw}\nspec:\n  endpoint: " + proxy.endpoint() + "\n  region: us-east-1\n"
        + "  credentials: {secretRef: {name: root-keys}}\n  buckets: [\"check-*\"]\n  namespaces: {names: [team]}\n");
    String input = "apiVersion: bucketprotection.io/v1alpha1\nkind: BucketProtectionPolicy\nmetadata: {name: fleet, namespace: team}\n"
        + "spec:\n  accountRef: {kind: ClusterS3Account, name: rgw}\n"
        + "  selector: {include: [\"check-*\"], exclude: [\"check-to-*\", \"check-person\"]}\n"
        + "  template: {versioning: Enabled}\n";
    Map<String, String> env = env();
    env.remove("AWS_ENDPOINT_URL_S3");
    S3CountingProxy.Counts before = proxy.snapshot();
    CheckRun run = check(env, input, "--accounts", accounts.toString());
    S3CountingProxy.Counts counts = proxy.snapshot().minus(before);
    assertEquals(0, run.exitCode(), run.toString());
    assertEquals(0, counts.requests(S3CountingProxy.PUT_VERSIONING) + counts.requests(S3CountingProxy.PUT_VERSIONING_MFA),
        counts.requests().toString());
    String block = run.block("BucketProtectionPolicy team/fleet");
    assertTrue(block.contains("Covers 6 buckets of the 8 listed (1 page)"), block);
    assertTrue(block.contains("each with a child BucketProtection: check-expiring, check-guarded, check-in-sync,"
        + " check-locked, check-unversioned, check-watched."), block);
    String covers = block.lines().filter(line -> line.contains("Covers ")).findFirst().orElseThrow();
    assertTrue(!covers.contains("check-to-suspend") && !covers.contains("check-person"), "excluded: " + covers);
    assertTrue(block.contains("bucket:   check-* (not check-to-*, check-person) at " + proxy.endpoint()), block);
  }

  /**
   * The preview of a deletion at RadosGW: one GetBucketVersioning, the manifest's HEAD and GET, and
   * one HEAD per version, every request signed by the job's key; nothing deleted. RadosGW 16
   * answers a HEAD of a delete marker's version 404, without x-amz-delete-marker, as for a version
   * that never existed (AWS answers 405 with x-amz-delete-marker: true): there the marker counts as
   * missing, and the report says a server may not tell them apart.
   */
  @Test
  void aDeletionIsPreviewedWithOneHeadPerVersionSignedByTheJobsKeyAndDeletesNothing(@TempDir Path dir)
      throws Exception {
    rgw.createUser(DEL_UID, DEL_ACCESS_KEY, DEL_SECRET_KEY, 10);
    try (S3Client del = rgw.client(DEL_ACCESS_KEY, DEL_SECRET_KEY)) {
      del.createBucket(r -> r.bucket("check-del-ledger"));
      del.putBucketVersioning(r -> r.bucket("check-del-ledger").versioningConfiguration(c -> c
          .status(BucketVersioningStatus.ENABLED)));
      String v1 = del.putObject(r -> r.bucket("check-del-ledger").key("customers/4711/a b.pdf"),
          RequestBody.fromString("one")).versionId();
      String v2 = del.putObject(r -> r.bucket("check-del-ledger").key("customers/4711/a b.pdf"),
          RequestBody.fromString("two")).versionId();
      String v3 = del.putObject(r -> r.bucket("check-del-ledger").key("customers/4711/c.json"),
          RequestBody.fromString("three")).versionId();
      String marker = del.deleteObject(r -> r.bucket("check-del-ledger").key("customers/4711/c.json")).versionId();
      S3Exception head = assertThrows(S3Exception.class, () -> del.headObject(r -> r.bucket("check-del-ledger")
          .key("customers/4711/c.json").versionId(marker)));
      assertEquals(404, head.statusCode(), "RadosGW 16 answers a delete marker's version as a missing one");
      assertTrue(head.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-delete-marker").isEmpty());
      del.createBucket(r -> r.bucket("check-del-manifests"));
      del.putObject(r -> r.bucket("check-del-manifests").key(MANIFEST), RequestBody.fromString(
          "check-del-ledger,customers%2F4711%2Fa+b.pdf," + v2 + "\ncheck-del-ledger,customers%2F4711%2Fc.json," + v3
              + "\n\"check-del-ledger\",\"customers%2F4711%2Fgone\",\"" + v1 + "\"\n"));
      List<String> versionsBefore = del.listObjectVersions(r -> r.bucket("check-del-ledger")).versions().stream()
          .map(v -> v.key() + "@" + v.versionId()).toList();

      Path accounts = dir.resolve("accounts.yaml");
      Files.writeString(accounts, "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\n"
          + "metadata: {name: erasure}\nspec:\n  endpoint: " + proxy.endpoint() + "\n  region: us-east-1\n"
          + "  credentials: {secretRef: {name: root-keys}}\n  observer: {operatorIdentity: {}}\n"
          + "  buckets: [\"check-del-*\"]\n  namespaces: {names: [privacy]}\n  versionDeletion: Allow\n");
      String ovd = "apiVersion: bucketprotection.io/v1alpha1\nkind: ObjectVersionDeletion\n"
          + "metadata: {name: %s, namespace: privacy}\nspec:\n  accountRef: {kind: ClusterS3Account, name: erasure}\n"
          + "  bucket: check-del-ledger\n  reason: PRIV-1\n  %s\n---\n";
      String input = ovd.formatted("inline", "versions: [{key: \"customers/4711/a b.pdf\", versionId: \"" + v1
          + "\"}, {key: \"customers/4711/a b.pdf\", versionId: \"" + v2 + "\"}, {key: customers/4711/c.json,"
          + " versionId: \"" + v3 + "\"}, {key: customers/4711/c.json, versionId: \"" + marker + "\"},"
          + " {key: customers/4711/never, versionId: no-such-version}]")
          + ovd.formatted("listed", "manifest: {bucket: check-del-manifests, key: " + MANIFEST + "}");
      Map<String, String> env = env();
      env.put("AWS_ACCESS_KEY_ID", DEL_ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", DEL_SECRET_KEY);
      env.remove("AWS_ENDPOINT_URL_S3");

      S3CountingProxy.Counts before = proxy.snapshot();
      CheckRun run = check(env, input, "--accounts", accounts.toString(), "--output", "json");
      S3CountingProxy.Counts counts = proxy.snapshot().minus(before);

      assertEquals(0, run.exitCode(), run.toString());
      JsonNode inline = run.resource("ObjectVersionDeletion", "privacy", "inline");
      assertEquals("none", inline.path("action").asText(), inline.toString());
      assertEquals("Enabled", inline.path("observed").path("versioning").asText(), inline.toString());
      JsonNode found = inline.path("versions");
      assertEquals(5, found.path("listed").asInt(), found.toString());
      assertEquals(5, found.path("lookedUp").asInt(), found.toString());
      assertEquals(3, found.path("present").asInt(), found.toString());
      assertEquals(0, found.path("deleteMarkers").asInt(), "RadosGW does not tell a marker apart: " + found);
      assertEquals(2, found.path("missing").asInt(), found.toString());
      assertEquals(List.of("customers/4711/c.json@" + marker, "customers/4711/never@no-such-version"),
          missing(found));
      JsonNode listed = run.resource("ObjectVersionDeletion", "privacy", "listed").path("versions");
      assertEquals("s3://check-del-manifests/" + MANIFEST, listed.path("manifest").asText(), listed.toString());
      assertEquals(3, listed.path("listed").asInt(), listed.toString());
      assertEquals(2, listed.path("present").asInt(), listed.toString());
      assertEquals(List.of("customers/4711/gone@" + v1), missing(listed));

      assertEquals(Set.of(DEL_ACCESS_KEY), counts.signingKeys(), "every request signed by the job's key: "
          + counts.requests());
      assertEquals(Map.of(S3CountingProxy.GET_VERSIONING, 2L, S3CountingProxy.OTHER + " HEAD ?versionId", 8L,
          S3CountingProxy.OTHER + " HEAD", 1L, S3CountingProxy.GET_OBJECT, 1L), counts.requests(),
          "a bucket read per request, the manifest's stamp and body, one HEAD per version; nothing else");
      assertEquals(versionsBefore, del.listObjectVersions(r -> r.bucket("check-del-ledger")).versions().stream()
          .map(v -> v.key() + "@" + v.versionId()).toList(), "nothing deleted");
      assertEquals(1, del.listObjectVersions(r -> r.bucket("check-del-ledger")).deleteMarkers().size());

      CheckRun text = check(env, input, "--accounts", accounts.toString());
      String block = text.block("ObjectVersionDeletion privacy/inline");
      assertTrue(block.contains("\n  versions: 5 listed, all looked up: 3 exist, 0 delete markers, 2 missing\n"), block);
      assertTrue(block.contains("\n  missing:  customers/4711/c.json@" + marker + ", customers/4711/never@no-such-version\n"),
          block);
      assertTrue(block.contains("RadosGW 16 answers 404 for both"), block);
    }
  }

  private static List<String> missing(JsonNode versions) {
    List<String> missing = new ArrayList<>();
    versions.path("missingVersions").forEach(m -> missing.add(m.path("key").asText() + "@" + m.path("versionId").asText()));
    return missing;
  }
}

package io.bucketprotection.operator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import io.bucketprotection.operator.Main;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check --offline}: the operator's validation and binding, on files, folders and standard input. */
class CheckOfflineTest {

  /** No setting at all: the examples pass the check as the docs give it, with nothing allowed beforehand. */
  private static final Map<String, String> ENV = Map.of();
  private static final String EXAMPLES = Path.of("..", "examples").toString();

  /** Every BucketProtection of examples/; each names its namespace, as a newcomer applies it. */
  private static final List<String> EXAMPLE_PROTECTIONS = List.of("platform-protection/audit-logs",
      "platform-protection/billing-exports", "platform-protection/data-lake-raw", "demo/audit-archive",
      "demo/legacy-reports", "payments/ledger", "analytics/clickstream", "analytics/old-exports", "demo/ceph-backups",
      "demo/app-logs");
  private static final List<String> EXAMPLE_ACCOUNTS = List.of("aws-root", "aws-read-only", "default",
      "team-payments", "team-analytics", "prod", "payments-erasure", "ceph");
  private static final List<String> EXAMPLE_POLICIES = List.of("payments/payments-logs");
  private static final List<String> EXAMPLE_DELETIONS = List.of("privacy/erasure-2026-117", "privacy/erasure-2026-118");

  private static final String BP = "apiVersion: bucketprotection.io/v1alpha1\nkind: BucketProtection\n";

  @Test
  void everyExampleValidatesAndBinds() {
    // The examples hold their accounts: trusted here, as a repository's own check of its main branch would.
    // Exactly the command the docs give (docs/operations.md, check in CI): no --namespace, no setting.
    CheckRun run = CheckRun.of(ENV, "", "--offline", "--trust-input-accounts", EXAMPLES);
    assertEquals(0, run.exitCode(), run.toString());
    for (String protection : EXAMPLE_PROTECTIONS) {
      String block = run.block("BucketProtection " + protection);
      assertTrue(block.contains("\n  action:   not observed (--offline): valid and bound"), block);
      assertTrue(block.contains("\n  wanted:   versioning "), block);
    }
    for (String account : EXAMPLE_ACCOUNTS) {
      assertTrue(run.block("ClusterS3Account " + account).contains("\n  action:   none"), run.toString());
    }
    for (String policy : EXAMPLE_POLICIES) {
      String block = run.block("BucketProtectionPolicy " + policy);
      assertTrue(block.contains("\n  action:   not observed (--offline): valid and bound"), block);
      assertTrue(block.contains("The account's buckets were not listed (--offline)."), block);
    }
    for (String deletion : EXAMPLE_DELETIONS) {
      String block = run.block("ObjectVersionDeletion " + deletion);
      assertTrue(block.contains("\n  action:   not observed (--offline): valid and bound"), block);
      assertTrue(block.contains("\n  bucket:   acme-payments-ledger at AWS, via ClusterS3Account payments-erasure"), block);
      assertTrue(block.contains("once approved, and not before: kubectl annotate clusters3account payments-erasure"
          + " approve-deletion.bucketprotection.io/<its uid>=" + deletion + " "), block);
    }
    assertTrue(run.block("ObjectVersionDeletion privacy/erasure-2026-117").contains("3 listed versions of bucket"
        + " acme-payments-ledger would be deleted permanently"), run.toString());
    assertTrue(run.block("BucketProtection payments/ledger").contains(
        "bucket:   acme-payments-ledger at AWS, via ClusterS3Account team-payments"), run.toString());
    assertTrue(run.block("BucketProtection demo/ceph-backups").contains(
        "bucket:   demo-ceph-backups at http://127.0.0.1:7480, region us-east-1, via ClusterS3Account ceph"),
        run.toString());
    assertTrue(run.block("BucketProtection payments/ledger").contains(
        "note:     ClusterS3Account team-payments comes from the input and was counted as ready"), run.toString());
    // team-analytics admits by label selector: not evaluable offline, counted as admitted, and said.
    assertTrue(run.block("BucketProtection analytics/clickstream").contains("namespace analytics was counted as"
        + " admitted"), run.toString());
    assertFalse(run.block("BucketProtection payments/ledger").contains("label selector"), run.toString());
    assertTrue(run.stdout().endsWith("summary:  21 resources, none 8, not-observed 13; exit code 0\n"), run.toString());
    assertEquals("", run.stderr());
  }

  @Test
  void aResourceWithoutANamespaceIsInDefault() {
    // The default account admits namespace demo only: a resource that names no namespace lands in
    // default, as kubectl apply would put it, and is refused there.
    String appLogs = BP + "metadata: {name: app-logs}\nspec: {bucket: demo-app-logs, versioning: Enabled}\n";
    CheckRun run = CheckRun.of(ENV, appLogs, "--offline", "--trust-input-accounts", "--output", "json",
        Path.of(EXAMPLES, "default-account.yaml").toString(), "-");
    assertEquals(1, run.exitCode(), run.toString());
    JsonNode refused = run.resource("BucketProtection", "default", "app-logs");
    assertEquals("NamespaceNotAllowed", refused.path("reason").asText(), refused.toString());
    assertEquals("refused", refused.path("action").asText());
    CheckRun inDemo = CheckRun.of(ENV, appLogs, "--offline", "--trust-input-accounts", "--namespace", "demo",
        Path.of(EXAMPLES, "default-account.yaml").toString(), "-");
    assertEquals(0, inDemo.exitCode(), inDemo.toString());
  }

  @Test
  void aDeletionIsValidatedAndBoundAsTheOperatorDoesAndNothingIsReadForIt() {
    String account = "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\nmetadata: {name: %s}\n"
        + "spec: {credentials: {secretRef: {name: keys}}, observer: {operatorIdentity: {}}, buckets: [\"acme-*\"],"
        + " namespaces: {names: [privacy]}%s}\n---\n";
    String ovd = "apiVersion: bucketprotection.io/v1alpha1\nkind: ObjectVersionDeletion\n"
        + "metadata: {name: %s, namespace: %s}\nspec: {accountRef: {kind: ClusterS3Account, name: %s},"
        + " bucket: acme-ledger, reason: ticket 1, %s}\n---\n";
    String one = "versions: [{key: a, versionId: v1}]";
    String yaml = account.formatted("allows", ", versionDeletion: Allow") + account.formatted("denies", "")
        + ovd.formatted("ok", "privacy", "allows", one)
        + ovd.formatted("from-manifest", "privacy", "allows", "manifest: {bucket: acme-manifests, key:"
            + " bucketprotection-manifests/m.csv}")
        + ovd.formatted("denied", "privacy", "denies", one)
        + ovd.formatted("elsewhere", "other", "allows", one)
        + ovd.formatted("outside", "privacy", "allows", "manifest: {bucket: other-manifests, key:"
            + " bucketprotection-manifests/m.csv}")
        + ovd.formatted("both", "privacy", "allows", one + ", manifest: {bucket: acme-m, key: bucketprotection-manifests/m}")
        + ovd.formatted("unversioned", "privacy", "allows", "versions: [{key: a, versionId: \"null\"}]")
        + ovd.formatted("wrong-prefix", "privacy", "allows", "manifest: {bucket: acme-m, key: manifests/m.csv}");
    CheckRun run = CheckRun.of(ENV, yaml, "--offline", "--trust-input-accounts", "--output", "json");
    assertEquals(1, run.exitCode(), run.toString());
    JsonNode ok = run.resource("ObjectVersionDeletion", "privacy", "ok");
    assertEquals("not-observed", ok.path("action").asText(), ok.toString());
    assertEquals("acme-ledger", ok.path("bucket").asText());
    assertEquals("ClusterS3Account allows", ok.path("account").asText());
    assertTrue(ok.path("reason").isNull() && ok.path("wanted").isNull(), ok.toString());
    assertTrue(ok.path("notes").toString().contains("1 listed version of bucket acme-ledger would be deleted"
        + " permanently once approved, and not before: kubectl annotate clusters3account allows"
        + " approve-deletion.bucketprotection.io/<its uid>=privacy/ok"), ok.toString());
    JsonNode fromManifest = run.resource("ObjectVersionDeletion", "privacy", "from-manifest");
    assertEquals("not-observed", fromManifest.path("action").asText(), fromManifest.toString());
    assertTrue(fromManifest.path("notes").toString().contains("Nothing was read for it (--offline)"),
        fromManifest.toString());
    assertTrue(fromManifest.path("versions").isNull(), fromManifest.toString());
    Map<String, String> refused = Map.of("denied", "VersionDeletionDenied", "elsewhere", "NamespaceNotAllowed",
        "outside", "BucketNotAllowed", "both", "InvalidSpec", "unversioned", "InvalidSpec", "wrong-prefix",
        "InvalidSpec");
    refused.forEach((name, reason) -> {
      JsonNode result = run.resource("ObjectVersionDeletion", name.equals("elsewhere") ? "other" : "privacy", name);
      assertEquals(reason, result.path("reason").asText(), result.toString());
      assertEquals("refused", result.path("action").asText(), result.toString());
    });
    assertTrue(run.resource("ObjectVersionDeletion", "privacy", "outside").path("message").asText()
        .startsWith("spec.manifest.bucket: "), run.toString());
    assertTrue(run.resource("ObjectVersionDeletion", "privacy", "both").path("message").asText()
        .contains("give exactly one of spec.versions and spec.manifest"), run.toString());
    assertTrue(run.resource("ObjectVersionDeletion", "privacy", "unversioned").path("message").asText()
        .contains("version id null names the unversioned copy"), run.toString());
    assertTrue(run.resource("ObjectVersionDeletion", "privacy", "wrong-prefix").path("message").asText()
        .contains("spec.manifest.key must start with bucketprotection-manifests/"), run.toString());

    CheckRun valid = CheckRun.of(ENV, account.formatted("allows", ", versionDeletion: Allow")
        + ovd.formatted("ok", "privacy", "allows", one), "--offline", "--trust-input-accounts");
    assertEquals(0, valid.exitCode(), "a valid, bound deletion deletes nothing until approved: " + valid);
  }

  @Test
  void aHostileSpecIsInvalidSpecAndItsTextStaysOneBoundedLine() {
    String yaml = BP + "metadata: {name: \"evil\\e[2J\\nFAKE LINE\", namespace: team}\n"
        + "spec:\n  bucket: " + "b".repeat(100_000) + "\n  versioning: Enabled\n"
        + "  credentials: {secretsManager: {secretId: bucket-protection/root-access-keys}}\n"
        + "---\n" + BP + "metadata: {name: thief, namespace: team}\n"
        + "spec:\n  bucket: acme-x\n  versioning: Enabled\n  endpoint: http://user:pw@169.254.169.254/latest\n"
        + "  credentials: {secretsManager: {secretId: bucket-protection/root-access-keys}}\n";
    CheckRun run = CheckRun.of(ENV, yaml, "--offline");
    assertEquals(1, run.exitCode(), run.toString());
    assertFalse(run.stdout().contains("\u001b"), "no escape sequence reaches the log");
    assertFalse(run.stdout().contains("\nFAKE LINE"), "a name cannot start a line of its own");
    assertTrue(run.stdout().length() < 20_000, "bounded: " + run.stdout().length());
    String thief = run.block("BucketProtection team/thief");
    assertTrue(thief.contains("reports:  InvalidSpec: "), thief);
    assertTrue(thief.contains("spec.credentials.secretsManager is refused"), thief);
    assertTrue(thief.contains("spec.endpoint must be http(s)://host[:port]"), thief);
    assertTrue(run.stdout().contains("spec.bucket is 100000 characters long"), run.toString());
  }

  @Test
  void anAccountRefToAnAccountNotInTheInputIsAccountNotFound() {
    String yaml = BP + "metadata: {name: ledger, namespace: payments}\n"
        + "spec: {bucket: acme-payments-ledger, versioning: Enabled, accountRef: {kind: ClusterS3Account, name: gone}}\n"
        + "---\n" + BP + "metadata: {name: own, namespace: payments}\n"
        + "spec: {bucket: acme-payments-own, versioning: Enabled, accountRef: {kind: S3Account, name: mine}}\n";
    CheckRun run = CheckRun.of(ENV, yaml, "--offline", "--output", "json");
    assertEquals(1, run.exitCode(), run.toString());
    JsonNode ledger = run.resource("BucketProtection", "payments", "ledger");
    assertEquals("AccountNotFound", ledger.path("reason").asText(), ledger.toString());
    assertTrue(ledger.path("message").asText().startsWith("ClusterS3Account gone does not exist"), ledger.toString());
    assertEquals("AccountNotFound", run.resource("BucketProtection", "payments", "own").path("reason").asText());
  }

  @Test
  void anS3AccountOfTheSameNamespaceBindsAndAnotherNamespacesDoesNot() {
    String account = "apiVersion: bucketprotection.io/v1alpha1\nkind: S3Account\nmetadata: {name: mine, namespace: %s}\n"
        + "spec: {credentials: {secretRef: {name: keys}}, buckets: [\"acme-*\"]}\n---\n";
    String yaml = account.formatted("payments") + BP + "metadata: {name: own, namespace: payments}\n"
        + "spec: {bucket: acme-payments-own, versioning: Enabled, accountRef: {kind: S3Account, name: mine}}\n---\n"
        + BP + "metadata: {name: borrow, namespace: other}\n"
        + "spec: {bucket: acme-other, versioning: Enabled, accountRef: {kind: S3Account, name: mine}}\n";
    CheckRun run = CheckRun.of(ENV, yaml, "--offline", "--trust-input-accounts", "--output", "json");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("not-observed", run.resource("BucketProtection", "payments", "own").path("action").asText());
    assertEquals("S3Account payments/mine", run.resource("BucketProtection", "payments", "own").path("account").asText());
    assertEquals("AccountNotFound", run.resource("BucketProtection", "other", "borrow").path("reason").asText());
  }

  @Test
  void standardInputIsReadWithoutPathsAndAsDash(@TempDir Path dir) throws IOException {
    String yaml = "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\nmetadata: {name: default}\n"
        + "spec: {credentials: {operatorIdentity: {}}, buckets: [\"demo-*\"], namespaces: {names: [demo]}}\n";
    Files.writeString(dir.resolve("account.yml"), yaml);
    Files.writeString(dir.resolve("notes.txt"), "not yaml: [");  // not *.yaml/*.yml: never read
    String protection = BP + "metadata: {name: logs, namespace: demo}\nspec: {bucket: demo-logs, versioning: Enabled}\n";

    CheckRun bare = CheckRun.of(ENV, yaml + "---\n" + protection, "--offline", "--trust-input-accounts");
    assertEquals(0, bare.exitCode(), bare.toString());
    assertTrue(bare.stdout().contains("BucketProtection demo/logs (-, document 2)"), bare.toString());
    assertTrue(bare.block("BucketProtection demo/logs").contains("via ClusterS3Account default"), bare.toString());

    CheckRun dash = CheckRun.of(ENV, protection, "--offline", "--trust-input-accounts", dir.toString(), "-");
    assertEquals(0, dash.exitCode(), dash.toString());
    assertTrue(dash.stdout().contains("BucketProtection demo/logs (-, document 1)"), dash.toString());
    assertTrue(dash.stdout().contains("ClusterS3Account default (" + dir.resolve("account.yml") + ", document 1)"),
        dash.toString());
  }

  @Test
  void jsonIsOneDocumentWithTheSameFieldsForEveryResource() {
    CheckRun run = CheckRun.of(ENV, "", "--offline", "--trust-input-accounts", "--namespace", "demo", "--output",
        "json", EXAMPLES);
    assertEquals(0, run.exitCode(), run.toString());
    JsonNode report = run.json();
    assertTrue(report.isArray());
    assertEquals(EXAMPLE_PROTECTIONS.size() + EXAMPLE_ACCOUNTS.size() + EXAMPLE_POLICIES.size()
        + EXAMPLE_DELETIONS.size(), report.size());
    Set<String> fields = Set.of("kind", "namespace", "name", "file", "document", "bucket", "account", "endpoint",
        "region", "mode", "wanted", "observed", "action", "write", "change", "needsMfaCode", "mfaCodeFrom",
        "supplyCode", "weakens", "reason", "message", "notes", "versions");
    for (JsonNode resource : report) {
      Set<String> names = new TreeSet<>();
      resource.fieldNames().forEachRemaining(names::add);
      assertEquals(new TreeSet<>(fields), names, resource.toString());
    }
    JsonNode ledger = run.resource("BucketProtection", "payments", "ledger");
    assertEquals("acme-payments-ledger", ledger.path("bucket").asText());
    assertEquals("ClusterS3Account team-payments", ledger.path("account").asText());
    assertTrue(ledger.path("endpoint").isNull(), "AWS");
    assertEquals("Enabled", ledger.path("wanted").path("mfaDelete").asText());
    assertEquals("Enforce", ledger.path("mode").asText());
    assertTrue(ledger.path("observed").isNull());
    assertFalse(ledger.path("needsMfaCode").asBoolean());
    assertTrue(ledger.path("notes").get(0).asText().contains("counted as ready"), ledger.toString());
    JsonNode appLogs = run.resource("BucketProtection", "demo", "app-logs");
    assertTrue(appLogs.path("wanted").path("mfaDelete").isNull(), "not managed: " + appLogs);
    assertTrue(run.resource("ClusterS3Account", null, "aws-root").path("bucket").isNull());
  }

  @Test
  void aSpecWithFieldsThisVersionDoesNotKnowIsRefusedOffline() {
    String yaml = BP + "metadata: {name: newer, namespace: team}\n"
        + "spec: {bucket: team-bucket, versioning: Enabled, credentials: {secretRef: {name: k}}, retention: 7d}\n";
    CheckRun run = CheckRun.of(ENV, yaml, "--offline", "--output", "json");
    assertEquals(1, run.exitCode(), run.toString());
    JsonNode newer = run.resource("BucketProtection", "team", "newer");
    assertEquals("UnsupportedField", newer.path("reason").asText(), newer.toString());
    assertTrue(newer.path("message").asText().contains("spec.retention"), newer.toString());
  }

  @Test
  void anInvalidAccountFailsTheCheckEvenUnused() {
    String yaml = "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\nmetadata: {name: broken}\n"
        + "spec: {credentials: {operatorIdentity: {}}, buckets: []}\n---\n"
        + "apiVersion: bucketprotection.io/v1alpha1\nkind: ClusterS3Account\nmetadata: {name: newer}\n"
        + "spec: {credentials: {operatorIdentity: {}}, buckets: [\"*\"], futureField: 1}\n";
    CheckRun run = CheckRun.of(ENV, yaml, "--offline", "--output", "json");
    assertEquals(1, run.exitCode(), run.toString());
    assertEquals("InvalidSpec", run.resource("ClusterS3Account", null, "broken").path("reason").asText());
    assertEquals("UnsupportedField", run.resource("ClusterS3Account", null, "newer").path("reason").asText());
  }

  @Test
  void otherDocumentsAreIgnoredAndSecretValuesNeverAppear() {
    String yaml = "apiVersion: v1\nkind: Secret\nmetadata: {name: aws-root}\n"
        + "stringData: {AWS_SECRET_ACCESS_KEY: SECRET-VALUE-FROM-INPUT}\n---\n"
        + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n---\n"
        + "apiVersion: bucketprotection.io/v1beta9\nkind: BucketProtection\nmetadata: {name: future}\n"
        + "spec: {bucket: team-bucket, versioning: Enabled, credentials: {secretRef: {name: aws-root}}}\n---\n"
        + "---\n" + BP + "metadata: {name: inline, namespace: team}\n"
        + "spec: {bucket: team-bucket, versioning: Enabled, credentials: {secretRef: {name: aws-root}}}\n";
    CheckRun run = CheckRun.of(ENV, yaml, "--offline", "--output", "json");
    assertEquals(1, run.exitCode(), "a version this operator does not serve is refused: " + run);
    assertEquals(2, run.json().size(), run.toString());
    JsonNode future = run.resource("BucketProtection", "default", "future");
    assertEquals("InvalidSpec", future.path("reason").asText(), future.toString());
    assertTrue(future.path("message").asText().startsWith("bucketprotection.io/v1beta9 BucketProtection is not a kind"
        + " this operator version serves"), future.toString());
    assertEquals("not-observed", run.resource("BucketProtection", "team", "inline").path("action").asText());
    assertFalse(run.stdout().contains("SECRET-VALUE-FROM-INPUT") || run.stderr().contains("SECRET-VALUE-FROM-INPUT"));
  }

  @Test
  void usageAndInputErrorsExitOneOnStandardError() {
    for (String[] args : List.of(new String[] {"--bogus"}, new String[] {"--output", "yaml"},
        new String[] {"--output"}, new String[] {"--namespace"})) {
      CheckRun run = CheckRun.of(ENV, "", args);
      assertEquals(1, run.exitCode(), run.toString());
      assertEquals("", run.stdout());
      assertTrue(run.stderr().contains("usage: java -jar bucket-protection-operator.jar check [--offline]"
          + " [--output text|json]"), run.toString());
    }
    CheckRun missing = CheckRun.of(ENV, "", "--offline", "no-such-dir");
    assertEquals(1, missing.exitCode());
    assertTrue(missing.stderr().contains("no such file or folder: no-such-dir"), missing.toString());
    CheckRun broken = CheckRun.of(ENV, "a: [\nb: c\n", "--offline");
    assertEquals(1, broken.exitCode());
    assertTrue(broken.stderr().startsWith("check: -: not valid YAML at line"), broken.toString());
    String twice = BP + "metadata: {name: a, namespace: n}\nspec: {bucket: b-b, versioning: Enabled}\n---\n";
    CheckRun duplicate = CheckRun.of(ENV, twice + twice, "--offline");
    assertEquals(1, duplicate.exitCode());
    assertTrue(duplicate.stderr().contains("BucketProtection n/a is defined twice"), duplicate.toString());
    CheckRun badConfig = CheckRun.of(Map.of("BPO_ALLOWED_ENDPOINTS", "ftp://x"), "", "--offline");
    assertEquals(1, badConfig.exitCode());
    assertTrue(badConfig.stderr().contains("invalid configuration"), badConfig.toString());
  }

  @Test
  void offlineOpensNoConnection() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    try (ServerSocket s3 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            s3.accept().close();
            connections.incrementAndGet();
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + s3.getLocalPort(),
          "AWS_ACCESS_KEY_ID", "AKIAOFFLINE", "AWS_SECRET_ACCESS_KEY", "offline-secret");
      String yaml = BP + "metadata: {name: a, namespace: n}\n"
          + "spec: {bucket: b-b, versioning: Enabled, credentials: {secretRef: {name: k}}}\n";
      CheckRun offline = CheckRun.of(env, yaml, "--offline");
      assertEquals(0, offline.exitCode(), offline.toString());
      assertEquals(0, connections.get(), "--offline reads nothing");
      // The same input online does reach the endpoint (once allowed): the counter above can count.
      CheckRun online = CheckRun.of(env, yaml, "--allowed-endpoints", "http://127.0.0.1:" + s3.getLocalPort());
      assertEquals(1, online.exitCode(), online.toString());
      assertTrue(connections.get() > 0, "the online run connected");
      assertTrue(online.block("BucketProtection n/a").contains("reports:  "), online.toString());
    }
  }

  @Test
  void bucketsSharedByTwoWritingResourcesAreNamed() {
    String yaml = BP + "metadata: {name: a, namespace: n}\n"
        + "spec: {bucket: same-bucket, versioning: Enabled, credentials: {secretRef: {name: k}}}\n---\n"
        + BP + "metadata: {name: b, namespace: n}\n"
        + "spec: {bucket: same-bucket, versioning: Suspended, credentials: {secretRef: {name: k}}}\n---\n"
        + BP + "metadata: {name: watcher, namespace: n}\n"
        + "spec: {bucket: same-bucket, versioning: Enabled, mode: Observe, credentials: {secretRef: {name: k}}}\n";
    CheckRun run = CheckRun.of(ENV, yaml, "--offline", "--output", "json");
    List<String> notes = new ArrayList<>();
    run.resource("BucketProtection", "n", "a").path("notes").forEach(n -> notes.add(n.asText()));
    assertTrue(notes.stream().anyMatch(n -> n.contains("BucketProtection n/b also writes")), notes.toString());
    assertEquals(0, run.resource("BucketProtection", "n", "watcher").path("notes").size(), "Observe writes nothing");
  }

  @Test
  void theJarsMainExitsOneWithTheUsageLineOnAUsageError() throws IOException, InterruptedException {
    // Main.main cannot be called in process (it exits): the dispatch is tried in a JVM of its own.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "check", "--output").start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(1, process.exitValue(), stderr);
    assertTrue(stderr.contains("usage: java -jar bucket-protection-operator.jar check"), stderr);
  }
}

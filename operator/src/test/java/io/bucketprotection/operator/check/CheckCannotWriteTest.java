package io.bucketprotection.operator.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bucketprotection.operator.Main;
import io.bucketprotection.operator.bench.S3CountingProxy;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.testsupport.RgwLab;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.MFADelete;

/**
 * {@code check} never writes, counted at the wire. The jar's {@code check} runs in a JVM of its own
 * against Ceph RadosGW (an S3 server that enforces MFA Delete) through {@link S3CountingProxy}, on
 * an input in which the operator would change buckets every way it can (switch versioning and MFA
 * Delete on with its own code, wait for a person's code, suspend with the weakening keys) and
 * refuse others. Every request that reached the proxy must be one of the documented reads, and
 * Kubernetes, Secrets Manager and STS (all pointed at one counting socket) get no connection.
 * The run also shows that the jar's main dispatches {@code check}, passes its exit code on, and
 * keeps standard output for the report with the shipped logging configuration at DEBUG.
 * Fails (never skips) when RadosGW cannot start.
 */
class CheckCannotWriteTest {

  private static final String UID = "bpo-nowrite";
  private static final String ACCESS_KEY = "BPONOWRITEACCESSKEY1";
  private static final String SECRET_KEY = "nowrite-secret-key-0123456789abcdefghij";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/nowrite-root";
  private static final int PERIOD = 30;
  /** What {@code check} documents that it sends: reads, and nothing else. */
  private static final Set<String> DOCUMENTED_READS = Set.of(S3CountingProxy.GET_VERSIONING,
      S3CountingProxy.GET_LIFECYCLE, S3CountingProxy.LIST_BUCKETS);
  private static final List<String> BUCKETS = List.of("nowrite-unversioned", "nowrite-to-suspend", "nowrite-person",
      "nowrite-guarded", "nowrite-expiring", "nowrite-watched", "nowrite-locked");
  private static final String API = "apiVersion: bucketprotection.io/v1alpha1\n";

  private static RgwLab rgw;
  private static S3Client s3;
  private static S3CountingProxy proxy;

  @BeforeAll
  static void start() throws Exception {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
    proxy = S3CountingProxy.start(rgw.endpoint());
    bucket("nowrite-unversioned", null, false);
    bucket("nowrite-to-suspend", BucketVersioningStatus.ENABLED, false);
    bucket("nowrite-person", BucketVersioningStatus.ENABLED, false);
    bucket("nowrite-guarded", BucketVersioningStatus.ENABLED, false);
    bucket("nowrite-expiring", BucketVersioningStatus.ENABLED, false);
    bucket("nowrite-watched", null, false);
    bucket("nowrite-locked", BucketVersioningStatus.ENABLED, true);
    s3.putBucketLifecycleConfiguration(r -> r.bucket("nowrite-expiring").lifecycleConfiguration(c -> c.rules(
        rule -> rule.id("expire").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
            .expiration(e -> e.days(1)))));
  }

  @AfterAll
  static void stop() {
    proxy.close();
    s3.close();
  }

  @Test
  void everyRequestIsADocumentedReadWhereTheOperatorWouldWrite(@TempDir Path dir) throws Exception {
    Path accounts = dir.resolve("accounts.yaml");
    Files.writeString(accounts, account());
    Path input = dir.resolve("pull-request.yaml");
    Files.writeString(input, protections() + inline("retire", "nowrite-to-suspend", "Suspended",
        "  mfaDelete: Disabled\n").replace("namespace: team}", "namespace: team, annotations:"
        + " {bucketprotection.io/allow-weakening: nowrite-to-suspend}}")
        + inline("person", "nowrite-person", "Enabled", "  mfaDelete: Enabled\n  mfa: {serialNumber: \"" + SERIAL
        + "\"}\n"));
    List<String> before = states();
    S3CountingProxy.Counts start = proxy.snapshot();
    try (CountingSocket elsewhere = new CountingSocket()) {
      Result result = jar(dir, elsewhere, "--output", "json", "--accounts", accounts.toString(),
          "--allowed-endpoints", proxy.endpoint().toString(), input.toString());
      S3CountingProxy.Counts counts = proxy.snapshot().minus(start);

      assertEquals("", result.stderr(), result.toString());
      // The paths where the operator would write were reached: the plan says it would. Standard output is
      // the report alone (one JSON document, one object per resource), though the job asked for DEBUG logs.
      Map<String, JsonNode> report = byName(result.stdout());
      assertEquals(9, report.size(), result.toString());
      assertEquals("write", report.get("vault").path("action").asText(), result.toString());
      assertEquals("operator", report.get("vault").path("mfaCodeFrom").asText(), result.toString());
      assertEquals("write", report.get("retire").path("action").asText(), result.toString());
      assertTrue(report.get("retire").path("weakens").asBoolean(), result.toString());
      assertEquals("person", report.get("person").path("mfaCodeFrom").asText(), result.toString());
      assertEquals("WeakeningDenied", report.get("guarded").path("reason").asText(), result.toString());
      assertEquals("LifecycleConflict", report.get("expiring").path("reason").asText(), result.toString());
      assertEquals("DriftDetected", report.get("watch").path("reason").asText(), result.toString());
      assertEquals("InSync", report.get("locked").path("reason").asText(), result.toString());
      assertTrue(report.get("fleet").path("notes").get(0).asText().startsWith("Covers 7 buckets of the 7 listed"),
          result.toString());
      assertEquals(1, result.exitCode(), "refusals among the plans: " + result);

      // At the wire: reads only, of the documented kinds, one versioning read per resource.
      assertEquals(Set.of(), kindsOtherThan(counts, DOCUMENTED_READS), counts.requests().toString());
      assertEquals(8, counts.requests(S3CountingProxy.GET_VERSIONING), counts.requests().toString());
      assertEquals(1, counts.requests(S3CountingProxy.LIST_BUCKETS), counts.requests().toString());
      assertTrue(counts.requests(S3CountingProxy.GET_LIFECYCLE) >= 1, counts.requests().toString());
      assertEquals(Set.of(ACCESS_KEY), counts.signingKeys(), "signed with the CI job's keys only");
      assertEquals(0, elsewhere.connections(), "no Kubernetes, Secrets Manager or STS request");
      assertEquals(before, states(), "nothing changed on the server");
      assertFalse(result.stdout().contains(SECRET_KEY) || result.stderr().contains(SECRET_KEY));
    }
  }

  @Test
  void anUntrustedInputAccountSendsNothingEvenAtAnAllowedEndpoint() throws Exception {
    String pullRequest = account() + protections();
    List<String[]> commandLines = List.of(new String[] {"--output", "json"},
        new String[] {"--output", "json", "--allowed-endpoints", proxy.endpoint().toString()});
    for (String[] args : commandLines) {
      S3CountingProxy.Counts start = proxy.snapshot();
      CheckRun run = CheckRun.of(env(), pullRequest, args);
      S3CountingProxy.Counts counts = proxy.snapshot().minus(start);
      assertEquals(0, counts.totalRequests(), "no request: " + counts.requests() + "\n" + run);
      assertEquals(0, counts.connections(), "not even a connection: " + run);
      assertEquals(1, run.exitCode(), run.toString());
      for (String name : List.of("vault", "guarded", "expiring", "watch", "locked")) {
        assertEquals("AccountNotTrusted", run.resource("BucketProtection", "team", name).path("reason").asText(),
            run.toString());
      }
      assertEquals("AccountNotTrusted", run.resource("BucketProtectionPolicy", "team", "fleet").path("reason")
          .asText(), run.toString());
    }
  }

  /** The account a CI owner trusts: RGW through the proxy, its MFA seed stored (never read by the check). */
  private static String account() {
    return API + "kind: ClusterS3Account\nmetadata: {name: rgw}\nspec:\n"
        + "  endpoint: " + proxy.endpoint() + "\n  region: us-east-1\n  credentials: {secretRef: {name: root-keys}}\n"
        + "  mfa: {serialNumber: \"" + SERIAL + "\", totpSeed: {secretKeyRef: {name: root-mfa, key: seed}}}\n"
        + "  buckets: [\"nowrite-*\"]\n  namespaces: {names: [team]}\n---\n";
  }

  /** Resources bound to the account: a write with the operator's code, refusals, Observe, in sync, a policy. */
  private static String protections() {
    return viaAccount("vault", "nowrite-unversioned", "versioning: Enabled, mfaDelete: Enabled")
        + viaAccount("guarded", "nowrite-guarded", "versioning: Suspended")
        + viaAccount("expiring", "nowrite-expiring", "versioning: Enabled, mfaDelete: Enabled")
        + viaAccount("watch", "nowrite-watched", "versioning: Enabled, mode: Observe")
        + viaAccount("locked", "nowrite-locked", "versioning: Enabled, mfaDelete: Enabled")
        + viaAccount("missing", "nowrite-no-such-bucket", "versioning: Enabled")
        + API + "kind: BucketProtectionPolicy\nmetadata: {name: fleet, namespace: team}\n"
        + "spec:\n  accountRef: {kind: ClusterS3Account, name: rgw}\n  selector: {include: [\"nowrite-*\"]}\n"
        + "  template: {versioning: Enabled}\n---\n";
  }

  private static String viaAccount(String name, String bucket, String wanted) {
    return API + "kind: BucketProtection\nmetadata: {name: " + name + ", namespace: team}\nspec: {bucket: " + bucket
        + ", " + wanted + ", accountRef: {kind: ClusterS3Account, name: rgw}}\n---\n";
  }

  /** A resource with inline credentials: read at the default endpoint (the proxy). */
  private static String inline(String name, String bucket, String versioning, String extraSpec) {
    return API + "kind: BucketProtection\nmetadata: {name: " + name + ", namespace: team}\nspec:\n  bucket: " + bucket
        + "\n  versioning: " + versioning + "\n  credentials: {secretRef: {name: root-keys}}\n" + extraSpec + "---\n";
  }

  /** The CI job's environment: its own keys, RGW (through the proxy) as the default endpoint. */
  private static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
    return env;
  }

  private record Result(int exitCode, String stdout, String stderr) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /** The jar's main in a JVM of its own; Kubernetes, Secrets Manager and STS all point at {@code elsewhere}. */
  private static Result jar(Path dir, CountingSocket elsewhere, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The shipped logging configuration (as in the jar), not the tests'.
    List<String> command = new ArrayList<>(List.of(java, "-Dlogback.configurationFile=logback.xml", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "check"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("BPO_") || k.startsWith("KUBE"));
    builder.environment().putAll(env());
    String other = elsewhere.endpoint();
    builder.environment().put("KUBERNETES_MASTER", other);
    builder.environment().put("KUBECONFIG", dir.resolve("no-kubeconfig").toString());
    builder.environment().put("AWS_ENDPOINT_URL_SECRETS_MANAGER", other);
    builder.environment().put("AWS_ENDPOINT_URL_STS", other);
    builder.environment().put("LOG_LEVEL", "DEBUG"); // the check silences logging: stdout stays the report
    builder.redirectError(dir.resolve("stderr").toFile());
    Process process = builder.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "check finished");
    return new Result(process.exitValue(), stdout, Files.readString(dir.resolve("stderr")));
  }

  private static Map<String, JsonNode> byName(String json) throws IOException {
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode resource : new ObjectMapper().readTree(json)) {
      byName.put(resource.path("name").asText(), resource);
    }
    return byName;
  }

  private static Set<String> kindsOtherThan(S3CountingProxy.Counts counts, Set<String> allowed) {
    Set<String> other = new java.util.TreeSet<>(counts.requests().keySet());
    other.removeAll(allowed);
    return other;
  }

  /** Versioning and MFA Delete of every bucket, read directly at RGW (not through the proxy). */
  private static List<String> states() {
    List<String> states = new ArrayList<>();
    for (String bucket : BUCKETS) {
      GetBucketVersioningResponse r = s3.getBucketVersioning(b -> b.bucket(bucket));
      states.add(bucket + " " + r.statusAsString() + " " + r.mfaDeleteAsString());
    }
    return states;
  }

  private static void bucket(String name, BucketVersioningStatus status, boolean mfaDelete) throws Exception {
    s3.createBucket(r -> r.bucket(name));
    if (status == null) {
      return;
    }
    String mfa = null;
    if (mfaDelete) {
      String serial = "arn:aws:iam::123456789012:mfa/nowrite-setup";
      rgw.createMfaDevice(UID, serial, SEED, PERIOD);
      mfa = serial + " " + new TotpCodeGenerator().code(TotpSeed.parse(SEED), System.currentTimeMillis() / 1000 / PERIOD);
    }
    String code = mfa;
    s3.putBucketVersioning(r -> r.bucket(name).mfa(code).versioningConfiguration(c -> c.status(status)
        .mfaDelete(mfaDelete ? MFADelete.ENABLED : MFADelete.DISABLED)));
  }

  /** A socket that counts the connections it accepts (counted before it closes them). */
  private static final class CountingSocket implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final AtomicInteger connections = new AtomicInteger();

    CountingSocket() throws IOException {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket client = socket.accept();
            connections.incrementAndGet();
            client.close();
          }
        } catch (IOException closed) {
          // the test is over
        }
      }, "check-nowrite-elsewhere");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String endpoint() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}

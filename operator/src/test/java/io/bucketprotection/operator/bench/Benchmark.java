package io.bucketprotection.operator.bench;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.BucketProtectionPolicy;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaDeviceStatus;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.tenancy.Tenancy;
import java.time.Instant;
import io.bucketprotection.operator.config.Durations;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.policy.ChildNames;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.BlackHoleEndpoint;
import io.bucketprotection.operator.testsupport.MfaWireSteps;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Policies;
import io.bucketprotection.operator.testsupport.RecordingBucketStore;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The scale benchmark of docs/performance.md, against a real Ceph RadosGW and the fabric8 CRUD
 * mock API server. Run by hack/benchmark.sh (not part of the test run). Prints its figures,
 * saves them as JSON, and exits 1 listing every failed check.
 *
 * <p>Why it counts the way it does: a figure docs/performance.md states is only worth something if the
 * benchmark saw everything that could contradict it. So S3 requests are counted at the wire by
 * {@link S3CountingProxy} (the SDK's retries and redirects included), every request the mock API
 * server receives during a wave is kept ({@link KubernetesRequestLog}), the MFA fleet is compared
 * with its exact lower bound ({@link MfaBound}), memory is asserted against the target in docs/performance.md,
 * and the JSON records the git tree of the operator module the figures were measured on.
 *
 * <p>Scenarios: fleet (N buckets to Ready), steady (the re-check of the same N), mfa (buckets
 * sharing one MFA device), pool (buckets sharing a pool of 1, 2 or 4 MFA devices, and 4 with one
 * wrong seed), memory (RGW and fake-S3 operator JVMs), secrets (unrelated Secrets must
 * not cost heap), slow (an endpoint that never answers must not starve the others), hostile
 * (10 KB specs must be refused, not crash the operator), policy (one policy over an RGW user's
 * buckets), policies (many policies on one account share one listing per interval and cost little
 * heap; in-memory S3, so it starts no RadosGW, as secrets does not), deletion (an ObjectVersionDeletion
 * of a manifest under MFA Delete: one coded DeleteObjects per 1,000 versions, one step each).
 */
public final class Benchmark {

  /**
   * The heap settings the memory figures of docs/performance.md rely on. The operator JVMs are started with the
   * Deployment's JAVA_TOOL_OPTIONS as the manifest has them ({@link OperatorJvm#deploymentJvmOptions});
   * DeployManifestsTest checks that those contain these.
   */
  public static final List<String> OPERATOR_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m",
      "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k");

  static final List<String> SCENARIOS = List.of("fleet", "steady", "mfa", "pool", "memory", "secrets", "slow",
      "hostile", "policy", "policies", "deletion");
  /** The scenarios that run without RadosGW (in-memory S3 in an operator JVM of their own). */
  static final Set<String> WITHOUT_RGW = Set.of("secrets", "policies");

  /**
   * The lab's ports (option -> default): apart from the tests' and the demo's; another checkout's
   * benchmark on the same machine moves them with these options. Not sizes: they change no figure.
   */
  static final Map<String, Integer> LAB_PORTS = Map.of("rgw-port", 18480, "mon-port", 18300, "osd-port-min", 18800);

  /** Option -> default; the sizes of the figures in docs/performance.md. */
  static final Map<String, String> DEFAULTS = defaults();

  private static final String UID = "bench";
  private static final String ACCESS_KEY = "BENCHACCESSKEY000001";
  private static final String SECRET_KEY = "bench-secret-key-0123456789abcdefghijkl";
  /** The operator's own identity, the default account's observer: a subuser of the bucket owner, never root. */
  private static final String OBSERVER_KEY = "BENCHOBSERVERKEY0001";
  private static final String OBSERVER_SECRET = "bench-observer-secret-0123456789abcdef";
  private static final String POLICY_OBSERVER_KEY = "BENCHPOLOBSERVERKEY1";
  private static final String POLICY_OBSERVER_SECRET = "bench-policy-observer-secret-01234567";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/bench-fleet";
  private static final int MFA_STEP = 5;
  /** The label the operator's Secret informer selects: every Secret the operator must read carries it. */
  static final String SECRET_LABEL = "bucketprotection.io/secret";
  /** After a wave's last resource is Ready, how long to keep counting: a late (wrong) write would arrive in it. */
  private static final long SETTLE_MILLIS = 3_000;
  /** The memory target for 10,000 resources. */
  private static final double RSS_TARGET_MIB = 300;
  private static final double UNRELATED_SECRETS_HEAP_LIMIT_MIB = 10;
  private static final double POLICIES_HEAP_LIMIT_MIB = 50;
  /** The policies' scanInterval, the least there is: the account is listed once per this. */
  private static final Duration POLICIES_SCAN = Duration.ofMinutes(1);
  private static final double SLOW_ENDPOINT_RATIO_LIMIT = 1.2;
  private static final int RECONCILE_THREADS = 20;

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final List<Map<String, Object>> checks = new ArrayList<>();
  private final Map<String, String> options;
  private final Set<String> only;
  private Path logDir;
  private S3CountingProxy proxy;
  private S3Client s3;

  private Benchmark(Map<String, String> options, Set<String> only) {
    this.options = options;
    this.only = only;
  }

  private static Map<String, String> defaults() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("buckets", "1000");
    d.put("fleet", "20");
    d.put("pool-buckets", "40");
    d.put("memory-resources", "10000");
    d.put("secrets", "10000");
    d.put("secret-kib", "10");
    d.put("secrets-resources", "1000");
    d.put("slow-resources", "50");
    d.put("slow-rgw-resources", "200");
    d.put("hostile-resources", "1000");
    d.put("hostile-valid", "100");
    d.put("policy-buckets", "5000");
    d.put("policy-new", "100");
    d.put("policies", "500");
    d.put("policies-buckets", "10000");
    d.put("deletion-versions", "20000");
    d.put("deletion-listed", "10000");
    return d;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
    Set<String> known = new LinkedHashSet<>(DEFAULTS.keySet());
    known.addAll(List.of("only", "out", "jar", "lab-dir"));
    known.addAll(List.of("rgw-port", "mon-port", "osd-port-min")); // LAB_PORTS, in this order
    Map<String, String> given = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i].replaceFirst("^--", "");
      if (!args[i].startsWith("--") || !known.contains(name) || i + 1 >= args.length) {
        System.err.println("usage: Benchmark [--" + String.join(" N] [--", known) + " ...]; got " + args[i]);
        System.exit(2);
      }
      given.put(name, args[++i]);
    }
    options.putAll(given);
    Set<String> only = new LinkedHashSet<>(given.containsKey("only")
        ? Arrays.stream(given.get("only").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
        : SCENARIOS);
    for (String s : only) {
      if (!SCENARIOS.contains(s)) {
        System.err.println("unknown scenario '" + s + "'; the scenarios are " + String.join(",", SCENARIOS));
        System.exit(2);
      }
    }
    if (only.contains("steady")) {
      only.add("fleet"); // the steady state is the re-check of the fleet's buckets
    }
    boolean partial = !only.containsAll(SCENARIOS)
        || DEFAULTS.entrySet().stream().anyMatch(e -> !e.getValue().equals(options.get(e.getKey())));
    // A partial or scaled-down run never lands on the committed figures unless --out says so.
    Path out = Path.of(options.getOrDefault("out",
        partial ? ".lab/benchmark-partial.json" : "bench-results/benchmark.json"));
    Benchmark benchmark = new Benchmark(options, only);
    int code = benchmark.run(Path.of(options.getOrDefault("lab-dir", ".lab/bench")).toAbsolutePath(), out, partial);
    System.exit(code);
  }

  private int option(String name) {
    return Integer.parseInt(options.get(name));
  }

  private int labPort(String name) {
    return options.containsKey(name) ? Integer.parseInt(options.get(name)) : LAB_PORTS.get(name);
  }

  private boolean runs(String scenario) {
    return only.contains(scenario);
  }

  private int run(Path labDir, Path out, boolean partial) throws Exception {
    logDir = out.toAbsolutePath().getParent();
    Files.createDirectories(logDir);
    results.put("date", Instant.now().toString());
    results.put("machine", machine());
    results.put("measured", GitState.describe());
    results.put("partialRun", partial);
    results.put("scenarios", List.copyOf(only));
    Map<String, Object> sizes = new LinkedHashMap<>();
    DEFAULTS.keySet().forEach(k -> sizes.put(k, option(k)));
    results.put("sizes", sizes);
    results.put("operatorJvmOptions", String.join(" ", OperatorJvm.deploymentJvmOptions()));
    say("measuring the operator module tree %s", results.get("measured"));
    // The operator's own identity (the observer of ClusterS3Account "default") is a subuser of the
    // RGW user: its requests are told apart from the root keys' at the wire by their access key.
    System.setProperty("aws.accessKeyId", OBSERVER_KEY);
    System.setProperty("aws.secretAccessKey", OBSERVER_SECRET);

    boolean needsRgw = only.stream().anyMatch(s -> !WITHOUT_RGW.contains(s));
    if (needsRgw) {
      scenario("radosGw", () -> withRadosGw(labDir));
    }
    if (runs("memory")) {
      scenario("memoryFakeS3", this::memoryFakeS3);
    }
    if (runs("secrets")) {
      scenario("unrelatedSecrets", this::unrelatedSecrets);
    }
    if (runs("policies")) {
      scenario("policiesOnOneAccount", this::policiesOnOneAccount);
    }

    results.put("checks", checks);
    results.put("failures", failures);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    String json = Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results);
    Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
    System.out.println(json);
    say("%d checks, %d failed; results saved to %s", checks.size(), failures.size(), out);
    if (!failures.isEmpty()) {
      say("FAILED:");
      failures.forEach(f -> System.out.println("  - " + f));
      return 1;
    }
    return 0;
  }

  /** The scenarios that need RadosGW, each behind the counting proxy; the lab is stopped after them. */
  private void withRadosGw(Path labDir) throws Exception {
    int bucketsNeeded = option("buckets") + option("fleet") + 3 * option("slow-rgw-resources")
        + option("hostile-valid") + 100;
    try (RgwLab rgw = RgwLab.start(labDir, labPort("rgw-port"), labPort("mon-port"), labPort("osd-port-min"))) {
      rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, bucketsNeeded);
      rgw.createSubuser(UID, "observer", "full", OBSERVER_KEY, OBSERVER_SECRET);
      rgw.createMfaDevice(UID, SERIAL, SEED, MFA_STEP);
      s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
      proxy = S3CountingProxy.start(rgw.endpoint());
      say("RadosGW at %s; the operator talks to it through the counting proxy at %s", rgw.endpoint(),
          proxy.endpoint());
      scenario("s3ProxyCheck", this::proxyCheck);
      if (runs("fleet") || runs("mfa") || runs("pool")) {
        scenario("inProcess", () -> inProcess(rgw));
      }
      if (runs("memory")) {
        scenario("memoryRgw", this::memoryRgw);
      }
      if (runs("slow")) {
        scenario("slowEndpoint", this::slowEndpoint);
      }
      if (runs("hostile")) {
        scenario("hostileSpecs", this::hostileSpecs);
      }
      if (runs("policy")) {
        scenario("fleetPolicy", () -> fleetPolicy(rgw));
      }
      if (runs("deletion")) {
        scenario(DeletionBenchmark.NAME, () -> versionDeletion(rgw));
      }
    } finally {
      if (proxy != null) {
        proxy.close();
      }
      if (s3 != null) {
        s3.close();
      }
    }
  }

  private interface Scenario {
    void run() throws Exception;
  }

  /** Runs one scenario; one that throws is a failed check, and the others still run. */
  private void scenario(String name, Scenario scenario) {
    long start = System.nanoTime();
    try {
      scenario.run();
    } catch (Exception | AssertionError e) {
      e.printStackTrace(System.out);
      check(name + " runs to its end", false, e.toString());
    }
    say("(%s took %.0f s)", name, seconds(start));
  }

  // ------------------------------------------------------------------ the proxy's own check

  /**
   * The proxy must be transparent (RGW verifies signatures made for the proxy's Host, and answers
   * as it would directly) and count each request once: a known sequence through it, compared
   * request by request, and its added latency on kept-alive connections.
   */
  private void proxyCheck() throws Exception {
    S3CountingProxy.Counts before = proxy.snapshot();
    String bucket = "bench-proxy-check";
    byte[] object = new byte[256 * 1024];
    new Random(7).nextBytes(object);
    Map<String, Object> r = new LinkedHashMap<>();
    try (S3Client viaProxy = client(proxy.endpoint())) {
      viaProxy.createBucket(b -> b.bucket(bucket));
      viaProxy.getBucketVersioning(b -> b.bucket(bucket));
      viaProxy.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(c -> c.status(
          BucketVersioningStatus.ENABLED)));
      int lifecycleStatus = 0;
      try {
        viaProxy.getBucketLifecycleConfiguration(b -> b.bucket(bucket));
      } catch (S3Exception e) {
        lifecycleStatus = e.statusCode();
      }
      viaProxy.putObject(b -> b.bucket(bucket).key("blob"), RequestBody.fromBytes(object));
      byte[] back = viaProxy.getObjectAsBytes(b -> b.bucket(bucket).key("blob")).asByteArray();
      viaProxy.headBucket(b -> b.bucket(bucket));
      S3Client direct = s3;
      String versioningDirect = direct.getBucketVersioning(b -> b.bucket(bucket)).statusAsString();
      S3CountingProxy.Counts seen = proxy.snapshot().minus(before);
      Map<String, Long> expected = new TreeMap<>(Map.of(S3CountingProxy.GET_VERSIONING, 1L,
          S3CountingProxy.PUT_VERSIONING, 1L, S3CountingProxy.GET_LIFECYCLE, 1L,
          "other PUT", 2L, S3CountingProxy.GET_OBJECT, 1L, "other HEAD", 1L));
      r.put("requestsSent", expected);
      r.put("requestsCounted", seen.requests());
      r.put("responsesCounted", seen.responsesByClass());
      check("s3ProxyCheck: the proxy counts exactly the requests sent through it, " + expected,
          seen.requests().equals(expected), seen.requests());
      check("s3ProxyCheck: the answers through the proxy are RGW's: 6 x 2xx and the lifecycle read's 404",
          seen.responsesByClass().equals(Map.of("2xx", 6L, "4xx", 1L)) && lifecycleStatus == 404,
          seen.responsesByClass() + ", lifecycle " + lifecycleStatus);
      check("s3ProxyCheck: a 256 KiB object comes back unchanged through the proxy", Arrays.equals(object, back),
          back.length + " bytes");
      check("s3ProxyCheck: a write through the proxy reaches RGW", "Enabled".equals(versioningDirect),
          versioningDirect);

      // Added latency: the same read, 100 times each way, on kept-alive connections.
      int rounds = 100;
      double directMs = medianMillis(rounds, () -> direct.getBucketVersioning(b -> b.bucket(bucket)));
      double proxiedMs = medianMillis(rounds, () -> viaProxy.getBucketVersioning(b -> b.bucket(bucket)));
      r.put("medianGetBucketVersioningMillisDirect", round(directMs));
      r.put("medianGetBucketVersioningMillisThroughProxy", round(proxiedMs));
      r.put("medianMillisAddedByTheProxy", round(proxiedMs - directMs));
      r.put("connectionsForAllOfIt", proxy.snapshot().minus(before).connections());
    }
    results.put("s3ProxyCheck", r);
    say("0. proxy check: counts %s, median GetBucketVersioning %.2f ms direct, %.2f ms through the proxy",
        r.get("requestsCounted"), r.get("medianGetBucketVersioningMillisDirect"),
        r.get("medianGetBucketVersioningMillisThroughProxy"));
  }

  private static double medianMillis(int rounds, Runnable call) {
    for (int i = 0; i < 20; i++) {
      call.run(); // warm-up
    }
    double[] samples = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      call.run();
      samples[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(samples);
    return samples[rounds / 2];
  }

  /** An S3 client like the operator's (URLConnection, checksums only where required), for set-up and checks. */
  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .forcePathStyle(true)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .build();
  }

  // ------------------------------------------------------------------ deletion: versions under MFA Delete

  /** 9: an ObjectVersionDeletion of a manifest in a bucket with MFA Delete on ({@link DeletionBenchmark}). */
  private void versionDeletion(RgwLab rgw) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    results.put(DeletionBenchmark.NAME, r);
    new DeletionBenchmark(rgw, proxy, option("deletion-versions"), option("deletion-listed"), logDir, this::check)
        .run(r);
  }

  // ------------------------------------------------------------------ policy: a fleet from one rule

  private static final String POLICY_UID = "bench-policy";
  private static final String POLICY_KEY = "BENCHPOLICYACCESSKY1";
  private static final String POLICY_SECRET = "bench-policy-secret-key-0123456789abcd";
  private static final String POLICY_NAMESPACE = "bench-pol";
  private static final Duration POLICY_SCAN = Duration.ofMinutes(1);

  /**
   * 8: one BucketProtectionPolicy over an RGW user's buckets (its own user, so ListBuckets returns
   * exactly these): from creating the policy to every child Ready; then a scan that finds nothing
   * new (only the ListBuckets pages RGW returns, no Kubernetes write); then buckets created while
   * the policy runs, covered at its next scan.
   */
  private void fleetPolicy(RgwLab rgw) throws Exception {
    int n = option("policy-buckets");
    int added = option("policy-new");
    rgw.createUser(POLICY_UID, POLICY_KEY, POLICY_SECRET, n + added + 10);
    rgw.createSubuser(POLICY_UID, "observer", "full", POLICY_OBSERVER_KEY, POLICY_OBSERVER_SECRET);
    List<String> buckets = names("bench-pol-%05d", n);
    List<String> later = names("bench-pol-new-%03d", added);
    Map<String, Object> r = new LinkedHashMap<>();
    try (S3Client owner = rgw.client(POLICY_KEY, POLICY_SECRET)) {
      long made = System.nanoTime();
      parallel(buckets, name -> owner.createBucket(b -> b.bucket(name)));
      say("created %d buckets for the policy in RGW in %.1f s (set-up, not measured)", n, seconds(made));
      String admin = "bucket-protection-system";
      OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
          "AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(), "BPO_DEFAULT_CHECK_INTERVAL", "1h",
          "BPO_RECONCILE_THREADS", String.valueOf(RECONCILE_THREADS), "BPO_CLUSTER_RESOURCE_NAMESPACE", admin));
      try (MockKubernetes kubernetes = new MockKubernetes();
           KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT);
           AwsBucketStore aws = BucketProtectionOperator.awsBucketStore(config)) {
        KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
        RecordingBucketStore store = new RecordingBucketStore(aws);
        ensureNamespace(bench, POLICY_NAMESPACE);
        ensureNamespace(bench, admin);
        try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), store, config);
             ReadyWatch watch = new ReadyWatch(bench, POLICY_NAMESPACE)) {
          bench.resource(Resources.rootKeys(admin, "fleet-keys", Map.of("AWS_ACCESS_KEY_ID", POLICY_KEY,
              "AWS_SECRET_ACCESS_KEY", POLICY_SECRET))).create();
          bench.resource(operatorSecret(admin, "fleet-observer", Map.of("AWS_ACCESS_KEY_ID", POLICY_OBSERVER_KEY,
              "AWS_SECRET_ACCESS_KEY", POLICY_OBSERVER_SECRET))).create();
          ClusterS3Account account = Accounts.cluster("fleet", List.of("bench-pol-*"));
          account.getSpec().setCredentials(Accounts.secretRef("fleet-keys"));
          account.getSpec().setObserver(Accounts.observerSecret("fleet-observer"));
          account.getSpec().setNamespaces(Accounts.names(POLICY_NAMESPACE));
          operator.awaitAccountReady(bench.resource(account).create());
          List<String> children = buckets.stream().map(b -> ChildNames.of("fleet", b)).toList();

          // a) the policy, from creation to every child Ready
          int mark = log.mark();
          S3CountingProxy.Counts http0 = proxy.snapshot();
          long start = System.nanoTime();
          bench.resource(Policies.policy(POLICY_NAMESPACE, "fleet", "fleet", List.of("bench-pol-*"), null)).create();
          ReadyWatch.Result ready = watch.await(children, Benchmark::appliedOrInSync, Duration.ofMinutes(15));
          double seconds = (ready.lastNanos() - start) / 1e9;
          Thread.sleep(SETTLE_MILLIS);
          S3CountingProxy.Counts http = proxy.snapshot().minus(http0);
          List<KubernetesRequestLog.Request> k8s = log.since(mark);
          Map<String, Long> writes = policyWrites(k8s);
          Map<String, Object> a = new LinkedHashMap<>();
          a.put("buckets", n);
          a.put("secondsFromPolicyCreationToAllChildrenReady", round(seconds));
          a.put("s3", http.report());
          a.put("kubernetesOperatorWrites", writes);
          a.put("kubernetesOperatorReads", KubernetesRequestLog.operatorCounts(k8s).get("reads"));
          r.put("policyToAllReady", a);
          say("8a. one policy over %d buckets to all children Ready: %.1f s; S3 at the wire %s; Kubernetes writes %s",
              n, seconds, http.requests(), writes);
          long pages = http.requests(S3CountingProxy.LIST_BUCKETS);
          check("fleetPolicy: all " + n + " children Ready within 15 min", ready.complete(), ready.reached());
          check("fleetPolicy: one GetBucketVersioning and one PutBucketVersioning per bucket, and the listing",
              http.requests(S3CountingProxy.GET_VERSIONING) == n && http.requests(S3CountingProxy.PUT_VERSIONING) == n
                  && pages >= 1 && http.otherRequests() == 0, http.requests());
          check("fleetPolicy: exactly one child created, one status patch and one event per bucket",
              writes.get("childCreates") == n && writes.get("childStatusPatches") == n
                  && writes.get("eventsCreated") == n, writes);

          // b) a scan that finds nothing new, once the policy has summed up the finished rollout
          // (its last status write, up to 10 s after the last child is Ready)
          var policyNow = bench.resources(BucketProtectionPolicy.class).inNamespace(POLICY_NAMESPACE).withName("fleet");
          long settleFrom = System.nanoTime();
          while (seconds(settleFrom) < 60 && !(policyNow.get().getStatus() != null
              && Integer.valueOf(n).equals(policyNow.get().getStatus().getReady())
              && policyNow.get().getStatus().getConditions().stream().anyMatch(cond -> "Ready".equals(cond.getType())
                  && "True".equals(cond.getStatus())))) {
            Thread.sleep(200);
          }
          Thread.sleep(SETTLE_MILLIS);
          mark = log.mark();
          S3CountingProxy.Counts quiet0 = proxy.snapshot();
          long waitFrom = System.nanoTime();
          while (proxy.snapshot().minus(quiet0).requests(S3CountingProxy.LIST_BUCKETS) == 0
              && seconds(waitFrom) < POLICY_SCAN.toSeconds() + 30) {
            Thread.sleep(200);
          }
          Thread.sleep(SETTLE_MILLIS);
          S3CountingProxy.Counts quiet = proxy.snapshot().minus(quiet0);
          Map<String, Long> quietWrites = policyWrites(log.since(mark));
          long quietWriteTotal = quietWrites.values().stream().mapToLong(Long::longValue).sum();
          Map<String, Object> b = new LinkedHashMap<>();
          b.put("s3", quiet.report());
          b.put("kubernetesOperatorWrites", quietWrites);
          r.put("scanWithNothingNew", b);
          say("8b. a scan with nothing new: S3 at the wire %s; Kubernetes writes %s", quiet.requests(), quietWrites);
          // One scan's pages (RadosGW returns all buckets in one); the rollout may have spanned two scans.
          long quietPages = quiet.requests(S3CountingProxy.LIST_BUCKETS);
          b.put("listBucketsPagesOfOneScan", quietPages);
          check("fleetPolicy: a scan with nothing new sends only the ListBuckets pages of one scan (" + quietPages
              + ")", quietPages >= 1 && quiet.requests().equals(Map.of(S3CountingProxy.LIST_BUCKETS, quietPages)),
              quiet.requests());
          check("fleetPolicy: a scan with nothing new writes nothing to Kubernetes", quietWriteTotal == 0,
              quietWrites);
          long quietRoot = quiet.requestsSignedBy(POLICY_KEY).values().stream().mapToLong(Long::longValue).sum();
          b.put("rootSignedRequests", quietRoot);
          check("fleetPolicy: a scan with nothing new signs nothing with the root keys", quietRoot == 0, quiet.byKey());
          long rolloutRoot = http.requestsSignedBy(POLICY_KEY).values().stream().mapToLong(Long::longValue).sum();
          a.put("rootSignedRequests", rolloutRoot);
          check("fleetPolicy: the rollout (versioning only) signs nothing with the root keys", rolloutRoot == 0,
              http.byKey());

          // c) buckets created while the policy runs
          List<String> laterChildren = later.stream().map(x -> ChildNames.of("fleet", x)).toList();
          long created = System.nanoTime();
          parallel(later, name -> owner.createBucket(x -> x.bucket(name)));
          double madeIn = seconds(created);
          ReadyWatch.Result covered = watch.await(laterChildren, bp -> true, Duration.ofMinutes(3));
          ReadyWatch.Result laterReady = watch.await(laterChildren, Benchmark::appliedOrInSync, Duration.ofMinutes(3));
          Map<String, Object> c = new LinkedHashMap<>();
          c.put("bucketsCreated", added);
          c.put("secondsToCreateThem", round(madeIn));
          c.put("secondsFromCreationToAllChildrenExist", round((covered.lastNanos() - created) / 1e9));
          c.put("secondsFromCreationToAllChildrenReady", round((laterReady.lastNanos() - created) / 1e9));
          c.put("scanIntervalSeconds", POLICY_SCAN.toSeconds());
          r.put("bucketsCreatedLater", c);
          say("8c. %d buckets created while the policy runs: all children exist after %.1f s, all Ready after %.1f s"
              + " (scanInterval %d s)", added, c.get("secondsFromCreationToAllChildrenExist"),
              c.get("secondsFromCreationToAllChildrenReady"), POLICY_SCAN.toSeconds());
          check("fleetPolicy: the " + added + " new buckets are all covered within one scanInterval",
              covered.complete() && (covered.lastNanos() - created) / 1e9 <= POLICY_SCAN.toSeconds() + madeIn,
              c);
          check("fleetPolicy: and all of them Ready", laterReady.complete(), laterReady.reached());
        } finally {
          log.close();
        }
      }
    }
    results.put("fleetPolicy", r);
  }

  /** The operator's Kubernetes writes in a policy run, by what they were. */
  private static Map<String, Long> policyWrites(List<KubernetesRequestLog.Request> requests) {
    Map<String, Long> w = new LinkedHashMap<>();
    for (String k : List.of("childCreates", "childStatusPatches", "eventsCreated", "policyStatusPatches",
        "policyFinalizer", "other")) {
      w.put(k, 0L);
    }
    for (KubernetesRequestLog.Request q : requests) {
      if (q.byBenchmark() || "GET".equals(q.method())) {
        continue;
      }
      String path = q.path().contains("?") ? q.path().substring(0, q.path().indexOf('?')) : q.path();
      String kind;
      if ("POST".equals(q.method()) && path.endsWith("/bucketprotections")) {
        kind = "childCreates";
      } else if (path.matches(".*/bucketprotections/[^/]+/status")) {
        kind = "childStatusPatches";
      } else if ("POST".equals(q.method()) && path.matches(".*/events")) {
        kind = "eventsCreated";
      } else if (path.matches(".*/bucketprotectionpolicies/[^/]+/status")) {
        kind = "policyStatusPatches";
      } else if (path.matches(".*/bucketprotectionpolicies/[^/]+")) {
        kind = "policyFinalizer";
      } else {
        kind = "other";
      }
      w.merge(kind, 1L, Long::sum);
    }
    return w;
  }

  // ------------------------------------------------------------------ in-process: fleet, steady, mfa

  /**
   * The operator in this JVM, talking to RGW through the proxy, with a recording store at its own
   * S3 interface: every wave compares the operator-level count with the wire-level one, so a run
   * where they all match shows the proxy adds and loses nothing, and that the SDK sent nothing the
   * operator did not ask for.
   */
  private void inProcess(RgwLab rgw) throws Exception {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(), "BPO_DEFAULT_CHECK_INTERVAL", "60s",
        "BPO_RECONCILE_THREADS", String.valueOf(RECONCILE_THREADS)));
    try (MockKubernetes kubernetes = new MockKubernetes();
         KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT);
         AwsBucketStore aws = BucketProtectionOperator.awsBucketStore(config)) {
      KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
      RecordingBucketStore store = new RecordingBucketStore(aws);
      ensureNamespace(bench, "bench");
      ensureNamespace(bench, "bench-mfa");
      // The MFA ledger starts inside the harness's constructor: its start lies after this instant.
      long ledgerStartEarliest = System.currentTimeMillis();
      try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), store, config)) {
        operator.awaitAccountReady(bench.resource(Accounts.defaultForEveryone()).create());
        if (runs("fleet")) {
          List<String> names = names("bench-%05d", option("buckets"));
          createBuckets(names, false);
          try (ReadyWatch watch = new ReadyWatch(bench, "bench")) {
            fleetToReady(bench, watch, log, store, names);
            if (runs("steady")) {
              steadyState(watch, log, store, names);
            }
          }
        }
        if (runs("mfa")) {
          mfaFleet(bench, log, store, ledgerStartEarliest);
        }
        if (runs("pool")) {
          scenario("mfaPool", () -> mfaPools(rgw, bench, log, store, ledgerStartEarliest));
        }
        results.put("s3ClientsInProcess", aws.clientCount());
      } finally {
        log.close();
      }
    }
  }

  /** 1: BucketProtections on unversioned buckets, from creation to all Ready. */
  private void fleetToReady(KubernetesClient bench, ReadyWatch watch, KubernetesRequestLog log,
      RecordingBucketStore store, List<String> names) throws Exception {
    int n = names.size();
    int mark = log.mark();
    S3CountingProxy.Counts http0 = proxy.snapshot();
    Map<String, Long> op0 = store.calls();
    long start = System.nanoTime();
    parallel(names, name -> bench.resource(Resources.protection("bench", name, name, "Enabled")).create());
    double created = seconds(start);
    ReadyWatch.Result ready = watch.await(names, Benchmark::appliedOrInSync, Duration.ofMinutes(5));
    double seconds = (ready.lastNanos() - start) / 1e9;
    Thread.sleep(SETTLE_MILLIS);
    S3CountingProxy.Counts http = proxy.snapshot().minus(http0);
    Map<String, Long> operatorLevel = delta(store.calls(), op0);
    List<KubernetesRequestLog.Request> k8s = log.since(mark);
    Map<String, Long> writes = KubernetesRequestLog.operatorCounts(k8s);

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("resources", n);
    r.put("secondsToCreateResources", round(created));
    r.put("secondsFromCreationToAllReady", round(seconds));
    r.put("s3", http.report());
    r.put("s3AtTheOperatorsInterface", operatorLevel);
    r.put("kubernetes", KubernetesRequestLog.report(k8s));
    results.put("fleetToReady", r);
    say("1. %d buckets to Ready: %.1f s (creating the resources took %.1f s); S3 at the wire %s %s; Kubernetes %s",
        n, seconds, created, http.requests(), http.responsesByClass(), KubernetesRequestLog.classify(k8s));

    check("fleetToReady: all " + n + " Ready within 5 min", ready.complete(), ready.reached());
    expectExactly("fleetToReady", http, n, n, 0);
    check("fleetToReady: every bucket is read exactly once", names.stream().allMatch(b -> http.getsOf(b) == 1),
        http.getsPerBucket().size() + " buckets read");
    expectTransparent("fleetToReady", http, operatorLevel);
    check("fleetToReady: exactly one status patch per resource", writes.get("statusPatches") == n, writes);
    check("fleetToReady: exactly one event per resource", writes.get("eventsCreated") == n, writes);
    check("fleetToReady: no other Kubernetes write", writes.get("accountStatusPatches") == 0
        && writes.get("otherWrites") == 0, writes + " " + KubernetesRequestLog.otherWriteSamples(k8s, 5));
    check("fleetToReady: no Kubernetes read (the operator reads its informer caches)", writes.get("reads") == 0,
        writes.get("reads"));
    check("fleetToReady: the benchmark created the " + n + " resources and nothing else was counted as its",
        KubernetesRequestLog.benchmarkCounts(k8s).equals(Map.of("creates bucketprotections", (long) n)),
        KubernetesRequestLog.benchmarkCounts(k8s));
  }

  /**
   * 2: a re-check of every in-sync bucket: one GetBucketVersioning each at the wire, no other S3
   * request, no Kubernetes write, counted over the whole wave (every request from the moment all
   * are Ready until every bucket was read again, plus a settling time).
   */
  private void steadyState(ReadyWatch watch, KubernetesRequestLog log, RecordingBucketStore store,
      List<String> names) throws Exception {
    int n = names.size();
    // The first re-check after the fleet wave: Applied stays Applied (the bucket is as the write
    // left it), so it costs one GET a bucket and nothing else.
    int mark = log.mark();
    S3CountingProxy.Counts http0 = proxy.snapshot();
    Map<String, Long> op0 = store.calls();
    long start = System.nanoTime();
    boolean allRead = false;
    while (seconds(start) < 180) {
      S3CountingProxy.Counts now = proxy.snapshot();
      if (names.stream().allMatch(b -> now.getsOf(b) > http0.getsOf(b))) {
        allRead = true;
        break;
      }
      Thread.sleep(100);
    }
    double wave = seconds(start);
    Thread.sleep(SETTLE_MILLIS);
    S3CountingProxy.Counts http = proxy.snapshot().minus(http0);
    Map<String, Long> operatorLevel = delta(store.calls(), op0);
    List<KubernetesRequestLog.Request> k8s = log.since(mark);
    Map<String, Long> counts = KubernetesRequestLog.operatorCounts(k8s);
    long writes = counts.get("statusPatches") + counts.get("eventsCreated") + counts.get("accountStatusPatches")
        + counts.get("otherWrites");

    Map<String, Object> r = new LinkedHashMap<>();
    r.put("resources", n);
    r.put("s3", http.report());
    r.put("s3AtTheOperatorsInterface", operatorLevel);
    r.put("kubernetes", KubernetesRequestLog.report(k8s));
    r.put("secondsCounted", round(wave + SETTLE_MILLIS / 1000.0));
    r.put("secondsForTheWave", round(wave));
    results.put("steadyStateRecheck", r);
    say("2. steady-state re-check of %d buckets over %.1f s: S3 at the wire %s %s; Kubernetes %s",
        n, wave, http.requests(), http.responsesByClass(), KubernetesRequestLog.classify(k8s));

    long rootSigned = http.requestsSignedBy(ACCESS_KEY).values().stream().mapToLong(Long::longValue).sum();
    r.put("rootSignedRequests", rootSigned);
    r.put("observerSignedRequests", http.requestsSignedBy(OBSERVER_KEY).values().stream().mapToLong(Long::longValue)
        .sum());
    // A day of quiet checks at 2,000 buckets and the default 5-minute interval: 2,000 x 288 reads.
    r.put("projectedRootSignedPerDayAt2000Buckets", rootSigned * 2000L * 288 / n);
    r.put("projectedRootSignedPerDayAt2000BucketsWithoutAnObserver", 2000L * 288);
    say("2b. root-signed requests in the quiet re-check of %d buckets: %d (projected per day at 2,000 buckets, 5 min"
        + " interval: %d; without an observer: %d)", n, rootSigned, rootSigned * 2000L * 288 / n, 2000L * 288);
    check("steadyState: every bucket re-checked within 180 s", allRead, round(wave) + " s");
    check("steadyState: no request signed with the root keys", rootSigned == 0, http.byKey());
    expectExactly("steadyState", http, n, 0, 0);
    check("steadyState: every bucket is read exactly once", names.stream().allMatch(b -> http.getsOf(b) == 1),
        http.getsPerBucket().size() + " buckets read");
    expectTransparent("steadyState", http, operatorLevel);
    check("steadyState: no Kubernetes write over the whole wave", writes == 0,
        counts + " " + KubernetesRequestLog.otherWriteSamples(k8s, 5));
    check("steadyState: no Kubernetes read", counts.get("reads") == 0, counts.get("reads"));
  }

  /** 3: buckets sharing one MFA device switch MFA Delete on: one code per step is the limit. */
  private void mfaFleet(KubernetesClient bench, KubernetesRequestLog log, RecordingBucketStore store,
      long ledgerStartEarliest) throws Exception {
    String ns = "bench-mfa";
    List<String> names = names("bench-mfa-%02d", option("fleet"));
    int n = names.size();
    createBuckets(names, true);
    // The namespace's own account: the root keys (only for coded writes) and the device's seed in its
    // namespace, the subuser as its observer.
    bench.resource(Resources.rootKeys(ns, "root-keys", Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
    bench.resource(operatorSecret(ns, "root-mfa", Map.of("seed", SEED))).create();
    bench.resource(operatorSecret(ns, "observer-keys", Map.of("AWS_ACCESS_KEY_ID", OBSERVER_KEY,
        "AWS_SECRET_ACCESS_KEY", OBSERVER_SECRET))).create();
    S3Account account = Accounts.namespaced(ns, "fleet-mfa", List.of("bench-mfa-*"), "root-keys");
    account.getSpec().setObserver(Accounts.observerSecret("observer-keys"));
    account.getSpec().setMfa(Accounts.mfa(SERIAL, "root-mfa", MFA_STEP));
    bench.resource(account).create();
    Instant accountBy = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(accountBy) && !Tenancy.ready(bench.resources(S3Account.class).inNamespace(ns)
        .withName("fleet-mfa").get())) {
      Thread.sleep(100);
    }
    int lookAhead = 0; // Resources.withMfaDelete leaves spec.mfa.lookAheadSteps out: the default, 0
    try (ReadyWatch watch = new ReadyWatch(bench, ns)) {
      int mark = log.mark();
      Quiet before = quiet(store);
      S3CountingProxy.Counts http0 = before.http();
      Map<String, Long> op0 = before.operator();
      startOfAStep();
      long firstCreated = System.currentTimeMillis();
      long start = System.nanoTime();
      for (String name : names) {
        BucketProtection resource = Resources.protection(ns, name, name, "Enabled");
        resource.getSpec().setMfaDelete("Enabled");
        resource.getSpec().setAccountRef(new AccountReference("S3Account", "fleet-mfa"));
        bench.resource(resource).create();
      }
      long lastCreated = System.currentTimeMillis();
      // Early buckets turn from Applied to InSync at their next check while later ones still wait.
      ReadyWatch.Result ready = watch.await(names, Benchmark::appliedOrInSync, Duration.ofMinutes(5));
      double wall = (ready.lastNanos() - start) / 1e9;
      double bound = MfaBound.lastCodeMillis(ledgerStartEarliest, firstCreated, lastCreated, n, MFA_STEP,
          lookAhead) / 1000.0;
      Thread.sleep(SETTLE_MILLIS);
      Quiet after = quiet(store);
      S3CountingProxy.Counts http = after.http().minus(http0);
      Map<String, Long> operatorLevel = delta(after.operator(), op0);
      List<KubernetesRequestLog.Request> k8s = log.since(mark);
      long refused = operatorLevel.getOrDefault("PutBucketVersioning MFA_REJECTED", 0L);
      long refusedAtTheWire = http.requests(S3CountingProxy.PUT_VERSIONING_MFA)
          - http.responses(S3CountingProxy.PUT_VERSIONING_MFA, "2xx");

      Map<String, Object> r = new LinkedHashMap<>();
      r.put("buckets", n);
      r.put("stepSeconds", MFA_STEP);
      r.put("lookAheadSteps", lookAhead);
      r.put("secondsToAllApplied", round(wall));
      r.put("exactLowerBoundSeconds", round(bound));
      // Without leader election the ledger's restart guard starts when the operator is built.
      r.put("restartGuardHeldTheFirstCode", Math.floorDiv(ledgerStartEarliest, MFA_STEP * 1000L) + lookAhead + 1
          > Math.floorDiv(firstCreated, MFA_STEP * 1000L));
      r.put("secondsOverTheExactLowerBound", round(wall - bound));
      r.put("codesSent", http.requests(S3CountingProxy.PUT_VERSIONING_MFA));
      r.put("codesRefused", refused);
      r.put("codesRefusedAtTheWire", refusedAtTheWire);
      r.put("s3", http.report());
      r.put("s3AtTheOperatorsInterface", operatorLevel);
      r.put("kubernetes", KubernetesRequestLog.report(k8s));
      results.put("mfaFleetOneDevice", r);
      say("3. %d buckets on one MFA device (%d s steps): %.2f s; exact lower bound for this start %.2f s, %.2f s"
          + " over it; codes sent %d, refused %d", n, MFA_STEP, wall, bound, wall - bound,
          http.requests(S3CountingProxy.PUT_VERSIONING_MFA), refused);

      Map<String, Long> byRoot = http.requestsSignedBy(ACCESS_KEY);
      r.put("rootSignedRequests", byRoot);
      say("3b. root-signed requests for %d MFA Delete switches: %s", n, byRoot);
      check("mfaFleet: root signed exactly one request per bucket, each carrying a code",
          byRoot.equals(Map.of(S3CountingProxy.PUT_VERSIONING_MFA, (long) n)), http.byKey());
      check("mfaFleet: all " + n + " Applied within 5 min", ready.complete(), ready.reached());
      check("mfaFleet: no code refused", refused == 0 && refusedAtTheWire == 0,
          refused + " (at the wire " + refusedAtTheWire + ")");
      check("mfaFleet: exactly one code per bucket", http.requests(S3CountingProxy.PUT_VERSIONING_MFA) == n,
          http.requests(S3CountingProxy.PUT_VERSIONING_MFA));
      check("mfaFleet: less than one step (" + MFA_STEP + " s) over the exact lower bound", wall - bound < MFA_STEP,
          round(wall - bound) + " s over " + round(bound) + " s");
      check("mfaFleet: never faster than the lower bound (else the bound is wrong)", wall - bound > -0.1,
          round(wall) + " s for a bound of " + round(bound) + " s");
      check("mfaFleet: no S3 request of another kind", http.otherRequests() == 0, http.requests());
      expectTransparent("mfaFleet", http, operatorLevel);
      for (String name : names) {
        String mfaDelete = s3.getBucketVersioning(b -> b.bucket(name)).mfaDeleteAsString();
        check("mfaFleet: " + name + " has MFA Delete on in RGW", "Enabled".equals(mfaDelete), mfaDelete);
      }
    }
  }

  // ------------------------------------------------------------------ pool: MFA device pools

  /**
   * One wave of the pool scenario.
   *
   * @param key its name in the JSON
   * @param label its part of the names (namespace, RGW user, buckets, serials)
   * @param devices the pool's size
   * @param wrongSeed the device whose Secret holds a wrong seed, or -1
   */
  private record PoolRun(String key, String label, int devices, int wrongSeed) {

    String namespace() {
      return "bench-pool-" + label;
    }

    String serial(int device) {
      return "arn:aws:iam::123456789012:mfa/bench-pool-" + label + "-" + device;
    }

    /** A lab-only key of this run's own RGW user (20 characters, as AWS's). */
    String accessKey(String role) {
      return ("BP" + label.toUpperCase() + role + "0000000000000000").substring(0, 20);
    }

    String secret(String role) {
      return "bench-pool-" + label + "-" + role + "-secret-0123456789abcdef";
    }

    int goodDevices() {
      return wrongSeed < 0 ? devices : devices - 1;
    }
  }

  /**
   * 3p: buckets switching MFA Delete on with pools of 1, 2 and 4 devices (spec.mfaDevices), and a
   * pool of 4 where one device's Secret holds a wrong seed. Every wave is fresh: its own RGW user
   * (root keys, observer subuser, devices with serials and seeds of their own), buckets, namespace
   * and S3Account, so no wave inherits another's used steps, pauses or line. The proxy's MFA tap
   * gives each code's device and step (MfaWireSteps, from the seeds the Secrets hold); no code,
   * seed or key is printed or saved.
   */
  private void mfaPools(RgwLab rgw, KubernetesClient bench, KubernetesRequestLog log, RecordingBucketStore store,
      long ledgerStartEarliest) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    results.put("mfaPool", r);
    for (PoolRun run : List.of(new PoolRun("oneDevice", "p1", 1, -1), new PoolRun("twoDevices", "p2", 2, -1),
        new PoolRun("fourDevices", "p4", 4, -1), new PoolRun("fourDevicesOneWrongSeed", "p4w", 4, 3))) {
      r.put(run.key(), mfaPool(rgw, bench, log, store, ledgerStartEarliest, run));
    }
  }

  private Map<String, Object> mfaPool(RgwLab rgw, KubernetesClient bench, KubernetesRequestLog log,
      RecordingBucketStore store, long ledgerStartEarliest, PoolRun run) throws Exception {
    List<String> names = names(run.namespace() + "-%02d", option("pool-buckets"));
    PoolSetUp setUp = setUpPool(rgw, bench, run, names);
    // Only this wave's root keys sign codes: the tap keeps theirs, so earlier waves cannot blur it.
    MfaWireSteps wire = new MfaWireSteps(setUp.seedsBySerial(), MFA_STEP);
    String rootKey = run.accessKey("ROOT");
    proxy.tapMfa((accessKeyId, headerValue, receivedAt, kind) -> {
      if (rootKey.equals(accessKeyId)) {
        wire.record(headerValue, receivedAt);
      }
    });
    try {
      PoolWave wave = poolWave(bench, log, store, ledgerStartEarliest, run, names);
      Map<String, Object> r = poolFigures(run, wave, wire);
      wave.notApplied().forEach((name, why) -> say("3p. %s: %s not Applied after %.0f s: %s", run.key(), name,
          wave.wall(), why));
      String pause = run.wrongSeed() < 0 ? "" : awaitPaused(setUp.account(), run, r);
      // As the account's last reconcile wrote it: while no device is busy, that is once per check interval.
      r.put("accountStatusMfaDevices", deviceStatuses(setUp.account().get()));
      Map<String, Integer> perDevice = codesPerDevice(run, wire);
      long lastStep = (Long) r.getOrDefault("lastCodeStep", Long.MIN_VALUE);
      say("3p. %d buckets on a pool of %d MFA devices%s (%d s steps): %.2f s; exact lower bound %.2f s%s, %.2f s"
          + " over it (last code's step: the bound's %s); codes sent %d, refused %d; codes per device %s%s",
          names.size(), run.devices(), run.wrongSeed() < 0 ? "" : ", " + deviceName(run, run.wrongSeed()),
          MFA_STEP, wave.wall(), wave.bound(), run.wrongSeed() < 0 ? "" : " (its " + run.goodDevices()
              + " good devices)", wave.wall() - wave.bound(), lastStep == Long.MIN_VALUE ? "none"
              : String.format("%+d", lastStep - wave.boundLastStep()), wave.codesSent(rootKey), wave.refused(),
          perDevice, pause);
      checkPool(run, wave, wire, rootKey);
      long mfaDeleteOn;
      try (S3Client owner = rgw.client(rootKey, run.secret("root"))) {
        mfaDeleteOn = names.stream().filter(b -> "Enabled".equals(owner.getBucketVersioning(x -> x.bucket(b))
            .mfaDeleteAsString())).count();
      }
      check("mfaPool " + run.key() + ": every bucket has MFA Delete on in RGW", mfaDeleteOn == names.size(),
          mfaDeleteOn + " of " + names.size());
      return r;
    } finally {
      proxy.tapMfa(null);
    }
  }

  /** A wave's set-up: the seeds its Secrets hold, by serial (the wrong one included), and its account. */
  private record PoolSetUp(Map<String, String> seedsBySerial, Resource<S3Account> account) {
  }

  /**
   * The wave's RGW user (root keys, observer subuser, devices), versioned buckets, namespace,
   * Secrets and S3Account naming the pool in spec.mfaDevices, Ready.
   */
  private PoolSetUp setUpPool(RgwLab rgw, KubernetesClient bench, PoolRun run, List<String> names)
      throws Exception {
    String ns = run.namespace();
    String what = "mfaPool " + run.key();
    // The seeds RGW holds, and those the Secrets hold (the same, but for the wrong one).
    Random random = new Random(ns.hashCode());
    List<String> seeds = IntStream.range(0, run.devices()).mapToObj(i -> base32Seed(random)).toList();
    List<String> given = new ArrayList<>(seeds);
    if (run.wrongSeed() >= 0) {
      String wrong = base32Seed(random);
      check(what + ": the wrong seed differs from the device's", !wrong.equals(seeds.get(run.wrongSeed())), "");
      given.set(run.wrongSeed(), wrong);
    }
    check(what + ": every device has a seed of its own", Set.copyOf(seeds).size() == run.devices(),
        Set.copyOf(seeds).size() + " distinct of " + run.devices());
    long setUp = System.nanoTime();
    rgw.createUser(ns, run.accessKey("ROOT"), run.secret("root"), names.size() + 10);
    rgw.createSubuser(ns, "observer", "full", run.accessKey("OBSERVER"), run.secret("observer"));
    for (int i = 0; i < run.devices(); i++) {
      rgw.createMfaDevice(ns, run.serial(i), seeds.get(i), MFA_STEP);
    }
    try (S3Client owner = rgw.client(run.accessKey("ROOT"), run.secret("root"))) {
      createBuckets(owner, names, true);
    }
    ensureNamespace(bench, ns);
    bench.resource(Resources.rootKeys(ns, "root-keys", Map.of("AWS_ACCESS_KEY_ID", run.accessKey("ROOT"),
        "AWS_SECRET_ACCESS_KEY", run.secret("root")))).create();
    bench.resource(operatorSecret(ns, "observer-keys", Map.of("AWS_ACCESS_KEY_ID", run.accessKey("OBSERVER"),
        "AWS_SECRET_ACCESS_KEY", run.secret("observer")))).create();
    List<MfaSpec> pool = new ArrayList<>();
    Map<String, String> seedsBySerial = new LinkedHashMap<>();
    for (int i = 0; i < run.devices(); i++) {
      bench.resource(operatorSecret(ns, "mfa-seed-" + i, Map.of("seed", given.get(i)))).create();
      pool.add(Accounts.mfa(run.serial(i), "mfa-seed-" + i, MFA_STEP));
      seedsBySerial.put(run.serial(i), given.get(i));
    }
    S3Account account = Accounts.namespaced(ns, "pool", List.of(ns + "-*"), "root-keys");
    account.getSpec().setObserver(Accounts.observerSecret("observer-keys"));
    account.getSpec().setMfaDevices(pool);
    bench.resource(account).create();
    Resource<S3Account> accountNow = bench.resources(S3Account.class).inNamespace(ns).withName("pool");
    Instant accountBy = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(accountBy) && !Tenancy.ready(accountNow.get())) {
      Thread.sleep(100);
    }
    check(what + ": the S3Account is Ready", Tenancy.ready(accountNow.get()), accountNow.get().getStatus());
    say("3p. %s: RGW user, %d devices, %d buckets, namespace and S3Account in %.1f s (set-up, not measured)",
        run.key(), run.devices(), names.size(), seconds(setUp));
    return new PoolSetUp(seedsBySerial, accountNow);
  }

  /**
   * What a pool wave measured.
   *
   * @param created when each resource was created (just before its create call)
   * @param wall from the first creation to the last Applied/InSync, seconds
   * @param bound the exact lower bound for the devices whose codes RGW accepts, seconds
   * @param boundLastStep the last code's step in the bound's schedule
   * @param notApplied the resources left, with their Ready reason and message
   */
  private record PoolWave(long[] created, ReadyWatch.Result ready, Duration timeout, double wall, double bound,
      long boundLastStep, S3CountingProxy.Counts http, Map<String, Long> operatorLevel,
      List<KubernetesRequestLog.Request> k8s, Map<String, String> notApplied) {

    long codesSent(String rootKey) {
      return http.requests(rootKey, S3CountingProxy.PUT_VERSIONING_MFA);
    }

    long refused() {
      return operatorLevel.getOrDefault("PutBucketVersioning MFA_REJECTED", 0L);
    }

    long refusedAtTheWire() {
      return http.requests(S3CountingProxy.PUT_VERSIONING_MFA)
          - http.responses(S3CountingProxy.PUT_VERSIONING_MFA, "2xx");
    }

    long createdStep() {
      return Math.floorDiv(created[0], MFA_STEP * 1000L);
    }
  }

  /** Creates the wave's resources one by one and waits until every one is Applied or InSync. */
  /** The counts at the wire and at the operator's interface, taken together. */
  private record Quiet(S3CountingProxy.Counts http, Map<String, Long> operator) {
  }

  /**
   * The counts at a moment when no request is in flight: every request the proxy saw has its
   * response, and neither count moves for 200 ms. Earlier waves' resources keep re-checking their
   * buckets in the background (the 1,000 of the fleet every few minutes), and a request counted at
   * the wire but not yet at the operator's interface, when a count is taken, is not a difference
   * between them. Gives up looking after 30 s and takes the counts as they are.
   */
  private Quiet quiet(RecordingBucketStore store) throws InterruptedException {
    long giveUp = System.currentTimeMillis() + 30_000;
    while (true) {
      S3CountingProxy.Counts http = proxy.snapshot();
      Map<String, Long> operator = store.calls();
      Thread.sleep(200);
      S3CountingProxy.Counts again = proxy.snapshot();
      long answered = again.responses().values().stream().mapToLong(Long::longValue).sum();
      if ((again.equals(http) && store.calls().equals(operator) && answered == again.totalRequests())
          || System.currentTimeMillis() > giveUp) {
        return new Quiet(again, store.calls());
      }
    }
  }

  /**
   * Waits until 100 ms into the next MFA step. A wave is created there so that its first change
   * asks the ledger well before its step ends: the ledger hands out no step in its last second
   * ({@code PoolDevice.sendMarginMillis}), and the bound, computed from the creation times, cannot
   * know how long the operator took to ask (a wave created 1.1 s before a step's end, asking 0.2 s
   * later, would lose a step the bound counts on). The bound stays exact for the times measured.
   */
  private static void startOfAStep() throws InterruptedException {
    long stepMillis = MFA_STEP * 1000L;
    Thread.sleep(stepMillis - Math.floorMod(System.currentTimeMillis(), stepMillis) + 100);
  }

  private PoolWave poolWave(KubernetesClient bench, KubernetesRequestLog log, RecordingBucketStore store,
      long ledgerStartEarliest, PoolRun run, List<String> names) throws Exception {
    int n = names.size();
    int lookAhead = 0; // Accounts.mfa leaves lookAheadSteps out: the default, 0
    try (ReadyWatch watch = new ReadyWatch(bench, run.namespace())) {
      int mark = log.mark();
      Quiet before = quiet(store);
      S3CountingProxy.Counts http0 = before.http();
      Map<String, Long> op0 = before.operator();
      long[] created = new long[n];
      startOfAStep();
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        BucketProtection resource = Resources.protection(run.namespace(), names.get(i), names.get(i), "Enabled");
        resource.getSpec().setMfaDelete("Enabled");
        resource.getSpec().setAccountRef(new AccountReference("S3Account", "pool"));
        created[i] = System.currentTimeMillis(); // before the call: the operator cannot have seen it earlier
        bench.resource(resource).create();
      }
      Duration timeout = Duration.ofSeconds((long) Math.ceil((double) n / run.goodDevices()) * MFA_STEP + 120);
      ReadyWatch.Result ready = watch.await(names, Benchmark::appliedOrInSync, timeout);
      double wall = (ready.lastNanos() - start) / 1e9;
      // The bound counts only the devices whose codes RGW accepts. With a wrong seed: every accepted
      // code is one of the three good devices', each gives at most one a step from the first usable
      // step, and the bad device's refused codes take none of their steps (a refused change goes
      // back in line, and 40 waiters keep the three busy meanwhile). So the 3-device bound from the
      // wave's start is exact, and stricter than one counted from the pause (which would add the
      // steps before it).
      double bound = MfaBound.poolLastCodeMillis(ledgerStartEarliest, created, run.goodDevices(), MFA_STEP,
          lookAhead) / 1000.0;
      long boundLastStep = MfaBound.poolLastStep(ledgerStartEarliest, created, run.goodDevices(), MFA_STEP,
          lookAhead);
      Thread.sleep(SETTLE_MILLIS);
      Quiet after = quiet(store);
      return new PoolWave(created, ready, timeout, wall, bound, boundLastStep, after.http().minus(http0),
          delta(after.operator(), op0), log.since(mark), notConverged(watch, names));
    }
  }

  /** Codes each device sent at the wire, by its short name. */
  private static Map<String, Integer> codesPerDevice(PoolRun run, MfaWireSteps wire) {
    Map<String, List<Long>> steps = wire.stepsBySerial();
    Map<String, Integer> perDevice = new LinkedHashMap<>();
    for (int i = 0; i < run.devices(); i++) {
      perDevice.put(deviceName(run, i), steps.getOrDefault(run.serial(i), List.of()).size());
    }
    return perDevice;
  }

  /** The wave's figures for the JSON. */
  private static Map<String, Object> poolFigures(PoolRun run, PoolWave wave, MfaWireSteps wire) {
    int n = wave.created().length;
    Map<String, List<Long>> steps = wire.stepsBySerial();
    Map<String, Object> stepsPerDevice = new LinkedHashMap<>();
    long lastStep = Long.MIN_VALUE;
    for (int i = 0; i < run.devices(); i++) {
      List<Long> used = steps.getOrDefault(run.serial(i), List.of());
      // Steps (not codes) counted from the step of the first creation: where the time went.
      stepsPerDevice.put(deviceName(run, i), used.stream().map(step -> step - wave.createdStep()).toList());
      if (i != run.wrongSeed()) {
        lastStep = Math.max(lastStep, used.stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE));
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("buckets", n);
    r.put("devices", run.devices());
    r.put("devicesWithTheRightSeed", run.goodDevices());
    r.put("serials", IntStream.range(0, run.devices()).boxed().collect(Collectors.toMap(i -> deviceName(run, i),
        run::serial, (a, b) -> a, LinkedHashMap::new)));
    r.put("stepSeconds", MFA_STEP);
    r.put("lookAheadSteps", 0);
    r.put("secondsToCreateResources", round((wave.created()[n - 1] - wave.created()[0]) / 1000.0));
    r.put("secondsToAllApplied", round(wave.wall()));
    r.put("exactLowerBoundSeconds", round(wave.bound()));
    r.put("secondsOverTheExactLowerBound", round(wave.wall() - wave.bound()));
    if (lastStep != Long.MIN_VALUE) {
      r.put("lastCodeStep", lastStep);
      r.put("lastCodeStepOverTheBoundsLastStep", lastStep - wave.boundLastStep());
    }
    r.put("codesSent", wave.codesSent(run.accessKey("ROOT")));
    r.put("codesRefused", wave.refused());
    r.put("codesRefusedAtTheWire", wave.refusedAtTheWire());
    r.put("codesPerDevice", codesPerDevice(run, wire));
    r.put("stepsPerDeviceFromTheFirstCreation", stepsPerDevice);
    r.put("codesMatchingNoDevice", wire.unmatched());
    if (!wave.notApplied().isEmpty()) {
      r.put("notAppliedAtTheEnd", wave.notApplied()); // reason and message: serials and Secret names, no value
    }
    r.put("rootSignedRequests", wave.http().requestsSignedBy(run.accessKey("ROOT")));
    r.put("s3", wave.http().report());
    r.put("s3AtTheOperatorsInterface", wave.operatorLevel());
    r.put("kubernetes", KubernetesRequestLog.report(wave.k8s()));
    return r;
  }

  /** The wave's checks: converged, refusals, one code per bucket, per device per step, the bound, the wire. */
  private void checkPool(PoolRun run, PoolWave wave, MfaWireSteps wire, String rootKey) {
    String what = "mfaPool " + run.key();
    int n = wave.created().length;
    long refused = wave.refused();
    long refusedAtTheWire = wave.refusedAtTheWire();
    long codesSent = wave.codesSent(rootKey);
    Map<String, Integer> perDevice = codesPerDevice(run, wire);
    check(what + ": all " + n + " Applied within " + wave.timeout().toSeconds() + " s", wave.ready().complete(),
        wave.ready().reached() + (wave.notApplied().isEmpty() ? "" : "; left: " + wave.notApplied().keySet()));
    if (run.wrongSeed() < 0) {
      check(what + ": no code refused", refused == 0 && refusedAtTheWire == 0,
          refused + " (at the wire " + refusedAtTheWire + ")");
    } else {
      check(what + ": at most " + MfaCodeLedger.REFUSALS_BEFORE_PAUSE + " codes refused (then the device pauses)",
          refused <= MfaCodeLedger.REFUSALS_BEFORE_PAUSE && refusedAtTheWire == refused,
          refused + " (at the wire " + refusedAtTheWire + ")");
      int bad = perDevice.get(deviceName(run, run.wrongSeed()));
      check(what + ": the wrong seed's device sent exactly the refused codes", bad == refusedAtTheWire,
          bad + " sent, " + refusedAtTheWire + " refused");
    }
    check(what + ": exactly one accepted code per bucket, and no other code", codesSent == n + refusedAtTheWire,
        codesSent + " sent, " + refusedAtTheWire + " refused");
    String onceEach = null;
    try {
      wire.assertEachDeviceAtMostOncePerStepAndIncreasing();
    } catch (AssertionError e) {
      onceEach = e.getMessage(); // names devices and steps, never a code
    }
    check(what + ": each device sent at most one code per step, in increasing steps", onceEach == null,
        onceEach == null ? perDevice : onceEach);
    check(what + ": every code at the wire is one of the pool's devices', from the seed its Secret holds",
        wire.unmatched() == 0 && wire.codesSent() == codesSent, wire.unmatched() + " of " + wire.codesSent()
            + " matched no device");
    check(what + ": every device with the right seed served", IntStream.range(0, run.devices())
        .filter(i -> i != run.wrongSeed()).allMatch(i -> perDevice.get(deviceName(run, i)) > 0), perDevice);
    double over = wave.wall() - wave.bound();
    check(what + ": less than one step (" + MFA_STEP + " s) over the exact lower bound", over < MFA_STEP,
        round(over) + " s over " + round(wave.bound()) + " s");
    check(what + ": never faster than the lower bound (else the bound is wrong)", over > -0.1,
        round(wave.wall()) + " s for a bound of " + round(wave.bound()) + " s");
    Map<String, Long> byRoot = wave.http().requestsSignedBy(rootKey);
    check(what + ": root signed only the requests carrying a code", byRoot.keySet().equals(
        Set.of(S3CountingProxy.PUT_VERSIONING_MFA)), byRoot);
    check(what + ": no S3 request of another kind", wave.http().otherRequests() == 0, wave.http().requests());
    expectTransparent(what, wave.http(), wave.operatorLevel());
  }

  /** The resources of {@code names} not Applied or InSync, with the reason and message of their Ready condition. */
  private static Map<String, String> notConverged(ReadyWatch watch, List<String> names) {
    Map<String, String> left = new TreeMap<>();
    for (String name : names) {
      BucketProtection bp = watch.get(name);
      if (bp == null || !appliedOrInSync(bp)) {
        left.put(name, bp == null ? "never seen" : Resources.ready(bp).map(c -> c.getReason() + ": " + c.getMessage())
            .orElse("no Ready condition"));
      }
    }
    return left;
  }

  /** "d0", "d1", ...: a device's short name in the figures; the serials are in the JSON. */
  private static String deviceName(PoolRun run, int device) {
    return "d" + device + (device == run.wrongSeed() ? " (wrong seed)" : "");
  }

  /**
   * Waits until the account's status lists the wrong seed's device as Paused (the account is
   * looked at again every 5 s while a device is not Ready, else at the check interval, 60 s here),
   * and says so for the summary line.
   */
  private String awaitPaused(Resource<S3Account> account, PoolRun run,
      Map<String, Object> r) throws InterruptedException {
    String serial = run.serial(run.wrongSeed());
    long from = System.nanoTime();
    String state = null;
    while (seconds(from) < 90) {
      state = deviceStatuses(account.get()).stream().filter(d -> serial.equals(d.get("serialNumber")))
          .map(d -> (String) d.get("state")).findFirst().orElse(null);
      if ("Paused".equals(state)) {
        break;
      }
      Thread.sleep(500);
    }
    r.put("secondsAfterTheWaveUntilStatusSaidPaused", "Paused".equals(state) ? round(seconds(from)) : null);
    check("mfaPool " + run.key() + ": the wrong seed's device is Paused in the account's status.mfaDevices",
        "Paused".equals(state), state);
    return "; " + deviceName(run, run.wrongSeed()) + " " + state + " in the account's status";
  }

  /** The account's status.mfaDevices, as plain maps (serial, state, nextFreeStep, waiting, pausedUntil). */
  private static List<Map<String, Object>> deviceStatuses(S3Account account) {
    if (account == null || account.getStatus() == null || account.getStatus().getMfaDevices() == null) {
      return List.of();
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (MfaDeviceStatus device : account.getStatus().getMfaDevices()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("serialNumber", device.getSerialNumber());
      d.put("state", device.getState());
      d.put("nextFreeStep", device.getNextFreeStep());
      d.put("waiting", device.getWaiting());
      d.put("pausedUntil", device.getPausedUntil());
      list.add(d);
    }
    return list;
  }

  /** A random Base32 TOTP seed of 20 bytes (32 characters), as a device's. */
  private static String base32Seed(Random random) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    StringBuilder seed = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      seed.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return seed.toString();
  }

  // ------------------------------------------------------------------ memory

  /** 4a: the shaded jar's Main on RGW (through the proxy), N resources. */
  private void memoryRgw() throws Exception {
    int n = option("buckets");
    List<String> names = names("bench-%05d", n);
    createBuckets(names, false);
    Map<String, Object> r = memory("memory" + n + "Rgw", names, false);
    r.put("s3Server", "Ceph RadosGW, the shaded jar's Main");
  }

  /** 4b: the operator with an in-memory fake S3, 10,000 resources: RSS must stay under the target in docs/performance.md. */
  private void memoryFakeS3() throws Exception {
    int n = option("memory-resources");
    String key = "memory" + n + "FakeS3";
    Map<String, Object> r = memory(key, names("bench-%05d", n), true);
    r.put("s3Server", "in-memory fake S3 (FakeS3OperatorMain)");
    Object rss = r.get("rssMiB");
    if (n >= 10_000 && rss instanceof Double) {
      check(key + ": RSS below the target (docs/performance.md) of " + RSS_TARGET_MIB + " MiB", (Double) rss < RSS_TARGET_MIB,
          rss + " MiB");
    }
    r.put("rssTargetMiB", RSS_TARGET_MIB);
  }

  private Map<String, Object> memory(String key, List<String> names, boolean fakeS3) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    results.put(key, r);
    String ns = "bench-mem";
    try (MockKubernetes kubernetes = new MockKubernetes();
         KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT)) {
      KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
      ensureNamespace(bench, ns);
      bench.resource(Accounts.defaultForEveryone()).create();
      long createStart = System.nanoTime();
      parallel(names, name -> bench.resource(Resources.protection(ns, name, name, "Enabled")).create());
      say("4. %s: created %d resources in %.1f s; starting the operator JVM", key, names.size(), seconds(createStart));
      S3CountingProxy.Counts http0 = fakeS3 ? null : proxy.snapshot();
      int mark = log.mark();
      try (ReadyWatch watch = new ReadyWatch(bench, ns);
           OperatorJvm jvm = startJvm(key, fakeS3, kubernetes, ns, Map.of())) {
        long start = System.nanoTime();
        awaitAccountReady(bench, jvm);
        ReadyWatch.Result ready = watch.await(names, Benchmark::readyTrue, Duration.ofMinutes(10));
        double seconds = (ready.lastNanos() - start) / 1e9;
        Thread.sleep(5_000);
        OperatorJvm.Heap heap = jvm.heapAfterFullGc();
        r.put("resources", names.size());
        r.put("secondsToAllReady", round(seconds));
        r.put("heapLiveAfterFullGcMiB", heap.liveMiB());
        r.put("heapUsedAfterFullGcMiB", heap.usedMiB());
        r.put("metaspaceUsedMiB", heap.metaspaceUsedMiB());
        r.put("rssMiB", round(jvm.rssMiB()));
        r.put("peakRssMiB", round(jvm.peakRssMiB()));
        r.put("threads", jvm.threads());
        if (http0 != null) {
          r.put("s3", proxy.snapshot().minus(http0).report());
        }
        r.put("kubernetes", KubernetesRequestLog.report(log.since(mark)));
        r.put("eventsByReason", eventsByReason(bench, ns));
        say("4. %s: %d Ready in %.1f s; live heap after full GC %.1f MiB, RSS %.1f MiB (peak %.1f)", key,
            ready.reached(), seconds, heap.liveMiB(), jvm.rssMiB(), jvm.peakRssMiB());
        check(key + ": all " + names.size() + " Ready within 10 min", ready.complete(), ready.reached());
        check(key + ": the operator JVM stays alive", jvm.alive(), "see " + jvm.log());
      } finally {
        log.close();
      }
    }
    return r;
  }

  // ------------------------------------------------------------------ unrelated Secrets

  /**
   * 5: Secrets the operator has no business with (no bucketprotection.io/secret label) must not
   * cost heap: the same resources, with and without 10,000 unrelated 10 KiB Secrets in the
   * watched namespace, each in a fresh API server and a fresh operator JVM.
   */
  private void unrelatedSecrets() throws Exception {
    int resources = option("secrets-resources");
    int secrets = option("secrets");
    int kib = option("secret-kib");
    List<String> names = names("bench-%05d", resources);
    Map<String, Object> r = new LinkedHashMap<>();
    results.put("unrelatedSecrets", r);
    r.put("resources", resources);
    r.put("unrelatedSecrets", secrets);
    r.put("secretKiB", kib);
    r.put("s3Server", "in-memory fake S3 (FakeS3OperatorMain)");
    Map<String, Object> without = secretsRun("without", names, 0, kib, Duration.ofMinutes(10));
    double withoutSeconds = (Double) without.getOrDefault("secondsToAllReady", 600.0);
    Map<String, Object> with = secretsRun("with", names, secrets, kib,
        Duration.ofSeconds((long) Math.max(180, 4 * withoutSeconds)));
    r.put("without", without);
    r.put("with", with);
    if (without.get("heapLiveAfterFullGcMiB") instanceof Double
        && with.get("heapLiveAfterFullGcMiB") instanceof Double) {
      // The live set (class histogram) is asserted: GC.heap_info also counts what was allocated after the GC,
      // which moved this figure by several MiB between identical runs.
      double difference = (Double) with.get("heapLiveAfterFullGcMiB") - (Double) without.get("heapLiveAfterFullGcMiB");
      r.put("heapLiveDifferenceMiB", round(difference));
      r.put("heapLiveDifferenceLimitMiB", UNRELATED_SECRETS_HEAP_LIMIT_MIB);
      r.put("heapUsedDifferenceMiB", round((Double) with.get("heapUsedAfterFullGcMiB")
          - (Double) without.get("heapUsedAfterFullGcMiB")));
      r.put("rssDifferenceMiB", round((Double) with.get("rssMiB") - (Double) without.get("rssMiB")));
      say("5. %d unrelated %d KiB Secrets: live heap after full GC %.1f -> %.1f MiB (+%.1f), RSS %.1f -> %.1f MiB",
          secrets, kib, without.get("heapLiveAfterFullGcMiB"), with.get("heapLiveAfterFullGcMiB"), difference,
          without.get("rssMiB"), with.get("rssMiB"));
      check("unrelatedSecrets: " + secrets + " unrelated Secrets cost at most " + UNRELATED_SECRETS_HEAP_LIMIT_MIB
          + " MiB of live heap after a full GC", difference <= UNRELATED_SECRETS_HEAP_LIMIT_MIB, round(difference)
          + " MiB");
    } else {
      check("unrelatedSecrets: a heap figure for both runs", false, "see the logs in " + logDir);
    }
  }

  private Map<String, Object> secretsRun(String label, List<String> names, int secrets, int kib, Duration timeout)
      throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    String ns = "bench-secrets";
    String key = "unrelatedSecrets-" + label;
    try (MockKubernetes kubernetes = new MockKubernetes();
         KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT)) {
      KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
      ensureNamespace(bench, ns);
      bench.resource(Accounts.defaultForEveryone()).create();
      parallel(names, name -> bench.resource(Resources.protection(ns, name, name, "Enabled")).create());
      if (secrets > 0) {
        long start = System.nanoTime();
        List<String> secretNames = names("unrelated-%05d", secrets);
        parallel(secretNames, name -> bench.resource(unrelatedSecret(ns, name, kib)).create());
        r.put("secondsToCreateTheSecrets", round(seconds(start)));
        say("5. created %d unrelated %d KiB Secrets in %s in %.1f s", secrets, kib, ns, seconds(start));
      }
      int mark = log.mark();
      try (ReadyWatch watch = new ReadyWatch(bench, ns);
           OperatorJvm jvm = startJvm(key, true, kubernetes, ns, Map.of())) {
        long start = System.nanoTime();
        awaitAccountReady(bench, jvm);
        ReadyWatch.Result ready = watch.await(names, Benchmark::readyTrue, timeout);
        double seconds = (ready.lastNanos() - start) / 1e9;
        r.put("secondsToAllReady", round(seconds));
        r.put("ready", ready.reached());
        check("unrelatedSecrets (" + label + "): all " + names.size() + " Ready within " + timeout.toSeconds() + " s",
            ready.complete(), ready.reached());
        if (jvm.alive()) {
          Thread.sleep(5_000);
          OperatorJvm.Heap heap = jvm.heapAfterFullGc();
          r.put("heapLiveAfterFullGcMiB", heap.liveMiB());
          r.put("heapUsedAfterFullGcMiB", heap.usedMiB());
          r.put("metaspaceUsedMiB", heap.metaspaceUsedMiB());
          r.put("rssMiB", round(jvm.rssMiB()));
          r.put("peakRssMiB", round(jvm.peakRssMiB()));
          r.put("largestClassesKiB", heap.largestClassesKiB());
        }
        r.put("kubernetes", KubernetesRequestLog.report(log.since(mark)));
        check("unrelatedSecrets (" + label + "): the operator JVM stays alive", jvm.alive(), "see " + jvm.log());
        say("5. %s unrelated Secrets: %d Ready in %.1f s, %s", label, ready.reached(), seconds, r);
      } finally {
        log.close();
      }
    }
    return r;
  }

  /** A Secret the operator has no business with: no label, {@code kib} KiB of random data. */
  private static Secret unrelatedSecret(String namespace, String name, int kib) {
    byte[] data = new byte[kib * 1024];
    new Random(name.hashCode()).nextBytes(data);
    return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withData(Map.of("blob", Base64.getEncoder().encodeToString(data))).build();
  }

  // ------------------------------------------------------------------ many policies, one account

  /**
   * 9: P policies on one account of B buckets (in-memory S3 in an operator JVM, the Deployment's
   * options) share one listing per interval and cost little heap: each policy covers one bucket,
   * so the children are few and the difference is the policies and their listing. The same
   * operator, account and buckets without the policies is the baseline. ListBuckets is counted
   * by the fake S3 itself, per page, from the operator's start to the end of a quiet interval.
   */
  private void policiesOnOneAccount() throws Exception {
    int policies = option("policies");
    int buckets = option("policies-buckets");
    Map<String, Object> r = new LinkedHashMap<>();
    results.put("policiesOnOneAccount", r);
    r.put("policies", policies);
    r.put("buckets", buckets);
    r.put("scanInterval", POLICIES_SCAN.toString());
    r.put("s3Server", "in-memory fake S3 (FakeS3OperatorMain), 1,000 buckets a ListBuckets page");
    Map<String, Object> without = policiesRun("without", 0, buckets);
    Map<String, Object> with = policiesRun("with", policies, buckets);
    r.put("without", without);
    r.put("with", with);
    if (without.get("heapLiveAfterFullGcMiB") instanceof Double
        && with.get("heapLiveAfterFullGcMiB") instanceof Double) {
      double difference = (Double) with.get("heapLiveAfterFullGcMiB") - (Double) without.get("heapLiveAfterFullGcMiB");
      r.put("heapLiveDifferenceMiB", round(difference));
      r.put("heapLiveDifferenceLimitMiB", POLICIES_HEAP_LIMIT_MIB);
      r.put("rssDifferenceMiB", round((Double) with.get("rssMiB") - (Double) without.get("rssMiB")));
      say("9. %d policies on one account of %d buckets: live heap after full GC %.1f -> %.1f MiB (+%.1f)", policies,
          buckets, without.get("heapLiveAfterFullGcMiB"), with.get("heapLiveAfterFullGcMiB"), difference);
      check("policiesOnOneAccount: " + policies + " policies on one account of " + buckets + " buckets cost at most "
          + POLICIES_HEAP_LIMIT_MIB + " MiB of live heap after a full GC", difference <= POLICIES_HEAP_LIMIT_MIB,
          round(difference) + " MiB");
    } else {
      check("policiesOnOneAccount: a heap figure for both runs", false, "see the logs in " + logDir);
    }
  }

  private Map<String, Object> policiesRun(String label, int policies, int buckets) throws Exception {
    Map<String, Object> r = new LinkedHashMap<>();
    String ns = "bench-policies";
    String key = "policiesOnOneAccount-" + label;
    int pagesPerListing = Math.max(1, (buckets + 999) / 1000);
    try (MockKubernetes kubernetes = new MockKubernetes();
         KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT)) {
      KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
      ensureNamespace(bench, ns);
      bench.resource(Accounts.defaultForEveryone()).create();
      List<String> names = names("policy-%05d", policies);
      int stride = Math.max(1, buckets / Math.max(1, policies));
      // Each policy covers one bucket of its own: the children stay few, the listing is the account's.
      parallel(names, name -> {
        int i = Integer.parseInt(name.substring("policy-".length()));
        BucketProtectionPolicy policy = Policies.policy(ns, name, "default",
            List.of(String.format("bench-policies-%05d", i * stride)), null);
        policy.getSpec().setScanInterval(Durations.format(POLICIES_SCAN));
        return bench.resource(policy).create();
      });
      int mark = log.mark();
      try (OperatorJvm jvm = startJvm(key, true, kubernetes, ns, Map.of("BENCH_FAKE_S3_BUCKETS",
          String.valueOf(buckets), "BENCH_FAKE_S3_PREFIX", "bench-policies-"))) {
        long start = System.nanoTime();
        awaitAccountReady(bench, jvm);
        if (policies > 0) {
          Duration timeout = Duration.ofMinutes(10);
          int protectedPolicies = 0;
          while (seconds(start) < timeout.toSeconds() && jvm.alive()) {
            protectedPolicies = (int) bench.resources(BucketProtectionPolicy.class).inNamespace(ns).list().getItems()
                .stream().filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null
                    && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                    && "AllProtected".equals(c.getReason()))).count();
            if (protectedPolicies == policies) {
              break;
            }
            Thread.sleep(2_000);
          }
          r.put("secondsToAllProtected", round(seconds(start)));
          r.put("allProtected", protectedPolicies);
          check("policiesOnOneAccount: all " + policies + " policies AllProtected (one child each) within "
              + timeout.toSeconds() + " s", protectedPolicies == policies, protectedPolicies);
          say("9. %d policies AllProtected in %.1f s", protectedPolicies, seconds(start));
          // A quiet interval and a little more: the account is listed again once, for every policy.
          Thread.sleep(POLICIES_SCAN.plusSeconds(15).toMillis());
          double pages = jvm.metric("bench_fake_s3_calls{operation=\"ListBuckets\"}");
          double elapsed = seconds(start);
          long listings = Math.round(pages / pagesPerListing);
          long allowed = 1 + (long) Math.floor(elapsed / POLICIES_SCAN.toSeconds());
          r.put("listBucketsPages", pages);
          r.put("listings", listings);
          r.put("secondsFromStart", round(elapsed));
          r.put("listingsAllowed", allowed);
          say("9. ListBuckets: %.0f pages = %d listings of %d pages in %.1f s (at most %d: one per %s)", pages,
              listings, pagesPerListing, elapsed, allowed, POLICIES_SCAN);
          check("policiesOnOneAccount: " + policies + " policies on one account cost one listing per scanInterval"
              + " (ListBuckets pages at the fake S3, from the operator's start)", pages >= pagesPerListing
              && pages % pagesPerListing == 0 && listings <= allowed, listings + " listings (" + pages
              + " pages) in " + round(elapsed) + " s; at most " + allowed);
        } else {
          Thread.sleep(15_000);
        }
        if (jvm.alive()) {
          Thread.sleep(5_000);
          OperatorJvm.Heap heap = jvm.heapAfterFullGc();
          r.put("heapLiveAfterFullGcMiB", heap.liveMiB());
          r.put("heapUsedAfterFullGcMiB", heap.usedMiB());
          r.put("rssMiB", round(jvm.rssMiB()));
          r.put("peakRssMiB", round(jvm.peakRssMiB()));
          r.put("largestClassesKiB", heap.largestClassesKiB());
        }
        r.put("kubernetes", KubernetesRequestLog.report(log.since(mark)));
        check("policiesOnOneAccount (" + label + "): the operator JVM stays alive", jvm.alive(), "see " + jvm.log());
      } finally {
        log.close();
      }
    }
    return r;
  }

  // ------------------------------------------------------------------ a slow endpoint

  /**
   * 6: resources on an endpoint that never answers must not starve the others. In one operator
   * JVM: a warm-up wave of M resources on RGW, the time for a fresh M to reach Ready (baseline),
   * then, with N resources on the black hole present, the time for another fresh M; and the
   * operator's thread count throughout.
   */
  private void slowEndpoint() throws Exception {
    int slow = option("slow-resources");
    int m = option("slow-rgw-resources");
    String ns = "bench-slow";
    List<String> warmUpNames = names("bench-slow-w-%04d", m);
    List<String> baselineNames = names("bench-slow-a-%04d", m);
    List<String> withNames = names("bench-slow-b-%04d", m);
    List<String> slowNames = names("black-hole-%04d", slow);
    createBuckets(warmUpNames, false);
    createBuckets(baselineNames, false);
    createBuckets(withNames, false);
    Map<String, Object> r = new LinkedHashMap<>();
    results.put("slowEndpoint", r);
    try (BlackHoleEndpoint hole = BlackHoleEndpoint.start();
         MockKubernetes kubernetes = new MockKubernetes();
         KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT)) {
      KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
      ensureNamespace(bench, ns);
      bench.resource(Accounts.defaultForEveryone()).create();
      bench.resource(Resources.rootKeys(ns, "black-hole-keys", Map.of("AWS_ACCESS_KEY_ID", "BLACKHOLEKEY00000001",
          "AWS_SECRET_ACCESS_KEY", "black-hole-secret-key-0123456789abcdefgh"))).create();
      // The RGW resources use the default endpoint (the proxy), always allowed; the black hole must be listed.
      Map<String, String> env = Map.of("BPO_ALLOWED_ENDPOINTS", hole.endpoint().toString(),
          "BPO_RECONCILE_THREADS", String.valueOf(RECONCILE_THREADS));
      try (ReadyWatch watch = new ReadyWatch(bench, ns);
           OperatorJvm jvm = startJvm("slowEndpoint", false, kubernetes, ns, env);
           ThreadSampler sampler = new ThreadSampler(jvm)) {
        awaitAccountReady(bench, jvm);
        Thread.sleep(2_000);
        int idle = jvm.threads();
        // A first wave, not measured: a cold JIT would make the baseline slow and the comparison lenient.
        long warmUpStart = System.nanoTime();
        parallel(warmUpNames, name -> bench.resource(Resources.protection(ns, name, name, "Enabled")).create());
        ReadyWatch.Result warmUp = watch.await(warmUpNames, Benchmark::readyTrue, Duration.ofMinutes(5));
        double warmUpSeconds = (warmUp.lastNanos() - warmUpStart) / 1e9;
        Thread.sleep(2_000);

        sampler.reset();
        S3CountingProxy.Counts http0 = proxy.snapshot();
        long start = System.nanoTime();
        parallel(baselineNames, name -> bench.resource(Resources.protection(ns, name, name, "Enabled")).create());
        ReadyWatch.Result baseline = watch.await(baselineNames, Benchmark::readyTrue, Duration.ofMinutes(5));
        double baselineSeconds = (baseline.lastNanos() - start) / 1e9;
        int baselinePeak = sampler.peak();
        S3CountingProxy.Counts baselineHttp = proxy.snapshot().minus(http0);
        Map<String, Integer> baselineThreads = jvm.threadsByName();
        // Everything a full-speed wave needs (JDK, fabric8's HTTP pool, JOSDK's reconcile threads,
        // the SDK's schedulers), measured; the black hole may add at most one thread per resource on it.
        int bound = baselinePeak + slow;
        say("6. baseline: %d resources on RGW Ready in %.2f s; threads idle %d, peak %d", m, baselineSeconds, idle,
            baselinePeak);

        sampler.reset();
        for (String name : slowNames) {
          BucketProtection resource = Resources.withCredentials(Resources.protection(ns, name, name, "Enabled"),
              "black-hole-keys");
          resource.getSpec().setEndpoint(hole.endpoint().toString());
          bench.resource(resource).create();
        }
        long waitStart = System.nanoTime();
        while (hole.accepted() == 0 && seconds(waitStart) < 30) {
          Thread.sleep(100);
        }
        Thread.sleep(2_000); // the calls to the black hole now hold whatever they hold
        int holdingPeak = sampler.peak();
        http0 = proxy.snapshot();
        start = System.nanoTime();
        parallel(withNames, name -> bench.resource(Resources.protection(ns, name, name, "Enabled")).create());
        ReadyWatch.Result with = watch.await(withNames, Benchmark::readyTrue, Duration.ofMinutes(6));
        double withSeconds = (with.lastNanos() - start) / 1e9;
        int withPeak = Math.max(holdingPeak, sampler.peak());
        S3CountingProxy.Counts withHttp = proxy.snapshot().minus(http0);
        Map<String, Integer> withThreads = jvm.threadsByName();
        Map<String, Long> slowReasons = new TreeMap<>();
        for (String name : slowNames) {
          BucketProtection bp = watch.get(name);
          slowReasons.merge(String.valueOf(Resources.readyReason(bp)), 1L, Long::sum);
        }

        r.put("rgwResourcesPerWave", m);
        r.put("blackHoleResources", slow);
        r.put("reconcileThreads", RECONCILE_THREADS);
        r.put("maxThreadsPerEndpoint", "default (BPO_MAX_THREADS_PER_ENDPOINT unset: half of BPO_RECONCILE_THREADS)");
        r.put("warmUpSecondsToAllReady", round(warmUpSeconds));
        r.put("baselineSecondsToAllReady", round(baselineSeconds));
        r.put("withBlackHoleSecondsToAllReady", round(withSeconds));
        r.put("ratio", round(withSeconds / baselineSeconds));
        r.put("ratioLimit", SLOW_ENDPOINT_RATIO_LIMIT);
        r.put("threadsIdle", idle);
        r.put("threadsPeakBaseline", baselinePeak);
        r.put("threadsPeakWithBlackHole", withPeak);
        r.put("threadBound", bound);
        r.put("threadBoundIs", "the baseline wave's peak (JDK, fabric8's HTTP client pool, JOSDK with its "
            + RECONCILE_THREADS + " reconcile threads, the SDK's schedulers: everything a full-speed wave needs)"
            + " + one per black-hole resource");
        r.put("threadsByNameAfterBaseline", baselineThreads);
        r.put("threadsByNameAfterWithBlackHole", withThreads);
        r.put("blackHoleConnectionsAccepted", hole.accepted());
        r.put("blackHoleMostConnectionsOpen", hole.maxOpen());
        r.put("blackHoleResourceReasons", slowReasons);
        r.put("s3Baseline", baselineHttp.report());
        r.put("s3WithBlackHole", withHttp.report());
        r.put("kubernetes", KubernetesRequestLog.report(log.since(0)));
        say("6. with %d resources on a black hole: %d on RGW Ready in %.2f s (x%.2f of the baseline); threads peak"
            + " %d (bound %d); black hole accepted %d connections, at most %d open", slow, m, withSeconds,
            withSeconds / baselineSeconds, withPeak, bound, hole.accepted(), hole.maxOpen());

        check("slowEndpoint: all " + m + " Ready in the warm-up wave", warmUp.complete(), warmUp.reached());
        check("slowEndpoint: all " + m + " Ready in the baseline wave", baseline.complete(), baseline.reached());
        check("slowEndpoint: all " + m + " Ready with the black hole present, within 6 min", with.complete(),
            with.reached());
        check("slowEndpoint: with " + slow + " resources on an endpoint that never answers, " + m + " others reach"
            + " Ready in at most " + SLOW_ENDPOINT_RATIO_LIMIT + " x the time they take without",
            withSeconds <= SLOW_ENDPOINT_RATIO_LIMIT * baselineSeconds, String.format("%.2f s, x%.2f of the baseline"
                + " %.2f s", withSeconds, withSeconds / baselineSeconds, baselineSeconds));
        check("slowEndpoint: with the black hole, the operator's threads stay below the baseline peak + " + slow
            + " = " + bound, withPeak < bound, withPeak);
        check("slowEndpoint: the black hole was called (else the scenario tested nothing)", hole.accepted() > 0,
            hole.accepted() + " connections");
        expectExactly("slowEndpoint baseline", baselineHttp, m, m, 0);
        expectExactly("slowEndpoint with the black hole", withHttp, m, m, 0);
        check("slowEndpoint: the operator JVM stays alive", jvm.alive(), "see " + jvm.log());
      } finally {
        log.close();
      }
    }
  }

  /** Samples an operator JVM's thread count every 100 ms and keeps the peak. */
  private static final class ThreadSampler implements AutoCloseable {

    private final AtomicInteger peak = new AtomicInteger();
    private final java.util.concurrent.ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "thread-sampler");
          t.setDaemon(true);
          return t;
        });

    ThreadSampler(OperatorJvm jvm) {
      timer.scheduleAtFixedRate(() -> peak.accumulateAndGet(jvm.threads(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
    }

    void reset() {
      peak.set(0);
    }

    int peak() {
      return peak.get();
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }

  // ------------------------------------------------------------------ hostile specs

  /**
   * 7: 10 KB checkIntervals ("1s" 5,000 times; the mock, unlike a real API server, does not
   * enforce the CRD's maxLength) among valid resources. The valid ones converge, the hostile ones
   * are InvalidSpec without a single S3 request, and the operator process lives through it.
   */
  private void hostileSpecs() throws Exception {
    int hostile = option("hostile-resources");
    int valid = option("hostile-valid");
    String ns = "bench-hostile";
    List<String> validNames = names("bench-hostile-%04d", valid);
    List<String> hostileNames = names("hostile-%04d", hostile);
    createBuckets(validNames, false);
    String interval = "1s".repeat(5_000);
    List<BucketProtection> all = new ArrayList<>();
    for (int i = 0, v = 0, h = 0; v < valid || h < hostile; i++) {
      // interleaved: about one valid resource in every (hostile / valid + 1)
      if (v < valid && (h >= hostile || (long) v * hostile <= (long) h * valid)) {
        String name = validNames.get(v++);
        all.add(Resources.protection(ns, name, name, "Enabled"));
      } else {
        String name = hostileNames.get(h++);
        BucketProtection resource = Resources.protection(ns, name, "bench-hostile-x-" + name.substring(8), "Enabled");
        resource.getSpec().setCheckInterval(interval);
        all.add(resource);
      }
    }
    Map<String, Object> r = new LinkedHashMap<>();
    results.put("hostileSpecs", r);
    try (MockKubernetes kubernetes = new MockKubernetes();
         KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT)) {
      KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
      ensureNamespace(bench, ns);
      bench.resource(Accounts.defaultForEveryone()).create();
      try (ReadyWatch watch = new ReadyWatch(bench, ns);
           OperatorJvm jvm = startJvm("hostileSpecs", false, kubernetes, ns, Map.of())) {
        long pid = jvm.pid();
        awaitAccountReady(bench, jvm);
        int mark = log.mark();
        S3CountingProxy.Counts http0 = proxy.snapshot();
        long start = System.nanoTime();
        AtomicInteger healthzFailures = new AtomicInteger();
        AtomicInteger healthzProbes = new AtomicInteger();
        java.util.concurrent.ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor();
        prober.scheduleAtFixedRate(() -> {
          healthzProbes.incrementAndGet();
          if (jvm.healthz() != 200) {
            healthzFailures.incrementAndGet();
          }
        }, 0, 1, TimeUnit.SECONDS);
        ReadyWatch.Result validReady;
        ReadyWatch.Result hostileRefused;
        try {
          parallelResources(all, resource -> bench.resource(resource).create());
          validReady = watch.await(validNames, Benchmark::appliedOrInSync, Duration.ofMinutes(5));
          hostileRefused = watch.await(hostileNames, bp -> Resources.ready(bp)
              .map(c -> "False".equals(c.getStatus()) && "InvalidSpec".equals(c.getReason())).orElse(false),
              Duration.ofMinutes(5));
          Thread.sleep(SETTLE_MILLIS);
        } finally {
          prober.shutdownNow();
        }
        double seconds = (Math.max(validReady.lastNanos(), hostileRefused.lastNanos()) - start) / 1e9;
        S3CountingProxy.Counts http = proxy.snapshot().minus(http0);
        long hostileReads = hostileNames.stream().mapToLong(n -> http.getsOf("bench-hostile-x-" + n.substring(8)))
            .sum();
        int longestMessage = watch.all().stream().map(bp -> Resources.ready(bp).map(c -> c.getMessage()).orElse(""))
            .mapToInt(s -> s == null ? 0 : s.length()).max().orElse(0);
        Map<String, Long> reasons = new TreeMap<>();
        watch.all().forEach(bp -> reasons.merge(String.valueOf(Resources.readyReason(bp)), 1L, Long::sum));
        int healthz = jvm.healthz();
        long fatal = jvm.logLinesContaining("OutOfMemoryError") + jvm.logLinesContaining("StackOverflowError");

        r.put("validResources", valid);
        r.put("hostileResources", hostile);
        r.put("hostileCheckIntervalChars", interval.length());
        r.put("secondsToAllSettled", round(seconds));
        r.put("validConverged", validReady.reached());
        r.put("hostileInvalidSpec", hostileRefused.reached());
        r.put("reasons", reasons);
        r.put("longestReadyMessageChars", longestMessage);
        r.put("operatorPidBefore", pid);
        r.put("operatorPidAfter", jvm.pid());
        r.put("operatorAlive", jvm.alive());
        r.put("healthzAtTheEnd", healthz);
        r.put("healthzProbes", healthzProbes.get());
        r.put("healthzFailures", healthzFailures.get());
        r.put("logLinesWithOutOfMemoryOrStackOverflow", fatal);
        r.put("logLinesWithError", jvm.logLinesContaining("ERROR"));
        r.put("rssMiB", round(jvm.rssMiB()));
        r.put("s3", http.report());
        r.put("kubernetes", KubernetesRequestLog.report(log.since(mark)));
        r.put("eventsByReason", eventsByReason(bench, ns));
        say("7. hostile specs: %d of %d valid converged, %d of %d hostile InvalidSpec in %.1f s; operator alive %s,"
            + " /healthz %d (%d of %d probes failed); S3 %s", validReady.reached(), valid, hostileRefused.reached(),
            hostile, seconds, jvm.alive(), healthz, healthzFailures.get(), healthzProbes.get(), http.requests());

        check("hostileSpecs: all " + valid + " valid resources converge (Applied/InSync)", validReady.complete(),
            validReady.reached());
        check("hostileSpecs: all " + hostile + " hostile resources report Ready=False InvalidSpec",
            hostileRefused.complete(), hostileRefused.reached() + "; reasons " + reasons);
        check("hostileSpecs: the operator process lives through it (same pid " + pid + ")",
            jvm.alive() && jvm.pid() == pid, "alive " + jvm.alive() + ", see " + jvm.log());
        check("hostileSpecs: /healthz (the liveness probe) answers 200 at the end", healthz == 200, healthz);
        check("hostileSpecs: no OutOfMemoryError or StackOverflowError in the operator's log", fatal == 0, fatal);
        check("hostileSpecs: an InvalidSpec resource costs no S3 request", hostileReads == 0, hostileReads);
        expectExactly("hostileSpecs", http, valid, valid, 0);
      } finally {
        log.close();
      }
    }
  }

  // ------------------------------------------------------------------ shared steps

  /**
   * Starts an operator JVM against {@code kubernetes}: the shaded jar's Main on RGW through the
   * proxy, or FakeS3OperatorMain, with the Deployment's JVM options.
   */
  private OperatorJvm startJvm(String key, boolean fakeS3, MockKubernetes kubernetes, String namespace,
      Map<String, String> extraEnv) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_MASTER", kubernetes.url());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("BPO_WATCH_NAMESPACES", namespace);
    env.put("BPO_DEFAULT_CHECK_INTERVAL", "10m");
    env.put("AWS_ACCESS_KEY_ID", OBSERVER_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", OBSERVER_SECRET);
    env.put("AWS_REGION", "us-east-1");
    env.put("TEST_LOG_LEVEL", "INFO");
    if (!fakeS3) {
      env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
    }
    env.putAll(extraEnv);
    List<String> launch = fakeS3
        ? List.of("-cp", System.getProperty("java.class.path"), FakeS3OperatorMain.class.getName())
        : List.of("-jar", Path.of(options.get("jar")).toAbsolutePath().toString());
    return OperatorJvm.start(launch, env, logDir.resolve(key + ".log"));
  }

  /** The operator sets the account's Ready condition; nothing is reconciled before it. */
  private static void awaitAccountReady(KubernetesClient bench, OperatorJvm jvm) throws InterruptedException {
    long start = System.nanoTime();
    while (seconds(start) < 120) {
      ClusterS3Account account = bench.resources(ClusterS3Account.class).withName("default").get();
      if (account != null && account.getStatus() != null && account.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
        return;
      }
      if (!jvm.alive()) {
        throw new IllegalStateException("the operator JVM ended before the account was Ready (see " + jvm.log() + ")");
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the ClusterS3Account default was not Ready within 120 s (see " + jvm.log() + ")");
  }

  /**
   * Creates the Namespace object unless it exists (as MockKubernetes.ensureNamespace does), with the
   * benchmark's client, so the request log counts it as the benchmark's.
   */
  private static void ensureNamespace(KubernetesClient bench, String name) {
    if (bench.namespaces().withName(name).get() == null) {
      bench.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
          .withNewMetadata().withName(name).endMetadata().build()).create();
    }
  }

  /** The events in a namespace by "type/reason": what the status patches and events of a run were about. */
  private static Map<String, Long> eventsByReason(KubernetesClient bench, String namespace) {
    return bench.v1().events().inNamespace(namespace).list().getItems().stream()
        .collect(Collectors.groupingBy(e -> e.getType() + "/" + e.getReason(), TreeMap::new, Collectors.counting()));
  }

  /** Buckets in RGW, made directly (not through the proxy: set-up is not counted). */
  private void createBuckets(List<String> names, boolean versioned) throws Exception {
    createBuckets(s3, names, versioned);
  }

  /** The same, as {@code owner}. */
  private static void createBuckets(S3Client owner, List<String> names, boolean versioned) throws Exception {
    long start = System.nanoTime();
    parallel(names, name -> {
      try {
        owner.createBucket(b -> b.bucket(name));
      } catch (BucketAlreadyOwnedByYouException e) {
        // made by an earlier scenario of this run
      } catch (S3Exception e) {
        if (e.statusCode() != 409) {
          throw e;
        }
      }
      if (versioned) {
        owner.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(c -> c.status(
            BucketVersioningStatus.ENABLED)));
      }
      return null;
    });
    say("created %d %s buckets in RGW in %.1f s (set-up, not measured)", names.size(),
        versioned ? "versioned" : "unversioned", seconds(start));
  }

  /** A Secret the operator is meant to read: it carries the label its Secret informer selects. */
  private static Secret operatorSecret(String namespace, String name, Map<String, String> values) {
    Secret secret = Resources.secret(namespace, name, values);
    secret.getMetadata().setLabels(Map.of(SECRET_LABEL, "bench"));
    return secret;
  }

  /** The S3 requests of a wave at the wire: exactly these, nothing else, every answer 2xx. */
  private void expectExactly(String wave, S3CountingProxy.Counts http, long gets, long puts, long putsWithMfa) {
    Map<String, Long> expected = new TreeMap<>();
    if (gets > 0) {
      expected.put(S3CountingProxy.GET_VERSIONING, gets);
    }
    if (puts > 0) {
      expected.put(S3CountingProxy.PUT_VERSIONING, puts);
    }
    if (putsWithMfa > 0) {
      expected.put(S3CountingProxy.PUT_VERSIONING_MFA, putsWithMfa);
    }
    check(wave + ": S3 requests at the wire are exactly " + expected, http.requests().equals(expected),
        http.requests());
    check(wave + ": every S3 answer is 2xx (no retry, no redirect)", http.responsesNot2xx() == 0,
        http.responsesByClass());
  }

  /** The operator's own count of its S3 calls must equal the wire's: nothing added below it, nothing lost. */
  private void expectTransparent(String wave, S3CountingProxy.Counts http, Map<String, Long> operatorLevel) {
    Map<String, Long> byOperation = new TreeMap<>();
    operatorLevel.forEach((k, v) -> byOperation.merge(k.substring(0, k.indexOf(' ')), v, Long::sum));
    Map<String, Long> wire = new TreeMap<>();
    wire.put("GetBucketVersioning", http.requests(S3CountingProxy.GET_VERSIONING));
    wire.put("PutBucketVersioning", http.requests(S3CountingProxy.PUT_VERSIONING)
        + http.requests(S3CountingProxy.PUT_VERSIONING_MFA));
    wire.put("GetBucketLifecycleConfiguration", http.requests(S3CountingProxy.GET_LIFECYCLE));
    wire.put("other", http.otherRequests());
    wire.values().removeIf(v -> v == 0);
    check(wave + ": the operator's own count of its S3 calls equals the count at the wire", wire.equals(byOperation),
        "operator " + byOperation + ", wire " + wire);
  }

  private static Map<String, Long> delta(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> delta = new TreeMap<>();
    now.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        delta.put(k, d);
      }
    });
    return delta;
  }

  private static boolean appliedOrInSync(BucketProtection bp) {
    String reason = Resources.readyReason(bp);
    return "Applied".equals(reason) || "InSync".equals(reason);
  }

  private static boolean readyTrue(BucketProtection bp) {
    return Resources.ready(bp).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  private static List<String> names(String format, int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format(format, i)).toList();
  }

  private interface Task<T> {
    T apply(String name) throws Exception;
  }

  private static <T> void parallel(List<String> names, Task<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<T>> futures = names.stream().map(n -> pool.submit(() -> task.apply(n))).toList();
      for (Future<T> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static void parallelResources(Collection<BucketProtection> resources, Consumer<BucketProtection> create)
      throws Exception {
    Map<String, BucketProtection> byName = resources.stream().collect(Collectors.toMap(
        bp -> bp.getMetadata().getName(), bp -> bp, (a, b) -> a, LinkedHashMap::new));
    parallel(new ArrayList<>(byName.keySet()), name -> {
      create.accept(byName.get(name));
      return null;
    });
  }

  private static Map<String, Object> machine() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memoryGiB", round(procMemTotalKb() / 1024.0 / 1024.0));
    m.put("cpu", Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    return m;
  }

  private static long procMemTotalKb() throws IOException {
    return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
        .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
  }

  /** Records a check: the rule, whether it held, and what was measured. */
  private void check(String rule, boolean ok, Object measured) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("check", rule);
    c.put("ok", ok);
    c.put("measured", String.valueOf(measured));
    checks.add(c);
    if (!ok) {
      failures.add(rule + ": got " + measured);
      say("CHECK FAILED: %s: got %s", rule, measured);
    }
  }

  static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  static void say(String format, Object... args) {
    System.out.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(format, args));
  }
}

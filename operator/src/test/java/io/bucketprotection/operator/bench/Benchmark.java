package io.bucketprotection.operator.bench;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.bucketprotection.operator.reconcile.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.secrets.AwsSecretsManagerReader;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.RecordingBucketStore;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The scale benchmark of README "Performance", against a real Ceph RadosGW and the fabric8 CRUD
 * mock API server. Run by deploy/benchmark.sh (not part of the test run). Prints its figures,
 * saves them as JSON, and exits 1 when a count (calls, writes, refused codes) is not what the
 * operator promises. Timings are reported, not asserted.
 */
public final class Benchmark {

  /** The heap settings of the operator's Deployment: the memory figures are measured with them. */
  public static final List<String> OPERATOR_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms64m", "-Xmx256m",
      "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=64m", "-Xss512k");

  private static final String UID = "bench";
  private static final String ACCESS_KEY = "BENCHACCESSKEY000001";
  private static final String SECRET_KEY = "bench-secret-key-0123456789abcdefghijkl";
  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final int MFA_STEP = 5;

  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private final Path jar;
  private final int buckets;
  private final int fleet;
  private final int memoryResources;
  private Path logDir;

  private Benchmark(Path jar, int buckets, int fleet, int memoryResources) {
    this.jar = jar;
    this.buckets = buckets;
    this.fleet = fleet;
    this.memoryResources = memoryResources;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Benchmark benchmark = new Benchmark(Path.of(options.getOrDefault("jar", "operator/target/bucket-protection-operator.jar")),
        Integer.parseInt(options.getOrDefault("buckets", "1000")),
        Integer.parseInt(options.getOrDefault("fleet", "20")),
        Integer.parseInt(options.getOrDefault("memory-resources", "10000")));
    Path out = Path.of(options.getOrDefault("out", "bench-results/benchmark.json"));
    int code = benchmark.run(Path.of(options.getOrDefault("lab-dir", ".lab/bench")).toAbsolutePath(), out);
    System.exit(code);
  }

  private int run(Path labDir, Path out) throws Exception {
    logDir = out.toAbsolutePath().getParent();
    Files.createDirectories(logDir);
    results.put("date", Instant.now().toString());
    results.put("machine", machine());
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    try (RgwLab rgw = RgwLab.start(labDir, 37480, 33300, 36800)) {
      rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, buckets + fleet + 100);
      rgw.createMfaDevice(UID, "arn:aws:iam::123456789012:mfa/bench-fleet", SEED, MFA_STEP);
      try (S3Client s3 = rgw.client(ACCESS_KEY, SECRET_KEY)) {
        List<String> names = IntStream.range(0, buckets).mapToObj(i -> String.format("bench-%05d", i)).toList();
        long setup = System.nanoTime();
        parallel(names, name -> s3.createBucket(r -> r.bucket(name)));
        say("created %d unversioned buckets in RGW in %.1f s (setup, not measured)", buckets, seconds(setup));

        try (MockKubernetes kubernetes = new MockKubernetes();
             AwsBucketStore aws = new AwsBucketStore("us-east-1", java.util.Set.of(), FailureVerdicts::isTransient);
             AwsSecretsManagerReader secretsManager = new AwsSecretsManagerReader("us-east-1", null)) {
          RecordingBucketStore store = new RecordingBucketStore(aws);
          OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
              "AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(), "BPO_DEFAULT_CHECK_INTERVAL", "60s"));
          Operator operator = BucketProtectionOperator.create(config, kubernetes.client(), store, secretsManager,
              new OperatorMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
          operator.start();
          try {
            fleetToReady(kubernetes, store, names);
            steadyState(kubernetes, store, names);
            mfaFleet(kubernetes, store, s3);
            results.put("s3Clients", aws.clientCount());
          } finally {
            operator.stop();
          }
        }
        memory("memory" + buckets + "Rgw", buckets, List.of("java", "-jar", jar.toAbsolutePath().toString()), rgw,
            names.size());
      }
    }
    memory("memory" + memoryResources + "FakeS3", memoryResources, List.of("java", "-cp",
        System.getProperty("java.class.path"), FakeS3OperatorMain.class.getName()), null, memoryResources);

    results.put("failures", failures);
    Files.createDirectories(out.toAbsolutePath().getParent());
    String json = Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(results);
    Files.writeString(out, json + "\n", StandardCharsets.UTF_8);
    System.out.println(json);
    say("results saved to %s", out);
    if (!failures.isEmpty()) {
      say("FAILED: %s", failures);
      return 1;
    }
    return 0;
  }

  /** 1: BucketProtections on unversioned buckets, from creation to all Ready. */
  private void fleetToReady(MockKubernetes kubernetes, RecordingBucketStore store, List<String> names) throws Exception {
    KubernetesClient client = kubernetes.client();
    kubernetes.drainRequests();
    long start = System.nanoTime();
    parallel(names, name -> client.resource(Resources.protection("bench", name, name, "Enabled")).create());
    double created = seconds(start);
    waitFor("bench", client, names.size(), bp -> "Applied".equals(Resources.readyReason(bp))
        || "InSync".equals(Resources.readyReason(bp)), Duration.ofMinutes(5));
    double ready = seconds(start);
    Map<String, Long> writes = classifyWrites(kubernetes);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("resources", names.size());
    r.put("secondsToCreateResources", round(created));
    r.put("secondsFromCreationToAllReady", round(ready));
    r.put("s3CallsByOperation", store.calls());
    r.put("kubernetesWrites", writes);
    results.put("fleetToReady", r);
    say("1. %d buckets to Ready: %.1f s (creating the resources took %.1f s); S3 %s; Kubernetes writes %s",
        names.size(), ready, created, store.calls(), writes);
    check(store.calls("PutBucketVersioning ok") == names.size(), "one PutBucketVersioning per bucket, got "
        + store.calls("PutBucketVersioning ok"));
  }

  /** 2: a re-check of every in-sync bucket: one GET each, no other S3 call, no Kubernetes write. */
  private void steadyState(MockKubernetes kubernetes, RecordingBucketStore store, List<String> names) throws Exception {
    KubernetesClient client = kubernetes.client();
    // Applied becomes InSync at the first re-check (a status write each); measure the one after.
    waitFor("bench", client, names.size(), bp -> "InSync".equals(Resources.readyReason(bp)), Duration.ofMinutes(3));
    kubernetes.drainRequests();
    Map<String, Long> before = store.calls();
    Map<String, Long> getsBefore = new LinkedHashMap<>();
    names.forEach(n -> getsBefore.put(n, store.getsOf(n)));
    long start = System.nanoTime();
    while (names.stream().anyMatch(n -> store.getsOf(n) == getsBefore.get(n))) {
      if (seconds(start) > 180) {
        failures.add("steady state: not every bucket was re-checked within 180 s");
        break;
      }
      Thread.sleep(200);
      kubernetes.drainRequests().size(); // keep the mock's request log small
    }
    Thread.sleep(1000); // a (wrong) write of the last check would arrive now
    Map<String, Long> delta = new LinkedHashMap<>();
    store.calls().forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        delta.put(k, d);
      }
    });
    List<String> writes = kubernetes.drainWrites();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("resources", names.size());
    r.put("s3Calls", delta);
    r.put("kubernetesWrites", writes.size());
    r.put("secondsForTheWave", round(seconds(start)));
    results.put("steadyStateRecheck", r);
    say("2. steady-state re-check of %d buckets: S3 %s, Kubernetes writes %d", names.size(), delta, writes.size());
    check(delta.equals(Map.of("GetBucketVersioning ok", (long) names.size())),
        "steady state must cost exactly one GetBucketVersioning per bucket, got " + delta);
    check(writes.isEmpty(), "steady state must cost no Kubernetes write, got " + writes.size() + ": "
        + writes.stream().limit(5).toList());
  }

  /** 3: buckets sharing one MFA device switch MFA Delete on; one code per step is the limit. */
  private void mfaFleet(MockKubernetes kubernetes, RecordingBucketStore store, S3Client s3) throws Exception {
    KubernetesClient client = kubernetes.client();
    List<String> names = IntStream.range(0, fleet).mapToObj(i -> String.format("bench-mfa-%02d", i)).toList();
    for (String name : names) {
      s3.createBucket(r -> r.bucket(name));
      s3.putBucketVersioning(r -> r.bucket(name).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    }
    client.resource(Resources.secret("bench-mfa", "root-mfa", Map.of("seed", SEED))).create();
    long refusedBefore = store.calls("PutBucketVersioning MFA_REJECTED");
    long start = System.nanoTime();
    // With the device free, the first code can go out at once (mid-step) and the last one at
    // the start of step first + n - 1: that is the exact lower bound for this start time.
    long startMillis = System.currentTimeMillis();
    long firstStep = Math.floorDiv(startMillis, MFA_STEP * 1000L);
    double exactMinimum = ((firstStep + names.size() - 1) * MFA_STEP * 1000L - startMillis) / 1000.0;
    for (String name : names) {
      client.resource(Resources.withMfaDelete(Resources.protection("bench-mfa", name, name, "Enabled"), "Enabled",
          "arn:aws:iam::123456789012:mfa/bench-fleet", "root-mfa", MFA_STEP)).create();
    }
    // Early buckets turn from Applied to InSync at their next check while later ones still wait.
    waitFor("bench-mfa", client, names.size(), bp -> "Applied".equals(Resources.readyReason(bp))
        || "InSync".equals(Resources.readyReason(bp)), Duration.ofMinutes(5));
    double wall = seconds(start);
    double minimum = (double) names.size() * MFA_STEP;
    long refused = store.calls("PutBucketVersioning MFA_REJECTED") - refusedBefore;
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("buckets", names.size());
    r.put("stepSeconds", MFA_STEP);
    r.put("secondsToAllApplied", round(wall));
    r.put("theoreticalMinimumSeconds", minimum);
    r.put("ratioToMinimum", round(wall / minimum));
    r.put("exactLowerBoundSeconds", round(exactMinimum));
    r.put("secondsOverTheExactLowerBound", round(wall - exactMinimum));
    r.put("codesRefused", refused);
    results.put("mfaFleetOneDevice", r);
    say("3. %d buckets on one MFA device (%d s steps): %.1f s, theoretical minimum %.0f s (x%.2f; exact lower"
        + " bound for this start %.1f s), codes refused %d", names.size(), MFA_STEP, wall, minimum, wall / minimum,
        exactMinimum, refused);
    check(refused == 0, "no code may be refused, got " + refused);
    for (String name : names) {
      check(s3.getBucketVersioning(r2 -> r2.bucket(name)).mfaDeleteAsString().equals("Enabled"),
          name + " must have MFA Delete on");
    }
  }

  /** 4: the operator in its own JVM with the Deployment's heap settings, after reconciling {@code count}. */
  private void memory(String key, int count, List<String> command, RgwLab rgw, int resources) throws Exception {
    try (MockKubernetes kubernetes = new MockKubernetes()) {
      KubernetesClient client = kubernetes.client();
      List<String> names = IntStream.range(0, resources).mapToObj(i -> String.format("bench-%05d", i)).toList();
      long createStart = System.nanoTime();
      parallel(names, name -> client.resource(Resources.protection("bench-mem", name, name, "Enabled")).create());
      say("4. %s: created %d resources in %.1f s; starting the operator JVM", key, resources, seconds(createStart));
      kubernetes.drainRequests();

      List<String> full = new ArrayList<>();
      full.add(command.get(0));
      full.addAll(OPERATOR_JVM_OPTIONS);
      full.addAll(command.subList(1, command.size()));
      ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true)
          .redirectOutput(logDir.resolve(key + ".log").toFile());
      Map<String, String> env = builder.environment();
      env.put("KUBERNETES_MASTER", kubernetes.url());
      env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
      env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
      env.put("BPO_WATCH_NAMESPACES", "bench-mem");
      env.put("BPO_DEFAULT_CHECK_INTERVAL", "10m");
      env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
      env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
      env.put("AWS_REGION", "us-east-1");
      if (rgw != null) {
        env.put("AWS_ENDPOINT_URL_S3", rgw.endpoint().toString());
      }
      Process process = builder.start();
      try {
        long start = System.nanoTime();
        waitFor("bench-mem", client, resources, bp -> Resources.readyReason(bp) != null
            && Resources.ready(bp).map(c -> "True".equals(c.getStatus())).orElse(false), Duration.ofMinutes(10));
        double ready = seconds(start);
        Thread.sleep(5000);
        kubernetes.drainRequests();
        long pid = process.pid();
        jcmd(pid, "GC.run");
        Thread.sleep(1000);
        String heapInfo = jcmd(pid, "GC.heap_info");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("resources", resources);
        r.put("s3", rgw == null ? "in-memory fake S3 (FakeS3OperatorMain)" : "Ceph RadosGW, the shaded jar's Main");
        r.put("jvmOptions", String.join(" ", OPERATOR_JVM_OPTIONS));
        r.put("secondsToAllReady", round(ready));
        r.put("heapUsedAfterFullGcMiB", round(sumUsed(heapInfo, "generation\\s+total \\d+K, used (\\d+)K") / 1024.0));
        r.put("metaspaceUsedMiB", round(sumUsed(heapInfo, "Metaspace\\s+used (\\d+)K") / 1024.0));
        r.put("rssMiB", round(procStatusKb(pid, "VmRSS") / 1024.0));
        r.put("peakRssMiB", round(procStatusKb(pid, "VmHWM") / 1024.0));
        results.put(key, r);
        say("4. %s: %s", key, r);
        check(process.isAlive(), key + ": the operator JVM died (see " + logDir.resolve(key + ".log") + ")");
      } finally {
        process.destroy();
        process.waitFor();
      }
    }
  }

  private void waitFor(String namespace, KubernetesClient client, int expected, Predicate<BucketProtection> ready,
      Duration timeout) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      List<BucketProtection> items = client.resources(BucketProtection.class).inNamespace(namespace).list().getItems();
      long done = items.stream().filter(ready).count();
      if (done >= expected) {
        return;
      }
      if (seconds(start) > timeout.toSeconds()) {
        failures.add(namespace + ": only " + done + " of " + expected + " ready within " + timeout.toSeconds() + " s");
        return;
      }
      Thread.sleep(500);
    }
  }

  /** Writes since the last drain, by kind: status patches, events, resource creations, other. */
  private static Map<String, Long> classifyWrites(MockKubernetes kubernetes) throws InterruptedException {
    Map<String, Long> kinds = new LinkedHashMap<>();
    for (String write : kubernetes.drainWrites()) {
      String kind = write.contains("/status") ? "statusPatches"
          : write.contains("/events") ? "eventsCreated"
          : write.startsWith("POST") && write.contains("/bucketprotections") ? "resourcesCreatedByTheBenchmark"
          : "other";
      kinds.merge(kind, 1L, Long::sum);
    }
    return kinds;
  }

  private static <T> void parallel(List<String> names, Function<String, T> task) throws Exception {
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

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static long sumUsed(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  private static long procStatusKb(long pid, String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
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

  private void check(boolean ok, String what) {
    if (!ok) {
      failures.add(what);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  private static void say(String format, Object... args) {
    System.out.printf("[bench %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(format, args));
  }
}

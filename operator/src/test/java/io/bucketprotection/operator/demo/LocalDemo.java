package io.bucketprotection.operator.demo;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.secrets.AwsSecretsManagerReader;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * The main job on one machine: the operator reconciling {@code examples/} against a local Ceph
 * RadosGW (with an MFA device made from the example Secret's seed) and an in-process Kubernetes
 * API (the fabric8 CRUD mock), printing status as it converges and then showing drift put back.
 * Started by {@code hack/demo.sh}; {@code --exit-when-done} makes it stop at the end.
 */
public final class LocalDemo {

  static final String NAMESPACE = "demo";
  /** Where the examples keep the ClusterS3Accounts' Secrets: the namespace deploy/ installs into. */
  static final String CLUSTER_RESOURCE_NAMESPACE = "bucket-protection-system";
  static final String RGW_UID = "demo-root";
  /** The endpoint the examples name; the demo points it at its own RGW. */
  static final String EXAMPLE_ENDPOINT = "http://127.0.0.1:7480";
  /** Always with seconds: LocalTime.toString() leaves them out when they are 0 ("11:34"). */
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  /** The demo's log shows only warnings and errors (the tests keep logback-test.xml). */
  static final String LOG_CONFIGURATION = "logback-demo.xml";

  /** Command-line options. */
  record Options(Path examples, Path labDir, int rgwPort, int monPort, int osdPortMin, boolean exitWhenDone,
      Duration timeout, String operatorImage, List<String> podman) {

    /** The operator in-process, as hack/demo.sh runs it. */
    Options(Path examples, Path labDir, int rgwPort, int monPort, int osdPortMin, boolean exitWhenDone,
        Duration timeout) {
      this(examples, labDir, rgwPort, monPort, osdPortMin, exitWhenDone, timeout, null, List.of());
    }

    static Options parse(String[] args) {
      Map<String, String> values = new LinkedHashMap<>();
      boolean exit = false;
      for (int i = 0; i < args.length; i++) {
        if ("--exit-when-done".equals(args[i])) {
          exit = true;
        } else if (args[i].startsWith("--") && i + 1 < args.length) {
          values.put(args[i].substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("unknown argument " + args[i] + "\n" + USAGE);
        }
      }
      return new Options(Path.of(values.getOrDefault("examples", "../examples")),
          Path.of(values.getOrDefault("lab-dir", "target/demo-lab")).toAbsolutePath(),
          Integer.parseInt(values.getOrDefault("rgw-port", "7480")),
          Integer.parseInt(values.getOrDefault("mon-port", "3300")),
          Integer.parseInt(values.getOrDefault("osd-port-min", "6800")),
          exit, Duration.ofSeconds(Long.parseLong(values.getOrDefault("timeout-seconds", "240"))),
          values.get("operator-image"), List.of(values.getOrDefault("podman", "hack/podman.sh").split(" ")));
    }
  }

  static final String USAGE = "usage: LocalDemo [--examples DIR] [--lab-dir DIR] [--rgw-port P] [--mon-port M]"
      + " [--osd-port-min N] [--timeout-seconds S] [--exit-when-done]"
      + " [--operator-image IMAGE-OR-TAR [--podman COMMAND]]";

  private final Options options;
  private final PrintStream out;
  /** Why the operator can no longer converge anything (its container exited), or null while it runs. */
  private java.util.function.Supplier<String> operatorGone = () -> null;
  private String lastTable = "";

  LocalDemo(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) {
    // Before the first logger exists. A -Dlogback.configurationFile given to Maven still wins.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOG_CONFIGURATION);
    }
    // The operator's audit lines go to System.out as it is at each write: show them readable.
    PrintStream console = new PrintStream(new ReadableAuditLines(System.out, ZoneId.systemDefault()), true,
        StandardCharsets.UTF_8);
    System.setOut(console);
    int code;
    try {
      code = new LocalDemo(Options.parse(args), console).run();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      code = 2;
    }
    System.exit(code);
  }

  /** @return 0 when every example converged and drift was put back, 1 otherwise */
  int run() {
    say("Starting Ceph RadosGW (hack/rgw-lab.sh) in " + options.labDir());
    try (RgwLab rgw = RgwLab.start(options.labDir(), options.rgwPort(), options.monPort(), options.osdPortMin());
         MockKubernetes kubernetes = new MockKubernetes();
         AwsBucketStore store = new AwsBucketStore("us-east-1", java.util.Set.of(), FailureVerdicts::isTransient);
         AwsSecretsManagerReader secretsManager = new AwsSecretsManagerReader("us-east-1", null)) {
      Runtime.getRuntime().addShutdownHook(new Thread(rgw::close, "demo-lab-stop")); // Ctrl-C
      say("RadosGW answers at " + rgw.endpoint() + "; Kubernetes API (fabric8 CRUD mock) at " + kubernetes.url());
      List<HasMetadata> objects = loadExamples(rgw.endpoint().toString());
      List<Secret> secrets = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast).toList();
      List<BucketProtection> protections = objects.stream().filter(BucketProtection.class::isInstance)
          .map(BucketProtection.class::cast).toList();
      List<ClusterS3Account> accounts = objects.stream().filter(ClusterS3Account.class::isInstance)
          .map(ClusterS3Account.class::cast).toList();
      prepareRgw(rgw, secrets, protections, accounts);

      KubernetesClient client = kubernetes.client();
      kubernetes.ensureNamespace(NAMESPACE);
      kubernetes.ensureNamespace(CLUSTER_RESOURCE_NAMESPACE);
      secrets.forEach(s -> client.resource(s).create());
      accounts.forEach(a -> client.resource(a).create());
      protections.forEach(p -> client.resource(p).create());
      say("Applied " + secrets.size() + " Secrets, " + accounts.size() + " ClusterS3Accounts and " + protections.size()
          + " BucketProtections from " + options.examples() + " (namespace " + NAMESPACE + ")");

      // The admin's settings for this cluster: RGW is the default endpoint (the S3-compatible
      // example's ClusterS3Account names it too), and the ClusterS3Accounts' Secrets live where a
      // real install keeps them.
      Map<String, String> settings = Map.of(
          "AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(), "BPO_DEFAULT_CHECK_INTERVAL", "10s",
          "BPO_CLUSTER_RESOURCE_NAMESPACE", CLUSTER_RESOURCE_NAMESPACE);
      try (AutoCloseable operator = startOperator(settings, kubernetes, store, secretsManager)) {
        say("Operator started; waiting for every BucketProtection to settle (MFA changes wait for a fresh"
            + " 30-second TOTP step). Each write to S3 shows as an [audit] line.");
        if (!waitUntil(() -> allSettled(client), options.timeout())) {
          say("FAILED: not every BucketProtection settled within " + options.timeout().toSeconds() + " s");
          return 1;
        }
        say("Every BucketProtection settled.");
        if (!demonstrateDrift(rgw, client, secrets)) {
          return 1;
        }
        if (options.exitWhenDone()) {
          say("Done (--exit-when-done).");
          return 0;
        }
        say("The operator keeps running: change the buckets at " + rgw.endpoint() + " (user " + RGW_UID
            + ", keys from the example Secrets) and watch it react. Ctrl-C stops it.");
        while (true) {
          printTable(client);
          Thread.sleep(2000);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (Exception e) {
      say("FAILED: " + e.getMessage());
      return 1;
    }
  }

  /**
   * The operator with the admin's settings for this cluster, in-process or (--operator-image) as a
   * container of the image; either stops on close.
   */
  private AutoCloseable startOperator(Map<String, String> settings, MockKubernetes kubernetes, AwsBucketStore store,
      AwsSecretsManagerReader secretsManager) throws IOException, InterruptedException {
    if (options.operatorImage() == null) {
      Operator operator = BucketProtectionOperator.create(OperatorConfig.fromEnvironment(settings), kubernetes.client(),
          store, secretsManager, new OperatorMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
      operator.start();
      return operator::stop;
    }
    String image = ContainerOperator.imageName(options.podman(), options.operatorImage());
    Map<String, String> containerSettings = new LinkedHashMap<>(settings);
    // The mock API server (plain HTTP on the host network); nothing else to find a cluster in.
    containerSettings.put("KUBERNETES_MASTER", kubernetes.url());
    containerSettings.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    containerSettings.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    containerSettings.put("AWS_REGION", "us-east-1");
    // No probe and metrics ports: on the host network they could clash with another run's.
    containerSettings.put("BPO_HTTP_PORT", "0");
    containerSettings.put("LOG_LEVEL", "WARN");
    ContainerOperator container = ContainerOperator.start(options.podman(), image, containerSettings, Map.of(
        "AWS_ACCESS_KEY_ID", OBSERVER_KEY, "AWS_SECRET_ACCESS_KEY", OBSERVER_SECRET));
    say("Operator started from the image " + image + " (podman, read-only root filesystem, uid 65532)");
    operatorGone = () -> container.isRunning() ? null : "the operator's container exited with " + container.exitCode();
    return container;
  }

  /** Reads the example manifests as a user would apply them, with the API server's stringData handling. */
  List<HasMetadata> loadExamples(String endpoint) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(options.examples())) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException("no *.yaml in " + options.examples());
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file).replace(EXAMPLE_ENDPOINT, endpoint);
      try (var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build()) {
        for (HasMetadata item : client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items()) {
          objects.add(typed(item));
        }
      }
    }
    return objects;
  }

  private static HasMetadata typed(HasMetadata item) {
    HasMetadata typed = item;
    if (item instanceof GenericKubernetesResource && "BucketProtection".equals(item.getKind())) {
      typed = Serialization.unmarshal(Serialization.asJson(item), BucketProtection.class);
    }
    if (item instanceof GenericKubernetesResource && "ClusterS3Account".equals(item.getKind())) {
      return Serialization.unmarshal(Serialization.asJson(item), ClusterS3Account.class);
    }
    if (typed.getMetadata().getNamespace() == null) {
      typed.getMetadata().setNamespace(NAMESPACE); // as `kubectl apply -n demo` would
    }
    if (typed instanceof Secret secret && secret.getStringData() != null) {
      // A real API server folds stringData into data; the mock does not.
      Map<String, String> data = new LinkedHashMap<>(Objects.requireNonNullElse(secret.getData(), Map.of()));
      secret.getStringData().forEach((k, v) ->
          data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
      secret.setData(data);
      secret.setStringData(null);
    }
    return typed;
  }

  /** One RGW user holding every example key pair, the MFA devices the examples name, and their buckets. */
  /** The demo's throw-away observer keys (a subuser of the demo user), never real credentials. */
  private static final String OBSERVER_KEY = "DEMOOBSERVERACCESS01";
  private static final String OBSERVER_SECRET = "demo-observer-secret-key-0123456789";

  private void prepareRgw(RgwLab rgw, List<Secret> secrets, List<BucketProtection> protections,
      List<ClusterS3Account> accounts) {
    Map<String, String[]> keysBySecret = new LinkedHashMap<>();
    for (Secret secret : secrets) {
      Optional<String> access = value(secret, "AWS_ACCESS_KEY_ID");
      Optional<String> key = value(secret, "AWS_SECRET_ACCESS_KEY");
      if (access.isPresent() && key.isPresent()) {
        keysBySecret.put(secret.getMetadata().getName(), new String[] {access.get(), key.get()});
        rgw.createUser(RGW_UID, access.get(), key.get(), 1000);
      }
    }
    if (keysBySecret.isEmpty()) {
      throw new IllegalStateException("no example Secret holds AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    String[] defaultKeys = keysBySecret.getOrDefault("aws-root", keysBySecret.values().iterator().next());
    say("RadosGW user " + RGW_UID + " holds the example keys (" + keysBySecret.keySet() + ")");
    // The operator's own identity, which the default ClusterS3Account names as its observer: an
    // ordinary identity, not root. On RadosGW that is a subuser of the bucket owner ("full":
    // RadosGW refuses a readwrite subuser the lifecycle read).
    rgw.createSubuser(RGW_UID, "observer", "full", OBSERVER_KEY, OBSERVER_SECRET);
    System.setProperty("aws.accessKeyId", OBSERVER_KEY);
    System.setProperty("aws.secretAccessKey", OBSERVER_SECRET);
    say("RadosGW subuser " + RGW_UID + ":observer is the operator's own identity (the default account's observer)");

    List<io.bucketprotection.operator.api.MfaSpec> devices = new ArrayList<>();
    protections.stream().map(bp -> bp.getSpec().getMfa()).filter(Objects::nonNull).forEach(devices::add);
    accounts.stream().map(a -> a.getSpec().getMfa()).filter(Objects::nonNull).forEach(devices::add);
    for (var mfa : devices) {
      if (mfa.getTotpSeed() != null && mfa.getTotpSeed().getSecretKeyRef() != null) {
        var ref = mfa.getTotpSeed().getSecretKeyRef();
        String seed = secrets.stream().filter(s -> s.getMetadata().getName().equals(ref.getName())).findFirst()
            .flatMap(s -> value(s, ref.getKey()))
            .orElseThrow(() -> new IllegalStateException("example Secret " + ref.getName() + " has no " + ref.getKey()));
        int period = mfa.getPeriodSeconds() == null ? 30 : mfa.getPeriodSeconds();
        rgw.createMfaDevice(RGW_UID, mfa.getSerialNumber(), seed, period);
        say("RadosGW MFA device " + mfa.getSerialNumber() + " made from Secret " + ref.getName()
            + " (" + period + " s steps)");
      }
    }
    for (BucketProtection bp : protections) {
      var spec = bp.getSpec();
      String[] keys = spec.getCredentials() == null ? defaultKeys
          : keysBySecret.getOrDefault(spec.getCredentials().getSecretRef().getName(), defaultKeys);
      try (S3Client s3 = rgw.client(keys[0], keys[1])) {
        s3.createBucket(r -> r.bucket(spec.getBucket()));
      }
      say("Created bucket " + spec.getBucket() + " (unversioned)");
    }
  }

  private boolean demonstrateDrift(RgwLab rgw, KubernetesClient client, List<Secret> secrets) throws InterruptedException {
    Optional<BucketProtection> target = client.resources(BucketProtection.class).inNamespace(NAMESPACE).list()
        .getItems().stream()
        .filter(bp -> !"Observe".equals(bp.getSpec().getMode()) && bp.getSpec().getMfaDelete() == null
            && bp.getSpec().getCheckInterval() == null)
        .findFirst();
    if (target.isEmpty()) {
      say("No example suits the drift demonstration (Enforce mode, no MFA Delete, default check interval).");
      return true;
    }
    BucketProtection bp = target.get();
    String bucket = bp.getSpec().getBucket();
    Secret root = secrets.stream().filter(s -> s.getMetadata().getName().equals("aws-root")).findFirst().orElseThrow();
    try (S3Client s3 = rgw.client(value(root, "AWS_ACCESS_KEY_ID").orElseThrow(),
        value(root, "AWS_SECRET_ACCESS_KEY").orElseThrow())) {
      say("Drift: suspending versioning on " + bucket + " directly in S3, behind the operator's back");
      s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(c -> c.status(BucketVersioningStatus.SUSPENDED)));
      boolean putBack = waitUntil(() -> {
        BucketProtection now = client.resources(BucketProtection.class).inNamespace(NAMESPACE)
            .withName(bp.getMetadata().getName()).get();
        return now.getStatus().getDriftCorrections() >= 1
            && s3.getBucketVersioning(r -> r.bucket(bucket)).status() == BucketVersioningStatus.ENABLED;
      }, Duration.ofSeconds(60));
      if (!putBack) {
        say("FAILED: the drift on " + bucket + " was not put back within 60 s");
        return false;
      }
    }
    client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> bp.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .forEach(e -> say("  event " + e.getType() + " " + e.getReason() + ": " + e.getMessage()));
    say("Drift on " + bucket + " was detected and put back (status.driftCorrections = 1).");
    return true;
  }

  private boolean allSettled(KubernetesClient client) {
    List<BucketProtection> all = client.resources(BucketProtection.class).inNamespace(NAMESPACE).list().getItems();
    printTable(client);
    return !all.isEmpty() && all.stream().allMatch(bp -> {
      String reason = Resources.readyReason(bp);
      boolean observe = "Observe".equals(bp.getSpec().getMode());
      return observe ? reason != null && !"WaitingForMfaWindow".equals(reason)
          : "InSync".equals(reason) || "Applied".equals(reason);
    });
  }

  private void printTable(KubernetesClient client) {
    StringBuilder table = new StringBuilder(String.format("  %-16s %-20s %-11s %-10s %-7s %-20s %s%n",
        "NAME", "BUCKET", "VERSIONING", "MFA-DELETE", "READY", "REASON", "MESSAGE"));
    for (BucketProtection bp : client.resources(BucketProtection.class).inNamespace(NAMESPACE).list().getItems()) {
      Optional<Condition> ready = Resources.ready(bp);
      table.append(String.format("  %-16s %-20s %-11s %-10s %-7s %-20s %s%n", bp.getMetadata().getName(),
          bp.getSpec().getBucket(),
          bp.getStatus() == null ? "" : Objects.toString(bp.getStatus().getVersioning(), ""),
          bp.getStatus() == null ? "" : Objects.toString(bp.getStatus().getMfaDelete(), ""),
          ready.map(Condition::getStatus).orElse(""), ready.map(Condition::getReason).orElse(""),
          ready.map(Condition::getMessage).orElse("")));
    }
    String text = table.toString();
    if (!text.equals(lastTable)) {
      lastTable = text;
      say("status:");
      out.print(text);
      out.flush();
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private boolean waitUntil(Check check, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String gone = operatorGone.get();
      if (gone != null) {
        say("FAILED: " + gone);
        return false;
      }
      try {
        if (check.ok()) {
          return true;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // not there yet
      }
      Thread.sleep(500);
    }
    return false;
  }

  private static Optional<String> value(Secret secret, String key) {
    return Optional.ofNullable(secret.getData()).map(d -> d.get(key))
        .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).trim());
  }

  /** "[demo 11:34:00] ": what starts each of the demo's own lines. */
  static String prefix(LocalTime time) {
    return "[demo " + TIME.format(time) + "] ";
  }

  private void say(String line) {
    out.println(prefix(LocalTime.now()) + line);
    out.flush();
  }
}

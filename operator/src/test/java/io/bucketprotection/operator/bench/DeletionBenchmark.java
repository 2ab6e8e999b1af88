package io.bucketprotection.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.ObjectVersionDeletion;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec;
import io.bucketprotection.operator.api.ObjectVersionDeletionSpec.ManifestReference;
import io.bucketprotection.operator.api.ObjectVersionDeletionStatus;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.deletion.Approval;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.s3.VersionStore;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.MfaWireSteps;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.MFADelete;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;

/**
 * 9, deletion: an ObjectVersionDeletion of a manifest of L versions among V in a bucket with MFA
 * Delete on (defaults 10,000 of 20,000), against RadosGW through the counting proxy, with an
 * in-process operator on {@link AwsBucketStore} (the operator's own S3 clients, so the SDK's
 * checksum mode is the operator's). Everything asserted is counted at the wire or read back from
 * RadosGW, never taken from the operator's own figures: the DeleteObjects requests and their codes
 * (the proxy's MFA tap, each code's step from the device's seed), who signed every request, the
 * versions left (ListObjectVersions, directly), and the audit lines the operator printed.
 *
 * <p>Set-up (not measured): its own RGW user (root keys; an observer subuser with RGW's "read"
 * permission, which may read but not delete; an MFA device of 5 s steps), one bucket with versioning
 * and MFA Delete switched on with the SDK and a code, V/2 keys of two versions each (keys with a
 * space and a slash, so the manifest's URL-encoding matters), and a manifest listing the older
 * version of the first L keys at bucketprotection-manifests/ in the same bucket. Then an S3Account
 * with versionDeletion: Allow, the device's seed, the root keys and the observer; the request; its
 * manifest pinned (AwaitingApproval). The wave: the approval annotation, put on the account 100 ms
 * into a step, to Ready reason Completed.
 */
final class DeletionBenchmark {

  /** Records one check, as {@code Benchmark.check}: the rule, whether it held, what was measured. */
  @FunctionalInterface
  interface Checks {
    void check(String rule, boolean ok, Object measured);
  }

  static final String NAME = "versionDeletion";
  private static final String UID = "bench-del";
  /** Lab-only keys of the scenario's own RGW user (20 characters, as AWS's). */
  private static final String ROOT_KEY = "BENCHDELROOTKEY00001";
  private static final String ROOT_SECRET = "bench-del-root-secret-0123456789abcdefgh";
  private static final String OBSERVER_KEY = "BENCHDELOBSERVER0001";
  private static final String OBSERVER_SECRET = "bench-del-observer-secret-0123456789ab";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/bench-deleter";
  private static final String SEED = "MZXW6YTBOI3DINBVGY3TQOJQMZXW6YTB";
  private static final int STEP = 5;
  private static final long STEP_MILLIS = STEP * 1000L;
  private static final String NS = "bench-del";
  private static final String BUCKET = "bench-del-erase";
  private static final String ACCOUNT = "eraser";
  private static final String REQUEST = "erase-older-versions";
  private static final String MANIFEST_KEY = "bucketprotection-manifests/bench-erase.csv";
  private static final String AUDIT_ACTION = "\"action\":\"DeleteObjectVersion\"";
  private static final long SETTLE_MILLIS = 3_000;
  /** RadosGW marks the steps up to its window after a code's as used: the set-up code keeps this many clear. */
  private static final int STEPS_AFTER_THE_SET_UP_CODE = 4;

  private final RgwLab rgw;
  private final S3CountingProxy proxy;
  private final int versions;
  private final int listed;
  private final Path logDir;
  private final Checks checks;

  DeletionBenchmark(RgwLab rgw, S3CountingProxy proxy, int versions, int listed, Path logDir, Checks checks) {
    this.rgw = rgw;
    this.proxy = proxy;
    this.versions = versions;
    this.listed = listed;
    this.logDir = logDir;
    this.checks = checks;
  }

  private void check(String rule, boolean ok, Object measured) {
    checks.check(NAME + ": " + rule, ok, measured);
  }

  /** Runs the scenario, putting its figures into {@code r} as they are measured. */
  void run(Map<String, Object> r) throws Exception {
    if (versions % 2 != 0 || listed < 1 || listed > versions / 2) {
      throw new IllegalArgumentException("--deletion-versions must be even and --deletion-listed between 1 and half"
          + " of it; got " + versions + " and " + listed);
    }
    int keys = versions / 2;
    int batches = (listed + VersionStore.MAX_BATCH - 1) / VersionStore.MAX_BATCH;
    r.put("versionsInTheBucket", versions);
    r.put("keys", keys);
    r.put("versionsListed", listed);
    r.put("batchesExpected", batches);
    r.put("stepSeconds", STEP);
    long setUpStart = System.nanoTime();
    rgw.createUser(UID, ROOT_KEY, ROOT_SECRET, 10);
    rgw.createSubuser(UID, "observer", "read", OBSERVER_KEY, OBSERVER_SECRET);
    rgw.createMfaDevice(UID, SERIAL, SEED, STEP);
    try (S3Client root = rgw.client(ROOT_KEY, ROOT_SECRET)) {
      root.createBucket(b -> b.bucket(BUCKET));
      long setUpStep = mfaDeleteOn(root);
      long putStart = System.nanoTime();
      List<ObjectVersion[]> byKey = putVersions(root, keys);
      double putSeconds = Benchmark.seconds(putStart);
      List<ObjectVersion> toDelete = new ArrayList<>();
      List<ObjectVersion> toKeep = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        (i < listed ? toDelete : toKeep).add(byKey.get(i)[0]);
        toKeep.add(byKey.get(i)[1]);
      }
      byte[] manifest = manifest(toDelete);
      root.putObject(b -> b.bucket(BUCKET).key(MANIFEST_KEY), RequestBody.fromBytes(manifest));
      r.put("manifestBytes", manifest.length);
      r.put("secondsToPutTheVersions", Benchmark.round(putSeconds));
      Benchmark.say("9. %s: %d versions of %d keys in bucket %s with MFA Delete on (put in %.1f s with 16 threads),"
          + " a manifest of %d of them (%d bytes); set-up %.1f s, not measured", NAME, versions, keys, BUCKET,
          putSeconds, listed, manifest.length, Benchmark.seconds(setUpStart));
      withOperator(r, root, setUpStep, batches, Set.copyOf(toDelete), Set.copyOf(toKeep));
    }
  }

  /** Versioning and MFA Delete on, with the SDK and a code of the current step (directly, not through the proxy). */
  private static long mfaDeleteOn(S3Client root) throws Exception {
    long step = Math.floorDiv(System.currentTimeMillis(), STEP_MILLIS);
    String code = new TotpCodeGenerator().code(TotpSeed.parse(SEED), step);
    root.putBucketVersioning(b -> b.bucket(BUCKET).mfa(SERIAL + " " + code).versioningConfiguration(c -> c
        .status(BucketVersioningStatus.ENABLED).mfaDelete(MFADelete.ENABLED)));
    MFADeleteStatus on = root.getBucketVersioning(b -> b.bucket(BUCKET)).mfaDelete();
    if (on != MFADeleteStatus.ENABLED) {
      throw new IllegalStateException("MFA Delete did not switch on for " + BUCKET + ": " + on);
    }
    return step;
  }

  /** Two versions of each key, 16 keys at a time; [older, newer] per key, in key order. */
  private static List<ObjectVersion[]> putVersions(S3Client root, int keys) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<ObjectVersion[]>> futures = new ArrayList<>(keys);
      for (int i = 0; i < keys; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          String key = String.format("erase/customer %05d.json", n);
          ObjectVersion[] two = new ObjectVersion[2];
          for (int v = 0; v < 2; v++) {
            String body = "{\"customer\":" + n + ",\"version\":" + (v + 1) + "}";
            two[v] = new ObjectVersion(key, root.putObject(b -> b.bucket(BUCKET).key(key),
                RequestBody.fromString(body)).versionId());
          }
          return two;
        }));
      }
      List<ObjectVersion[]> all = new ArrayList<>(keys);
      for (Future<ObjectVersion[]> f : futures) {
        all.add(f.get());
      }
      return all;
    } finally {
      pool.shutdown();
    }
  }

  /** The S3 Batch Operations CSV: bucket,key,versionId, keys URL-encoded. */
  private static byte[] manifest(List<ObjectVersion> listed) {
    StringBuilder csv = new StringBuilder();
    for (ObjectVersion v : listed) {
      csv.append(BUCKET).append(',').append(URLEncoder.encode(v.key(), StandardCharsets.UTF_8)).append(',')
          .append(v.versionId()).append('\n');
    }
    return csv.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void withOperator(Map<String, Object> r, S3Client root, long setUpStep, int batches,
      Set<ObjectVersion> toDelete, Set<ObjectVersion> toKeep) throws Exception {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of(
        "AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(), "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
    // The operator prints an audit line per deleted version on System.out as it is at each write:
    // those are kept here (and saved), everything else goes on to the console.
    PrintStream console = System.out;
    AuditCapture audit = new AuditCapture(console);
    MfaWireSteps wire = new MfaWireSteps(Map.of(SERIAL, SEED), STEP);
    List<Instant> codesArrived = Collections.synchronizedList(new ArrayList<>());
    System.setOut(audit);
    try (MockKubernetes kubernetes = new MockKubernetes();
         KubernetesClient bench = kubernetes.newClient(KubernetesRequestLog.BENCHMARK_AGENT);
         AwsBucketStore aws = BucketProtectionOperator.awsBucketStore(config)) {
      KubernetesRequestLog log = KubernetesRequestLog.start(kubernetes);
      // Only this scenario's root keys sign its codes: the tap keeps theirs (a tap never prints one).
      proxy.tapMfa((accessKeyId, value, at, kind) -> {
        if (ROOT_KEY.equals(accessKeyId)) {
          wire.record(value, at);
          codesArrived.add(at);
        }
      });
      try {
        setUpAccount(bench);
        S3CountingProxy.Counts fromStart = proxy.snapshot();
        long operatorStart = System.currentTimeMillis();
        try (OperatorHarness operator = new OperatorHarness(kubernetes.client(), aws, config);
             DeletionWatch watch = new DeletionWatch(bench)) {
          awaitAccountReady(bench);
          ObjectVersionDeletion created = bench.resource(request()).create();
          wave(r, root, bench, log, watch, created, fromStart, Math.max(setUpStep + STEPS_AFTER_THE_SET_UP_CODE,
              Math.floorDiv(operatorStart, STEP_MILLIS) + 2), batches, toDelete, toKeep, wire, codesArrived,
              audit);
        }
      } finally {
        proxy.tapMfa(null);
        log.close();
      }
    } finally {
      System.setOut(console);
    }
  }

  /** The namespace, the Secrets and the S3Account (versionDeletion: Allow, the device, root keys, observer). */
  private static void setUpAccount(KubernetesClient bench) {
    bench.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
        .withName(NS).endMetadata().build()).create();
    bench.resource(Resources.rootKeys(NS, "root-keys", Map.of("AWS_ACCESS_KEY_ID", ROOT_KEY,
        "AWS_SECRET_ACCESS_KEY", ROOT_SECRET))).create();
    bench.resource(Resources.secret(NS, "observer-keys", Map.of("AWS_ACCESS_KEY_ID", OBSERVER_KEY,
        "AWS_SECRET_ACCESS_KEY", OBSERVER_SECRET))).create();
    bench.resource(Resources.secret(NS, "mfa-seed", Map.of("seed", SEED))).create();
    S3Account account = Accounts.namespaced(NS, ACCOUNT, List.of("bench-del-*"), "root-keys");
    account.getSpec().setObserver(Accounts.observerSecret("observer-keys"));
    account.getSpec().setMfa(Accounts.mfa(SERIAL, "mfa-seed", STEP));
    account.getSpec().setVersionDeletion("Allow");
    bench.resource(account).create();
  }

  private void awaitAccountReady(KubernetesClient bench) throws InterruptedException {
    var account = bench.resources(S3Account.class).inNamespace(NS).withName(ACCOUNT);
    Instant by = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(by) && !Tenancy.ready(account.get())) {
      Thread.sleep(100);
    }
    S3Account now = account.get();
    check("the S3Account is Ready", Tenancy.ready(now), now.getStatus() == null ? "no status"
        : now.getStatus().getConditions().stream().map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason())
            .toList());
  }

  private static ObjectVersionDeletion request() {
    ObjectVersionDeletionSpec spec = new ObjectVersionDeletionSpec();
    spec.setAccountRef(new AccountReference("S3Account", ACCOUNT));
    spec.setBucket(BUCKET);
    spec.setManifest(new ManifestReference(BUCKET, MANIFEST_KEY));
    spec.setReason("benchmark: erase the older version of each listed customer (BENCH-DELETION)");
    ObjectVersionDeletion request = new ObjectVersionDeletion();
    request.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName(REQUEST).build());
    request.setSpec(spec);
    return request;
  }

  private void wave(Map<String, Object> r, S3Client root, KubernetesClient bench, KubernetesRequestLog log,
      DeletionWatch watch, ObjectVersionDeletion created, S3CountingProxy.Counts fromStart, long firstApprovalStep,
      int batches, Set<ObjectVersion> toDelete, Set<ObjectVersion> toKeep, MfaWireSteps wire,
      List<Instant> codesArrived, AuditCapture audit) throws Exception {
    // a) pinned, and nothing sent before the approval
    long pinStart = System.nanoTime();
    boolean waiting = watch.await("AwaitingApproval", Duration.ofMinutes(2)) > 0;
    r.put("secondsFromCreationToAwaitingApproval", Benchmark.round(Benchmark.seconds(pinStart)));
    ObjectVersionDeletionStatus pinned = watch.latestStatus();
    Long lines = pinned == null || pinned.getManifest() == null ? null : pinned.getManifest().getLines();
    r.put("pinnedManifestLines", lines);
    check("the request reaches AwaitingApproval with its manifest pinned: status.manifest.lines = " + listed,
        waiting && Long.valueOf(listed).equals(lines) && Long.valueOf(listed).equals(pinned.getListed()),
        "reason " + watch.reason() + ", manifest.lines " + lines);
    S3CountingProxy.Counts before = quiet();
    S3CountingProxy.Counts beforeApproval = before.minus(fromStart);
    r.put("s3BeforeTheApproval", beforeApproval.report());
    r.put("s3BeforeTheApprovalByKey", beforeApproval.byKey());
    long deletesBefore = beforeApproval.requests(S3CountingProxy.DELETE_OBJECTS_MFA)
        + beforeApproval.requests(S3CountingProxy.DELETE_OBJECTS);
    check("no DeleteObjects and no code before the approval", deletesBefore == 0 && wire.codesSent() == 0,
        deletesBefore + " DeleteObjects, " + wire.codesSent() + " codes");

    // b) the wave: from the approval to Completed
    while (Math.floorDiv(System.currentTimeMillis(), STEP_MILLIS) < firstApprovalStep) {
      Thread.sleep(200);
    }
    startOfAStep();
    Map<String, Long> checksums0 = proxy.checksumHeaders();
    int mark = log.mark();
    before = proxy.snapshot();
    long approvedAt = System.currentTimeMillis();
    long start = System.nanoTime();
    watch.startClock(start);
    bench.resources(S3Account.class).inNamespace(NS).withName(ACCOUNT).patch(PatchContext.of(PatchType.JSON_MERGE),
        Serialization.asJson(Map.of("metadata", Map.of("annotations", Map.of(Approval.key(created),
            Approval.value(created))))));
    Duration timeout = Duration.ofSeconds(batches * STEP * 3L + 120);
    long done = watch.await("Completed", timeout);
    double wall = ((done > 0 ? done : System.nanoTime()) - start) / 1e9;
    Thread.sleep(SETTLE_MILLIS);
    S3CountingProxy.Counts http = proxy.snapshot().minus(before);
    Map<String, Long> checksums = delta(proxy.checksumHeaders(), checksums0);
    List<KubernetesRequestLog.Request> k8s = log.since(mark);
    ObjectVersionDeletionStatus status = bench.resources(ObjectVersionDeletion.class).inNamespace(NS)
        .withName(REQUEST).get().getStatus();
    long approvalStep = Math.floorDiv(approvedAt, STEP_MILLIS);

    r.put("approvedMillisIntoItsStep", approvedAt - approvalStep * STEP_MILLIS);
    r.put("secondsFromApprovalToCompleted", Benchmark.round(wall));
    r.put("stepsFromApprovalToCompleted", Benchmark.round(wall / STEP));
    r.put("secondsOver" + batches + "Steps", Benchmark.round(wall - batches * STEP));
    r.put("limitSeconds", (batches + 1) * STEP);
    r.put("readyReasonsSecondsAfterApproval", watch.reasonsSeen());
    r.put("batchesDoneSecondsAfterApproval", watch.batchesSeen());
    List<Long> steps = wire.stepsBySerial().getOrDefault(SERIAL, List.of());
    List<Long> fromApproval = steps.stream().map(s -> s - approvalStep).toList();
    List<Double> arrivals;
    synchronized (codesArrived) {
      arrivals = codesArrived.stream().map(at -> Benchmark.round((at.toEpochMilli() - approvedAt) / 1000.0)).toList();
    }
    r.put("codesAtTheWire", wire.codesSent());
    r.put("codeStepsFromTheApprovalsStep", fromApproval);
    r.put("codesArrivedSecondsAfterApproval", arrivals);
    r.put("codesMatchingNoStep", wire.unmatched());
    long coded = http.requests(S3CountingProxy.DELETE_OBJECTS_MFA);
    long uncoded = http.requests(S3CountingProxy.DELETE_OBJECTS);
    long codedOk = http.responses(S3CountingProxy.DELETE_OBJECTS_MFA, "2xx");
    r.put("deleteObjectsWithMfa", coded);
    r.put("deleteObjectsWithoutMfa", uncoded);
    r.put("deleteObjectsAnswered2xx", codedOk);
    Map<String, Long> rootSigned = http.requestsSignedBy(ROOT_KEY);
    Map<String, Long> observerSigned = http.requestsSignedBy(OBSERVER_KEY);
    r.put("rootSignedRequests", rootSigned);
    r.put("observerSignedRequests", observerSigned);
    r.put("headObject", http.requests("other HEAD"));
    r.put("getObject", http.requests(S3CountingProxy.GET_OBJECT));
    r.put("getBucketVersioning", http.requests(S3CountingProxy.GET_VERSIONING));
    r.put("checksumHeadersOfTheWave", checksums);
    r.put("s3", http.report());
    r.put("s3ByKey", http.byKey());
    Map<String, Long> writes = kubernetesWrites(k8s);
    r.put("kubernetesOperatorRequests", writes);
    r.put("kubernetesOperatorReadsByPath", readsByPath(k8s));
    r.put("kubernetesByTheBenchmark", KubernetesRequestLog.benchmarkCounts(k8s));
    r.put("statusDeleted", status == null ? null : status.getDeleted());
    r.put("statusBatchesDone", status == null ? null : status.getBatchesDone());
    r.put("statusFailed", status == null ? null : status.getFailed());
    r.put("statusDeleteMarkersRemoved", status == null ? null : status.getDeleteMarkersRemoved());
    Benchmark.say("9. %s: %d versions deleted from approval to Completed in %.2f s = %.2f steps of %d s (%+.2f s"
        + " against %d steps); DeleteObjects %d with a code, %d without; codes in steps %s after the approval's;"
        + " HeadObject %d, GetObject %d, GetBucketVersioning %d; Kubernetes %s", NAME, listed, wall, wall / STEP,
        STEP, wall - batches * STEP, batches, coded, uncoded, fromApproval, http.requests("other HEAD"),
        http.requests(S3CountingProxy.GET_OBJECT), http.requests(S3CountingProxy.GET_VERSIONING), writes);

    String what = batches + " DeleteObjects";
    check("Ready reason Completed within " + timeout.toSeconds() + " s of the approval", done > 0,
        "reason " + watch.reason() + " after " + Benchmark.round(wall) + " s");
    check("exactly " + batches + " DeleteObjects with x-amz-mfa at the wire and none without", coded == batches
        && uncoded == 0, coded + " with, " + uncoded + " without");
    check("every DeleteObjects answered 2xx: no code refused", codedOk == coded
        && http.responses(S3CountingProxy.DELETE_OBJECTS_MFA, "4xx") == 0, http.responses());
    String increasing = null;
    try {
      wire.assertEachDeviceAtMostOncePerStepAndIncreasing();
    } catch (AssertionError e) {
      increasing = e.getMessage(); // names the device and steps, never a code
    }
    check("exactly " + batches + " codes at the wire, the device's, each in a distinct step, increasing",
        wire.codesSent() == batches && wire.unmatched() == 0 && steps.size() == batches
            && new TreeSet<>(steps).size() == batches && increasing == null,
        wire.codesSent() + " codes, steps " + fromApproval + (increasing == null ? "" : "; " + increasing));
    check("from the approval to Completed within one step of " + batches + " steps (<= " + (batches + 1) * STEP
        + " s)", done > 0 && wall <= (batches + 1) * STEP, Benchmark.round(wall) + " s");
    check("status.deleted = " + listed + ", batchesDone = " + batches + ", nothing failed", status != null
        && Long.valueOf(listed).equals(status.getDeleted()) && Long.valueOf(batches).equals(status.getBatchesDone())
        && (status.getFailed() == null || status.getFailed() == 0), status == null ? null : "deleted "
        + status.getDeleted() + ", batchesDone " + status.getBatchesDone() + ", failed " + status.getFailed());
    long rootTotal = rootSigned.values().stream().mapToLong(Long::longValue).sum();
    check("the root keys signed exactly the " + what + " at the wire, nothing else",
        rootSigned.equals(Map.of(S3CountingProxy.DELETE_OBJECTS_MFA, (long) batches)), rootSigned);
    long others = http.totalRequests() - rootTotal - observerSigned.values().stream().mapToLong(Long::longValue).sum();
    check("every other request of the wave was signed by the observer", others == 0, http.byKey());
    // A batch reads its manifest lines only once its code is granted, and a wait between batches is
    // neither written nor announced: per batch one HeadObject, one ranged GetObject, two status patches.
    long heads = http.requests("other HEAD");
    long gets = http.requests(S3CountingProxy.GET_OBJECT);
    check("exactly one HeadObject and one GetObject of the manifest per batch (" + batches + " each)",
        heads == batches && gets == batches, heads + " HeadObject, " + gets + " GetObject");
    check("exactly 2 status patches a batch (" + 2 * batches + "), 2 events (Deleting, Completed), the approval"
        + " removed with 1 account patch, no other write", writes.get("deletionStatusPatches") == 2L * batches
        && writes.get("eventsCreated") == 2 && writes.get("accountPatches") == 1 && writes.get("otherWrites") == 0,
        writes);
    long carried = checksums.entrySet().stream().filter(e -> e.getKey().startsWith(
        S3CountingProxy.DELETE_OBJECTS_MFA + " ") && (e.getKey().contains("x-amz-checksum-")
            && !e.getKey().contains(": ") || e.getKey().endsWith(" content-md5")))
        .mapToLong(Map.Entry::getValue).sum();
    check("RadosGW accepted the " + what + " in the SDK's checksum mode: each carried one checksum header",
        carried == batches && codedOk == batches, checksums);

    // c) what is left in the bucket, read back directly
    Set<ObjectVersion> left = new HashSet<>();
    root.listObjectVersionsPaginator(b -> b.bucket(BUCKET)).forEach(page -> {
      page.versions().forEach(v -> left.add(new ObjectVersion(v.key(), v.versionId())));
      page.deleteMarkers().forEach(m -> left.add(new ObjectVersion(m.key(), m.versionId())));
    });
    long listedLeft = toDelete.stream().filter(left::contains).count();
    long keptLeft = toKeep.stream().filter(left::contains).count();
    r.put("versionsLeftInTheBucket", left.size());
    r.put("listedVersionsLeft", listedLeft);
    r.put("unlistedVersionsLeft", keptLeft);
    check("ListObjectVersions afterwards: none of the " + listed + " listed versions", listedLeft == 0,
        listedLeft + " left");
    check("ListObjectVersions afterwards: all " + toKeep.size() + " unlisted versions still there",
        keptLeft == toKeep.size(), keptLeft + " of " + toKeep.size());

    // d) the audit trail
    auditChecks(r, created, audit.lines(), toDelete, steps, batches);
  }

  private void auditChecks(Map<String, Object> r, ObjectVersionDeletion created, List<String> lines,
      Set<ObjectVersion> toDelete, List<Long> wireSteps, int batches) throws Exception {
    Path file = logDir.resolve("deletion-audit.log");
    Files.write(file, lines, StandardCharsets.UTF_8);
    String uid = created.getMetadata().getUid();
    List<ObjectVersion> audited = new ArrayList<>();
    Set<Long> auditedSteps = new TreeSet<>();
    long retries = 0;
    for (String line : lines) {
      JsonNode node = Serialization.jsonMapper().readTree(line);
      if (!uid.equals(node.path("uid").asText())) {
        continue;
      }
      audited.add(new ObjectVersion(node.path("key").asText(), node.path("versionId").asText()));
      if (node.hasNonNull("step")) {
        auditedSteps.add(node.get("step").asLong());
      }
      retries += node.path("retry").asBoolean() ? 1 : 0;
    }
    Set<ObjectVersion> distinct = new HashSet<>(audited);
    r.put("auditLines", audited.size());
    r.put("auditLinesDistinctVersions", distinct.size());
    r.put("auditLinesMarkedRetry", retries);
    r.put("auditLinesFile", file.toString());
    Benchmark.say("9. %s: %d audit lines DeleteObjectVersion for the request (%d distinct versions, %d marked retry),"
        + " saved to %s", NAME, audited.size(), distinct.size(), retries, file);
    check(listed + " audit lines DeleteObjectVersion for the request, each listed version exactly once",
        audited.size() == listed && distinct.equals(toDelete), audited.size() + " lines, " + distinct.size()
            + " distinct, " + distinct.stream().filter(toDelete::contains).count() + " of them listed");
    check("the audit lines name the " + batches + " steps whose codes were seen at the wire",
        auditedSteps.equals(new TreeSet<>(wireSteps)), "audit " + auditedSteps + ", wire " + wireSteps);
  }

  /**
   * The counts at a moment when no request is in flight and none has come for 500 ms (gives up
   * after 30 s and takes them as they are).
   */
  private S3CountingProxy.Counts quiet() throws InterruptedException {
    long giveUp = System.currentTimeMillis() + 30_000;
    while (true) {
      S3CountingProxy.Counts first = proxy.snapshot();
      Thread.sleep(500);
      S3CountingProxy.Counts again = proxy.snapshot();
      long answered = again.responses().values().stream().mapToLong(Long::longValue).sum();
      if ((again.equals(first) && answered == again.totalRequests()) || System.currentTimeMillis() > giveUp) {
        return again;
      }
    }
  }

  /** Until 100 ms into the next step: the approval lands early in a step, as the wave's bound assumes. */
  private static void startOfAStep() throws InterruptedException {
    Thread.sleep(STEP_MILLIS - Math.floorMod(System.currentTimeMillis(), STEP_MILLIS) + 100);
  }

  private static Map<String, Long> delta(Map<String, Long> now, Map<String, Long> before) {
    Map<String, Long> d = new TreeMap<>();
    now.forEach((k, v) -> {
      long n = v - before.getOrDefault(k, 0L);
      if (n != 0) {
        d.put(k, n);
      }
    });
    return d;
  }

  /** The operator's Kubernetes requests of the wave by what they were. */
  static Map<String, Long> kubernetesWrites(List<KubernetesRequestLog.Request> requests) {
    Map<String, Long> w = new LinkedHashMap<>();
    for (String k : List.of("deletionStatusPatches", "eventsCreated", "accountPatches", "accountStatusPatches",
        "otherWrites", "secretReads", "otherReads")) {
      w.put(k, 0L);
    }
    for (KubernetesRequestLog.Request q : requests) {
      if (q.byBenchmark()) {
        continue;
      }
      String path = q.path().contains("?") ? q.path().substring(0, q.path().indexOf('?')) : q.path();
      String kind;
      if ("GET".equals(q.method())) {
        kind = path.matches(".*/secrets(/[^/]+)?") ? "secretReads" : "otherReads";
      } else if (path.matches(".*/objectversiondeletions/[^/]+/status")) {
        kind = "deletionStatusPatches";
      } else if ("POST".equals(q.method()) && path.matches(".*/events")) {
        kind = "eventsCreated";
      } else if (path.matches(".*/s3accounts/[^/]+/status")) {
        kind = "accountStatusPatches";
      } else if (path.matches(".*/s3accounts/[^/]+")) {
        kind = "accountPatches"; // the approval removed once the request is finished
      } else {
        kind = "otherWrites";
      }
      w.merge(kind, 1L, Long::sum);
    }
    return w;
  }

  /** The operator's GETs of the wave by path (query left out): what its reads were. */
  private static Map<String, Long> readsByPath(List<KubernetesRequestLog.Request> requests) {
    Map<String, Long> reads = new TreeMap<>();
    for (KubernetesRequestLog.Request q : requests) {
      if (!q.byBenchmark() && "GET".equals(q.method())) {
        String path = q.path().contains("?") ? q.path().substring(0, q.path().indexOf('?')) : q.path();
        reads.merge(path, 1L, Long::sum);
      }
    }
    return reads;
  }

  /** Keeps the deletion audit lines the operator prints; every other line goes on to the console. */
  private static final class AuditCapture extends PrintStream {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    AuditCapture(PrintStream console) {
      super(console, true, StandardCharsets.UTF_8);
    }

    @Override
    public void println(String line) {
      if (line != null && line.contains(AUDIT_ACTION)) {
        lines.add(line);
      } else {
        super.println(line);
      }
    }

    List<String> lines() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }
  }

  /**
   * Watches the request (a watch, not polling: the wave's end to the millisecond, and no load on
   * the two cores the operator and RadosGW share): when each Ready reason and each batchesDone
   * value was first seen.
   */
  private static final class DeletionWatch implements AutoCloseable {
    private final SharedIndexInformer<ObjectVersionDeletion> informer;
    private final Map<String, Long> reasonAt = new LinkedHashMap<>();
    private final Map<Long, Long> batchAt = new LinkedHashMap<>();
    private ObjectVersionDeletion latest;
    private long clock;

    DeletionWatch(KubernetesClient bench) {
      informer = bench.resources(ObjectVersionDeletion.class).inNamespace(NS).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(ObjectVersionDeletion request) {
          seen(request);
        }

        @Override
        public void onUpdate(ObjectVersionDeletion old, ObjectVersionDeletion request) {
          seen(request);
        }

        @Override
        public void onDelete(ObjectVersionDeletion request, boolean deletedFinalStateUnknown) {
        }
      }, 0);
    }

    private synchronized void seen(ObjectVersionDeletion request) {
      long now = System.nanoTime();
      if (!REQUEST.equals(request.getMetadata().getName())) {
        return;
      }
      latest = request;
      String reason = reasonOf(request);
      if (reason != null) {
        reasonAt.putIfAbsent(reason, now);
      }
      if (request.getStatus() != null && request.getStatus().getBatchesDone() != null) {
        batchAt.putIfAbsent(request.getStatus().getBatchesDone(), now);
      }
      notifyAll();
    }

    private static String reasonOf(ObjectVersionDeletion request) {
      if (request.getStatus() == null || request.getStatus().getConditions() == null) {
        return null;
      }
      return request.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
          .map(Condition::getReason).findFirst().orElse(null);
    }

    synchronized void startClock(long nanos) {
      clock = nanos;
    }

    /**
     * Waits until Ready carries {@code reason} (or the request finished otherwise, or the time is up).
     *
     * @return System.nanoTime() when it was first seen, or 0
     */
    synchronized long await(String reason, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!reasonAt.containsKey(reason) && !(latest != null && latest.getStatus() != null
          && latest.getStatus().getCompletionTime() != null)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return reasonAt.getOrDefault(reason, 0L);
    }

    synchronized String reason() {
      return latest == null ? null : reasonOf(latest);
    }

    synchronized ObjectVersionDeletionStatus latestStatus() {
      return latest == null ? null : latest.getStatus();
    }

    /** Each Ready reason seen since the clock started, with its seconds after it. */
    synchronized Map<String, Double> reasonsSeen() {
      Map<String, Double> seen = new LinkedHashMap<>();
      reasonAt.forEach((reason, at) -> {
        if (at >= clock) {
          seen.put(reason, Benchmark.round((at - clock) / 1e9));
        }
      });
      return seen;
    }

    /** Seconds after the clock's start at which each batchesDone value was first seen. */
    synchronized List<Double> batchesSeen() {
      return batchAt.entrySet().stream().filter(e -> e.getKey() > 0)
          .map(e -> Benchmark.round((e.getValue() - clock) / 1e9)).toList();
    }

    @Override
    public void close() {
      informer.close();
    }
  }
}

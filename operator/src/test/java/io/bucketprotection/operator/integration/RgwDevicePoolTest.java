package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.MfaDeviceStatus;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.S3Account;
import io.bucketprotection.operator.bench.S3CountingProxy;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.MfaWireSteps;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.bucketprotection.operator.testsupport.TokenHolder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;

/**
 * A pool of MFA devices on one account, against a real RadosGW (which accepts a code from any of
 * the user's devices and, per device, one success per step). A proxy between the operator and
 * RadosGW hands every x-amz-mfa value to the test, which derives each code's step from the seeds
 * it holds: the steps are checked at the wire, not in the operator's own books. The three
 * scenarios start together (in {@link #start}) so the class costs about as long as the slowest.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RgwDevicePoolTest {

  private static final String UID = "bpo-pool";
  private static final String ACCESS_KEY = "BPOPOOLACCESSKEY0001";
  private static final String SECRET_KEY = "pool-secret-key-0123456789abcdefghijkl";
  private static final int STEP = RgwIntegrationTest.STEP;
  private static final String WRONG_SEED = "MZXW6YTBOI2DKNRXHA4TAMJSGM2DKNRX";
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  /** Four seeded devices, eight buckets: two steps' work for the pool, eight for one device. */
  private static final int FAST_BUCKETS = 8;
  private static final int WRONG_BUCKETS = 6;

  private static RgwLab rgw;
  private static S3Client s3;
  private static S3CountingProxy proxy;
  private static MockKubernetes kubernetes;
  private static AwsBucketStore aws;
  private static OperatorHarness operator;
  private static MfaWireSteps wire;
  private static final Map<String, String> SEEDS = new LinkedHashMap<>();
  private static final Set<String> TAPPED_KINDS = ConcurrentHashMap.newKeySet();
  private static long fastCreatedMillis;

  private static String serial(String name) {
    return "arn:aws:iam::123456789012:mfa/" + name;
  }

  /** A distinct Base32 seed per device (20 bytes, 32 characters). */
  private static String seedOf(int i) {
    return "JBSWY3DPEHPK3PXP" + "ABCDEFGHIJKLMNOP".substring(i) + "ABCDEFGHIJKLMNOP".substring(0, i);
  }

  @BeforeAll
  static void start() throws Exception {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 5000);
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
    List<String> devices = List.of("pool-fast-0", "pool-fast-1", "pool-fast-2", "pool-fast-3", "pool-bad-0",
        "pool-bad-1", "pool-bad-2", "pool-person-seeded", "pool-person-seedless");
    for (int i = 0; i < devices.size(); i++) {
      SEEDS.put(serial(devices.get(i)), seedOf(i));
      rgw.createMfaDevice(UID, serial(devices.get(i)), seedOf(i), STEP);
    }
    wire = new MfaWireSteps(SEEDS, STEP);
    proxy = S3CountingProxy.start(rgw.endpoint());
    proxy.tapMfa((accessKey, value, at, kind) -> {
      TAPPED_KINDS.add(kind);
      wire.record(value, at);
    });
    kubernetes = new MockKubernetes();
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString(),
        "BPO_DEFAULT_CHECK_INTERVAL", "1h"));
    aws = new AwsBucketStore(config.defaultRegion(), Set.of(), FailureVerdicts::isTransient);
    operator = new OperatorHarness(kubernetes.client(), aws, config);

    account("pool-fast", List.of(device("pool-fast-0", 0), device("pool-fast-1", 1), device("pool-fast-2", 2),
        device("pool-fast-3", 3)), Map.of());
    // The first device's Secret holds another (well-formed) seed: RadosGW refuses its codes.
    account("pool-wrong", List.of(device("pool-bad-0", 4), device("pool-bad-1", 5), device("pool-bad-2", 6)),
        Map.of(0, WRONG_SEED));
    MfaSpec seedless = new MfaSpec(serial("pool-person-seedless"), null, STEP);
    account("pool-person", List.of(device("pool-person-seeded", 7), seedless), Map.of(0, WRONG_SEED));
    awaitAccountsReady();
    // Created at the start of a step, the eight changes of pool-fast can all be served in two.
    long stepMillis = STEP * 1000L;
    Thread.sleep(stepMillis - System.currentTimeMillis() % stepMillis + 100);
    fastCreatedMillis = System.currentTimeMillis();
    buckets("pool-fast", FAST_BUCKETS);
    buckets("pool-wrong", WRONG_BUCKETS);
    buckets("pool-person", 1);
  }

  private static MfaSpec device(String name, int seedIndex) {
    return Accounts.mfa(serial(name), "seed-" + seedIndex, STEP);
  }

  /** An S3Account in its own namespace with {@code devices} as its pool; {@code wrong} replaces some seeds. */
  private static void account(String namespace, List<MfaSpec> devices, Map<Integer, String> wrong) {
    var client = kubernetes.client();
    client.resource(rootKeys(namespace, "root", Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
    for (int i = 0; i < devices.size(); i++) {
      MfaSpec device = devices.get(i);
      if (device.getTotpSeed() != null) {
        String name = device.getTotpSeed().getSecretKeyRef().getName();
        client.resource(secret(namespace, name, Map.of("seed", wrong.getOrDefault(i,
            SEEDS.get(device.getSerialNumber()))))).create();
      }
    }
    S3Account account = Accounts.namespaced(namespace, "pool", List.of(namespace + "-*"), "root");
    account.getSpec().setMfaDevices(devices);
    client.resource(account).create();
  }

  private static void awaitAccountsReady() {
    await().atMost(TIMEOUT).until(() -> List.of("pool-fast", "pool-wrong", "pool-person").stream()
        .allMatch(ns -> io.bucketprotection.operator.tenancy.Tenancy.ready(account(ns))));
  }

  private static S3Account account(String namespace) {
    return kubernetes.client().resources(S3Account.class).inNamespace(namespace).withName("pool").get();
  }

  private static void buckets(String namespace, int count) {
    for (int i = 0; i < count; i++) {
      String bucket = namespace + "-" + i;
      s3.createBucket(r -> r.bucket(bucket));
      BucketProtection resource = protection(namespace, bucket, bucket, "Enabled");
      resource.getSpec().setMfaDelete("Enabled");
      resource.getSpec().setAccountRef(new AccountReference("S3Account", "pool"));
      kubernetes.client().resource(resource).create();
    }
  }

  private static boolean allApplied(String namespace, int count) {
    return IntStream.range(0, count).allMatch(i -> "Applied".equals(readyReason(operator.get(namespace,
        namespace + "-" + i))));
  }

  private static MfaDeviceStatus deviceStatus(String namespace, String device) {
    return account(namespace).getStatus().getMfaDevices().stream()
        .filter(d -> d.getSerialNumber().equals(serial(device))).findFirst().orElseThrow();
  }

  @AfterAll
  static void stop() throws Exception {
    operator.close();
    aws.close();
    kubernetes.close();
    proxy.close();
    s3.close();
  }

  @Test
  @Order(1)
  void fourDevicesSwitchEightBucketsInTwoStepsEachDeviceOncePerStepAtTheWire() {
    await().atMost(TIMEOUT).until(() -> allApplied("pool-fast", FAST_BUCKETS));
    long doneMillis = System.currentTimeMillis();
    for (int i = 0; i < FAST_BUCKETS; i++) {
      String bucket = "pool-fast-" + i;
      assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(bucket)).mfaDelete(), bucket);
    }
    wire.assertEachDeviceAtMostOncePerStepAndIncreasing();
    List<Long> steps = new ArrayList<>();
    for (int d = 0; d < 4; d++) {
      List<Long> used = wire.stepsBySerial().getOrDefault(serial("pool-fast-" + d), List.of());
      assertEquals(2, used.size(), "device " + d + " gave two of the eight codes: " + used);
      steps.addAll(used);
    }
    long first = steps.stream().mapToLong(Long::longValue).min().orElseThrow();
    long last = steps.stream().mapToLong(Long::longValue).max().orElseThrow();
    // One device needs eight steps for eight changes; four need two.
    assertEquals(1, last - first, "the eight codes span two steps: " + steps);
    // The bound: the first step usable after the creations (and after the ledger's restart
    // guard), plus one more; within one step of it, the last change is Applied.
    long createdStep = Math.floorDiv(fastCreatedMillis, STEP * 1000L);
    assertTrue(first <= createdStep + 2, "the first code came in step " + first + ", created in " + createdStep);
    assertTrue(doneMillis < (last + 2) * STEP * 1000L + 1000, "all Applied within a step of the last code's step");
    for (int d = 0; d < 4; d++) {
      MfaDeviceStatus status = deviceStatus("pool-fast", "pool-fast-" + d);
      assertEquals("Ready", status.getState());
      assertNotNull(status.getNextFreeStep(), "device " + d + " was used");
    }
  }

  @Test
  @Order(1)
  void aWrongSeedPausesOnlyItsDeviceWhileTheOthersFinish() {
    await().atMost(TIMEOUT).until(() -> allApplied("pool-wrong", WRONG_BUCKETS));
    for (int i = 0; i < WRONG_BUCKETS; i++) {
      String bucket = "pool-wrong-" + i;
      assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(bucket)).mfaDelete(), bucket);
    }
    await().atMost(TIMEOUT).until(() -> "Paused".equals(deviceStatus("pool-wrong", "pool-bad-0").getState()));
    assertEquals("Ready", deviceStatus("pool-wrong", "pool-bad-1").getState());
    assertEquals("Ready", deviceStatus("pool-wrong", "pool-bad-2").getState());
    assertTrue(wire.stepsBySerial().getOrDefault(serial("pool-bad-0"), List.of()).isEmpty(),
        "no code of the wrong seed matched the device's real seed");
    int fromGoodDevices = wire.stepsBySerial().getOrDefault(serial("pool-bad-1"), List.of()).size()
        + wire.stepsBySerial().getOrDefault(serial("pool-bad-2"), List.of()).size();
    assertEquals(WRONG_BUCKETS, fromGoodDevices, "the two good devices switched every bucket");
  }

  @Test
  @Order(1)
  void aSeedlessDeviceOfThePoolTakesTheChangeOnceTheSeededOneIsPausedAndAPersonsCodeIsUsed() throws Exception {
    BucketProtection waiting = operator.awaitReason("pool-person", "pool-person-0", "AwaitingMfaCode", TIMEOUT);
    String changeId = waiting.getStatus().getMfaChangeId();
    assertNotNull(changeId);
    assertEquals("Paused", deviceStatus("pool-person", "pool-person-seeded").getState());
    assertTrue(io.bucketprotection.operator.testsupport.Resources.ready(waiting).orElseThrow().getMessage()
        .contains(serial("pool-person-seedless")), "the message names the seedless device");
    TokenHolder person = new TokenHolder(SEEDS.get(serial("pool-person-seedless")), STEP);
    TokenHolder.annotate(kubernetes.client(), S3Account.class, "pool-person", "pool",
        person.codeNow() + "@" + changeId);
    operator.awaitReason("pool-person", "pool-person-0", "Applied", TIMEOUT);
    assertEquals(MFADeleteStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket("pool-person-0")).mfaDelete());
    assertEquals(1, wire.stepsBySerial().getOrDefault(serial("pool-person-seedless"), List.of()).size(),
        "the person's code went out once, for the seedless device");
  }

  @Test
  @Order(2)
  void noRequestThatNeedsNoCodeCarriesOne() {
    await().atMost(TIMEOUT).until(() -> allApplied("pool-fast", FAST_BUCKETS) && allApplied("pool-wrong",
        WRONG_BUCKETS) && allApplied("pool-person", 1));
    // Every x-amz-mfa value the operator sent went on a PutBucketVersioning (each switches MFA
    // Delete): RadosGW spends a code sent on any other request (RgwMfaHeaderTest).
    assertEquals(Set.of(S3CountingProxy.PUT_VERSIONING_MFA), Set.copyOf(TAPPED_KINDS));
    S3CountingProxy.Counts counts = proxy.snapshot();
    long refused = counts.requests(S3CountingProxy.PUT_VERSIONING_MFA)
        - counts.responses(S3CountingProxy.PUT_VERSIONING_MFA, "2xx");
    assertEquals(wire.unmatched(), refused, "every refused code is a wrong seed's, and only those were refused");
    // One code per switch, plus the refused ones: none was sent that was not needed.
    assertEquals(FAST_BUCKETS + WRONG_BUCKETS + 1 + refused, wire.codesSent(), wire.toString());
  }
}

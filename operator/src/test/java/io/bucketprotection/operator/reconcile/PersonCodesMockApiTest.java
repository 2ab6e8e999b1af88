package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withSeedlessMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.status.Conditions;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.bucketprotection.operator.testsupport.TokenHolder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Codes a person supplies, for MFA devices whose seed nobody stores (issue 12), against the real
 * operator, JOSDK and the CRUD mock API server, with a fake S3 that enforces MFA. The test holds
 * each device's seed (it plays the person holding the token); the operator is never given one.
 * A code is annotated as {@code kubectl annotate} does it: a merge patch of the object's metadata.
 */
class PersonCodesMockApiTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  /** The device's time step: short, so that three codes take seconds, and longer than the arrival grace. */
  private static final int PERIOD = 5;
  /** The person holding every device's token (one seed for all of them, to keep the test short). */
  private static final TokenHolder TOKEN = new TokenHolder(SEED, PERIOD);
  private static final String NAMESPACE = "codes";
  private static final String ADMIN_NAMESPACE = OperatorConfig.DEFAULT_CLUSTER_RESOURCE_NAMESPACE;
  private static final String WAIT_SERIAL = "arn:aws:iam::123456789012:mfa/person-wait";
  private static final String ONCE_SERIAL = "arn:aws:iam::123456789012:mfa/person-once";
  private static final String BEFORE_SERIAL = "arn:aws:iam::123456789012:mfa/person-before";
  private static final String WRONG_SERIAL = "arn:aws:iam::123456789012:mfa/person-wrong";
  private static final String ACCOUNT_SERIAL = "arn:aws:iam::123456789012:mfa/person-account";
  private static final String SWAP_SERIAL = "arn:aws:iam::123456789012:mfa/person-swap";
  private static final String SWAP_INLINE_SERIAL = "arn:aws:iam::123456789012:mfa/person-swap-inline";
  /** A change's id as the status shows it: "change 3f9a2c71d0". */
  private static final Pattern CHANGE_ID = Pattern.compile("change ([0-9a-f]{10})");
  private static final String GAUGE = "bpo.awaiting.mfa.code";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  /** The issue's promise: a code annotated converges its change within this. */
  private static final Duration AT_ONCE = Duration.ofSeconds(2);

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static SimpleMeterRegistry registry;
  private static OperatorHarness operator;
  /** The code that was on "before" when the operator started. */
  private static String codeBeforeStart;

  @BeforeAll
  static void start() throws Exception {
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    for (String serial : List.of(WAIT_SERIAL, ONCE_SERIAL, BEFORE_SERIAL, WRONG_SERIAL, ACCOUNT_SERIAL,
        SWAP_SERIAL, SWAP_INLINE_SERIAL)) {
      s3.registerDevice(serial, SEED, PERIOD);
    }
    kubernetes.ensureNamespace(NAMESPACE);
    kubernetes.client().resource(rootKeys(NAMESPACE, "keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDPERSONCODES00001",
        "AWS_SECRET_ACCESS_KEY", "person-codes-secret-key-0123456789"))).create();
    // A person typed a code before the operator started (or while it was down): a valid one.
    s3.setState("person-before", S3VersioningTable.E);
    BucketProtection before = personCodes("before", "person-before", BEFORE_SERIAL);
    codeBeforeStart = TOKEN.codeNow();
    before.getMetadata().setAnnotations(Map.of(CodeHolder.ANNOTATION, codeBeforeStart));
    kubernetes.client().resource(before).create();

    registry = new SimpleMeterRegistry();
    operator = new OperatorHarness(kubernetes.client(), s3,
        OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h")), Clock.systemUTC(),
        new OperatorMetrics(registry));
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
  }

  /** Inline keys and an inline device without totpSeed: a person annotates this resource. */
  private static BucketProtection personCodes(String name, String bucket, String serial) {
    return withSeedlessMfaDelete(withCredentials(protection(NAMESPACE, name, bucket, "Enabled"), "keys"), serial,
        PERIOD);
  }

  private static void annotate(Class<? extends HasMetadata> type, String namespace, String name, String code) {
    TokenHolder.annotate(kubernetes.client(), type, namespace, name, code);
  }

  private static String annotation(HasMetadata object) {
    return TokenHolder.annotation(object);
  }

  private static String codeOfNextStep() throws InterruptedException {
    return TOKEN.codeOfNextStep();
  }

  private static BucketProtection get(String name) {
    return operator.get(NAMESPACE, name);
  }

  private static String message(BucketProtection resource) {
    return Resources.ready(resource).map(Condition::getMessage).orElse(null);
  }

  private static BucketProtection awaitReason(String namespace, String name, String reason) {
    return operator.awaitReason(namespace, name, reason, TIMEOUT);
  }

  /** Annotates {@code code} and returns how long the resource took to converge after it. */
  private static Duration annotateAndTimeConvergence(Class<? extends HasMetadata> type, String holderNamespace,
      String holder, String code, String namespace, String name) {
    long start = System.nanoTime();
    annotate(type, holderNamespace, holder, code);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> Resources.converged(
        operator.get(namespace, name)));
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** bpo_awaiting_mfa_code by device, for the devices of {@code serial}. */
  private static Map<String, Double> awaiting(String serial) {
    Map<String, Double> values = new TreeMap<>();
    for (Gauge gauge : registry.find(GAUGE).gauges()) {
      String device = gauge.getId().getTag("device");
      if (device != null && device.startsWith(serial + " ")) {
        values.put(device, gauge.value());
      }
    }
    return values;
  }

  @Test
  void aResourceWithoutASeedWaitsForACodeAndWritesNothing() {
    s3.setState("person-wait", S3VersioningTable.E);
    operator.create(personCodes("wait", "person-wait", WAIT_SERIAL));
    BucketProtection waiting = awaitReason(NAMESPACE, "wait", "AwaitingMfaCode");
    Condition ready = Resources.ready(waiting).orElseThrow();
    assertEquals("False", ready.getStatus());
    String text = ready.getMessage();
    assertTrue(text.contains("MFA Delete Disabled -> Enabled") && text.contains(WAIT_SERIAL), text);
    assertTrue(text.contains("place 1 of 1 among this namespace's changes waiting for codes on"), text);
    // The change's id, in the status and in the command: a code typed with it signs this change only.
    String id = changeId(text);
    assertNotNull(id, text);
    assertEquals(id, waiting.getStatus().getMfaChangeId());
    assertTrue(text.contains("kubectl -n codes annotate bp wait bucketprotection.io/mfa-code=<6-digit code>@" + id
        + " --overwrite"), text);
    Condition reconciling = Conditions.find(waiting.getStatus().getConditions(), Conditions.RECONCILING).orElseThrow();
    assertEquals("True", reconciling.getStatus(), "the operator goes on by itself once a code comes");
    assertEquals("AwaitingMfaCode", reconciling.getReason());
    assertEquals("False", Conditions.find(waiting.getStatus().getConditions(), Conditions.STALLED)
        .map(Condition::getStatus).orElse("False"));
    assertEquals(0, s3.calls("PutBucketVersioning", "person-wait"), "nothing written without a code");
    assertEquals(S3VersioningTable.E, s3.state("person-wait"));
    // bpo_awaiting_mfa_code names the device, so an alert can page whoever holds the token.
    await().atMost(TIMEOUT).until(() -> awaiting(WAIT_SERIAL).values().stream().mapToDouble(d -> d).sum() == 1.0);
    assertEquals(Set.of(WAIT_SERIAL + " at aws"), awaiting(WAIT_SERIAL).keySet());
  }

  @Test
  void aFreshCodeConvergesAtOnceIsRemovedAndTheSameCodeIsNeverSentAgain() throws Exception {
    s3.setState("person-first", S3VersioningTable.E);
    s3.setState("person-second", S3VersioningTable.E);
    // Two resources naming one inline device without a seed (one hardware token).
    operator.create(personCodes("first", "person-first", ONCE_SERIAL));
    operator.create(personCodes("second", "person-second", ONCE_SERIAL));
    awaitReason(NAMESPACE, "first", "AwaitingMfaCode");
    awaitReason(NAMESPACE, "second", "AwaitingMfaCode");

    String code = codeOfNextStep();
    Duration took = annotateAndTimeConvergence(BucketProtection.class, NAMESPACE, "first", code, NAMESPACE, "first");
    assertTrue(took.compareTo(AT_ONCE) <= 0, "converged " + took.toMillis() + " ms after the annotation");
    assertEquals(S3VersioningTable.EM, s3.state("person-first"));
    assertEquals(1, s3.calls("PutBucketVersioning", "person-first"));
    assertEquals(code, s3.tokensReceived().stream().filter(t -> t.serialNumber().equals(ONCE_SERIAL)).findFirst()
        .orElseThrow().code());
    await().atMost(AT_ONCE).until(() -> annotation(get("first")) == null);
    assertFalse(message(get("first")).contains(code), "the code is never echoed");

    // The same code again, on the other resource of the same device, within its step: not sent.
    int putsBefore = s3.calls("PutBucketVersioning");
    annotate(BucketProtection.class, NAMESPACE, "second", code);
    BucketProtection second = awaitReason(NAMESPACE, "second", "MfaCodeExpired");
    assertTrue(message(second).contains("already sent that code for this device"), message(second));
    assertTrue(message(second).contains("kubectl -n codes annotate bp second"), message(second));
    assertFalse(message(second).contains(code), "the code is never echoed");
    await().atMost(AT_ONCE).until(() -> annotation(get("second")) == null);
    assertEquals(putsBefore, s3.calls("PutBucketVersioning"), "not one PutBucketVersioning for the reused code");
    assertEquals(S3VersioningTable.E, s3.state("person-second"));
    assertEquals(1, s3.tokensReceived().stream().filter(t -> t.code().equals(code)).count(), "sent exactly once");
    assertTrue(operator.eventReasons(NAMESPACE, "second").contains("Warning/MfaCodeExpired"),
        operator.eventReasons(NAMESPACE, "second").toString());

    // A fresh code then converges the second one.
    String next = codeOfNextStep();
    Duration tookNext = annotateAndTimeConvergence(BucketProtection.class, NAMESPACE, "second", next, NAMESPACE,
        "second");
    assertTrue(tookNext.compareTo(AT_ONCE) <= 0, "converged " + tookNext.toMillis() + " ms after the annotation");
    assertEquals(S3VersioningTable.EM, s3.state("person-second"));
  }

  @Test
  void aCodePresentBeforeTheOperatorStartedIsExpiredUnsentAndRemoved() {
    // The status says MfaCodeExpired until the next look, then AwaitingMfaCode again: the event stays.
    String text = operator.awaitEvent(NAMESPACE, "before", "MfaCodeExpired", TIMEOUT).getMessage();
    assertTrue(text.contains("before the operator saw it arrive"), text);
    assertFalse(text.contains(codeBeforeStart), "the code is never echoed");
    await().atMost(TIMEOUT).until(() -> annotation(get("before")) == null);
    assertEquals(0, s3.calls("PutBucketVersioning", "person-before"), "a code that may be old is never sent");
    assertTrue(s3.tokensReceived().stream().noneMatch(t -> t.serialNumber().equals(BEFORE_SERIAL)));
    assertEquals(S3VersioningTable.E, s3.state("person-before"));
  }

  @Test
  void aWrongCodeIsRejectedRemovedPausesNothingAndTheNextValidCodeConverges() throws Exception {
    s3.setState("person-wrong", S3VersioningTable.E);
    operator.create(personCodes("wrong", "person-wrong", WRONG_SERIAL));
    awaitReason(NAMESPACE, "wrong", "AwaitingMfaCode");

    String wrong = TOKEN.wrongCode();
    annotate(BucketProtection.class, NAMESPACE, "wrong", wrong);
    BucketProtection refused = awaitReason(NAMESPACE, "wrong", "MfaRejected");
    String text = message(refused);
    assertTrue(text.contains("lock a device after repeated failures"), text);
    assertTrue(text.contains("kubectl -n codes annotate bp wrong"), text);
    assertFalse(text.contains(wrong), "the code is never echoed");
    await().atMost(AT_ONCE).until(() -> annotation(get("wrong")) == null);
    assertEquals(1, s3.codesRefused(WRONG_SERIAL));

    // A second refusal in a row pauses nothing (the person sees each one).
    String wrongAgain = TOKEN.wrongCode(wrong);
    annotate(BucketProtection.class, NAMESPACE, "wrong", wrongAgain);
    await().atMost(TIMEOUT).until(() -> s3.codesRefused(WRONG_SERIAL) == 2);
    await().atMost(AT_ONCE).until(() -> annotation(get("wrong")) == null);
    assertEquals("MfaRejected", readyReason(get("wrong")));

    String valid = codeOfNextStep();
    Duration took = annotateAndTimeConvergence(BucketProtection.class, NAMESPACE, "wrong", valid, NAMESPACE, "wrong");
    assertTrue(took.compareTo(AT_ONCE) <= 0, "converged " + took.toMillis() + " ms after the annotation");
    assertEquals(S3VersioningTable.EM, s3.state("person-wrong"));
    await().atMost(AT_ONCE).until(() -> annotation(get("wrong")) == null);
  }

  @Test
  void threeChangesOnOneAccountsDeviceConvergeFromThreeCodesOnePerStep() throws Exception {
    // The admin's account: root keys in the cluster resource namespace, the root device without a seed.
    kubernetes.ensureNamespace(ADMIN_NAMESPACE);
    kubernetes.client().resource(rootKeys(ADMIN_NAMESPACE, "root-keys", Map.of("AWS_ACCESS_KEY_ID",
        "AKIDPERSONROOT000001", "AWS_SECRET_ACCESS_KEY", "person-root-secret-key-0123456789"))).create();
    ClusterS3Account account = Accounts.cluster("person-root", List.of("pa-*"));
    account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
    account.getSpec().setMfa(new MfaSpec(ACCOUNT_SERIAL, null, PERIOD));
    account.getSpec().setNamespaces(Accounts.names("codes-account"));
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
    List<String> names = List.of("one", "two", "three");
    for (String name : names) {
      s3.setState("pa-" + name, S3VersioningTable.E);
      BucketProtection resource = protection("codes-account", name, "pa-" + name, "Enabled");
      resource.getSpec().setMfaDelete("Enabled");
      resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "person-root"));
      operator.create(resource);
      BucketProtection waiting = awaitReason("codes-account", name, "AwaitingMfaCode");
      assertTrue(message(waiting).contains("kubectl annotate clusters3account person-root bucketprotection.io/mfa-code="),
          message(waiting));
    }
    await().atMost(TIMEOUT).until(() -> awaiting(ACCOUNT_SERIAL).values().stream().mapToDouble(d -> d).sum() == 3.0);

    var accounts = kubernetes.client().resources(ClusterS3Account.class).withName("person-root");
    List<String> convergedInOrder = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      int waiting = names.size() - i;
      // The account says, before the code is typed, which change the next code goes to.
      String expected = waiting + (waiting == 1 ? " change waits" : " changes wait") + " for a code; next: BucketProtection"
          + " codes-account/";
      await().atMost(Duration.ofSeconds(15)).until(() -> {
        var status = accounts.get().getStatus();
        return status != null && status.getMfaCodes() != null && status.getMfaCodes().startsWith(expected);
      });
      String next = accounts.get().getStatus().getMfaCodes();
      assertTrue(next.contains("kubectl annotate clusters3account person-root bucketprotection.io/mfa-code="), next);
      String named = next.substring(expected.length(), next.indexOf(','));
      assertTrue(names.contains(named) && !convergedInOrder.contains(named), next);

      String code = codeOfNextStep();
      Duration took = annotateAndTimeConvergence(ClusterS3Account.class, null, "person-root", code, "codes-account",
          named);
      assertTrue(took.compareTo(AT_ONCE) <= 0, named + " converged " + took.toMillis() + " ms after the annotation");
      convergedInOrder.add(named);
      await().atMost(AT_ONCE).until(() -> annotation(accounts.get()) == null);
      // The code went to the change the account named, and to no other.
      for (String other : names) {
        if (!convergedInOrder.contains(other)) {
          assertEquals(S3VersioningTable.E, s3.state("pa-" + other), other + " took no code meant for " + named);
        }
      }
      assertEquals(S3VersioningTable.EM, s3.state("pa-" + named));
    }
    assertEquals(3, s3.tokensReceived().stream().filter(t -> t.serialNumber().equals(ACCOUNT_SERIAL)).count(),
        "one code per change");
    await().atMost(TIMEOUT).until(() -> accounts.get().getStatus().getMfaCodes() == null);
    await().atMost(TIMEOUT).until(() -> awaiting(ACCOUNT_SERIAL).values().stream().mapToDouble(d -> d).sum() == 0.0);
    // Waiting in line is not a problem with the code: none of them was told its code expired.
    for (String name : names) {
      assertFalse(operator.eventReasons("codes-account", name).contains("Warning/MfaCodeExpired"),
          name + ": " + operator.eventReasons("codes-account", name));
    }
  }

  /** The change id a message shows, or null. */
  private static String changeId(String message) {
    Matcher matcher = CHANGE_ID.matcher(message == null ? "" : message);
    return matcher.find() ? matcher.group(1) : null;
  }

  @Test
  void aTenantThatSwapsItsChangeForAWeakeningNeverGetsItSignedByTheCodeTypedForTheStrengthening() throws Exception {
    // The admin's device, without a seed, lent to a tenant that may weaken (both keys turned).
    kubernetes.ensureNamespace(ADMIN_NAMESPACE);
    kubernetes.ensureNamespace("codes-swap");
    kubernetes.client().resource(rootKeys(ADMIN_NAMESPACE, "swap-keys", Map.of("AWS_ACCESS_KEY_ID",
        "AKIDPERSONSWAP000001", "AWS_SECRET_ACCESS_KEY", "person-swap-secret-key-0123456789"))).create();
    ClusterS3Account account = Accounts.cluster("person-swap", List.of("sw-*"));
    account.getSpec().setCredentials(Accounts.secretRef("swap-keys"));
    account.getSpec().setMfa(new MfaSpec(SWAP_SERIAL, null, PERIOD));
    account.getSpec().setNamespaces(Accounts.names("codes-swap"));
    account.getSpec().setWeakening("Allow");
    operator.awaitAccountReady(kubernetes.client().resource(account).create());
    var accounts = kubernetes.client().resources(ClusterS3Account.class).withName("person-swap");

    // Versioning suspended with MFA Delete on: enabling versioning strengthens, and needs a code.
    s3.setState("sw-one", S3VersioningTable.SM);
    BucketProtection resource = protection("codes-swap", "swap", "sw-one", "Enabled");
    resource.getSpec().setMfaDelete("Enabled");
    resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "person-swap"));
    resource.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, "sw-one"));
    operator.create(resource);
    String strengthening = message(awaitReason("codes-swap", "swap", "AwaitingMfaCode"));
    assertTrue(strengthening.contains("versioning Suspended -> Enabled"), strengthening);
    // What the person reads before typing (null on a version that shows no id: checked below).
    String strengtheningId = changeId(strengthening);

    // Meanwhile the tenant swaps its spec for a weakening: MFA Delete off.
    kubernetes.client().resources(BucketProtection.class).inNamespace("codes-swap").withName("swap").edit(bp -> {
      bp.getSpec().setVersioning("Suspended");
      bp.getSpec().setMfaDelete("Disabled");
      return bp;
    });
    await().atMost(TIMEOUT).until(() -> message(get("codes-swap", "swap")).contains("MFA Delete Enabled -> Disabled"));

    // The person types the code without naming the change: it never signs a weakening.
    annotate(ClusterS3Account.class, null, "person-swap", TOKEN.codeNow());
    await().atMost(TIMEOUT).until(() -> annotation(accounts.get()) == null);
    assertEquals(0, s3.calls("PutBucketVersioning", "sw-one"), "the weakening was written with a code typed for"
        + " another change");
    assertEquals(S3VersioningTable.SM, s3.state("sw-one"));
    await().atMost(TIMEOUT).until(() -> message(get("codes-swap", "swap")).contains("name the change"));
    assertEquals("MfaCodeExpired", readyReason(get("codes-swap", "swap")));

    // The person types the code for the change it read: that change is no longer waiting.
    assertNotNull(strengtheningId, "the status named no change id: " + strengthening);
    String weakening = message(get("codes-swap", "swap"));
    String weakeningId = changeId(weakening);
    assertNotNull(weakeningId, weakening);
    assertNotEquals(strengtheningId, weakeningId, "a changed spec is a new change");
    assertTrue(weakening.contains("bucketprotection.io/mfa-code=<6-digit code>@" + weakeningId), weakening);
    annotate(ClusterS3Account.class, null, "person-swap", TOKEN.codeNow() + "@" + strengtheningId);
    await().atMost(TIMEOUT).until(() -> annotation(accounts.get()) == null);
    await().atMost(TIMEOUT).until(() -> message(get("codes-swap", "swap")).contains(strengtheningId + ", which is not"
        + " waiting"));
    assertEquals(0, s3.calls("PutBucketVersioning", "sw-one"), "a code naming another change signed this one");
    assertEquals(S3VersioningTable.SM, s3.state("sw-one"));

    // The account shows the weakening and its id; a code naming it signs it, knowingly.
    String line = accounts.get().getStatus().getMfaCodes();
    assertTrue(line.contains(weakeningId) && line.contains("MFA Delete Enabled -> Disabled"), line);
    String code = codeOfNextStep();
    annotate(ClusterS3Account.class, null, "person-swap", code + "@" + weakeningId);
    await().atMost(TIMEOUT).until(() -> Resources.converged(get("codes-swap", "swap")));
    assertEquals(S3VersioningTable.S, s3.state("sw-one"));
    assertEquals(1, s3.calls("PutBucketVersioning", "sw-one"));
    assertFalse(message(get("codes-swap", "swap")).contains(code), "the code is never echoed");
  }

  @Test
  void aWeakeningThatArrivesInTheSamePatchAsACodeNamingNoChangeIsNeverSignedByIt() {
    s3.setState("person-swap-inline", S3VersioningTable.SM);
    BucketProtection resource = personCodes("swap-inline", "person-swap-inline", SWAP_INLINE_SERIAL);
    resource.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, "person-swap-inline"));
    operator.create(resource);
    awaitReason(NAMESPACE, "swap-inline", "AwaitingMfaCode");
    // The code typed for the strengthening and the tenant's swap to a weakening reach the operator together.
    String code = TOKEN.codeNow();
    kubernetes.client().resources(BucketProtection.class).inNamespace(NAMESPACE).withName("swap-inline")
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of(
            "metadata", Map.of("annotations", Map.of(CodeHolder.ANNOTATION, code)),
            "spec", Map.of("versioning", "Suspended", "mfaDelete", "Disabled"))));
    await().atMost(TIMEOUT).until(() -> annotation(get("swap-inline")) == null);
    assertEquals(0, s3.calls("PutBucketVersioning", "person-swap-inline"), "the weakening was signed by a code that"
        + " named no change");
    assertEquals(S3VersioningTable.SM, s3.state("person-swap-inline"));
    await().atMost(TIMEOUT).until(() -> message(get("swap-inline")).contains("name the change"));
    assertFalse(message(get("swap-inline")).contains(code), "the code is never echoed");
  }

  private static BucketProtection get(String namespace, String name) {
    return operator.get(namespace, name);
  }
}

package io.bucketprotection.operator.integration;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withSeedlessMfaDelete;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.ClusterS3Account;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.testsupport.Accounts;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.RecordingBucketStore;
import io.bucketprotection.operator.testsupport.Resources;
import io.bucketprotection.operator.testsupport.RgwLab;
import io.bucketprotection.operator.testsupport.TokenHolder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.MFADeleteStatus;

/**
 * Codes a person supplies, against a real MFA-enforcing RadosGW (issue 12). The operator is never
 * given a seed; the test holds it, as the person with the hardware token would, and annotates the
 * codes it reads. RadosGW decides whether each code is valid.
 */
class RgwPersonCodesTest {

  private static final String UID = "bpo-person";
  private static final String ACCESS_KEY = "BPOPERSONACCESSKEY01";
  private static final String SECRET_KEY = "person-secret-key-0123456789abcdefghij";
  private static final String SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final int STEP = RgwIntegrationTest.STEP;
  private static final String INLINE_SERIAL = "arn:aws:iam::123456789012:mfa/person-inline";
  private static final String BEFORE_SERIAL = "arn:aws:iam::123456789012:mfa/person-before";
  private static final String ACCOUNT_SERIAL = "arn:aws:iam::123456789012:mfa/person-root";
  private static final String NAMESPACE = "people";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  /** The issue's promise: a code annotated converges its change within this. */
  private static final Duration AT_ONCE = Duration.ofSeconds(2);
  private static final TokenHolder TOKEN = new TokenHolder(SEED, STEP);

  private static RgwLab rgw;
  private static S3Client s3;
  private static MockKubernetes kubernetes;
  private static AwsBucketStore aws;
  private static RecordingBucketStore store;
  private static OperatorHarness operator;

  @BeforeAll
  static void start() {
    rgw = RgwLab.shared();
    rgw.createUser(UID, ACCESS_KEY, SECRET_KEY, 100);
    for (String serial : List.of(INLINE_SERIAL, BEFORE_SERIAL, ACCOUNT_SERIAL)) {
      rgw.createMfaDevice(UID, serial, SEED, STEP);
    }
    s3 = rgw.client(ACCESS_KEY, SECRET_KEY);
    for (String bucket : List.of("pc-first", "pc-second", "pc-before", "pca-one", "pca-two", "pca-three")) {
      s3.createBucket(r -> r.bucket(bucket));
      s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }
    kubernetes = new MockKubernetes();
    kubernetes.client().resource(rootKeys(NAMESPACE, "keys", Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
    // A person typed a (valid) code before the operator started.
    BucketProtection before = inline("before", "pc-before", BEFORE_SERIAL);
    before.getMetadata().setAnnotations(Map.of(CodeHolder.ANNOTATION, TOKEN.codeNow()));
    kubernetes.client().resource(before).create();

    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", rgw.endpoint().toString(),
        "BPO_DEFAULT_CHECK_INTERVAL", "1h", "BPO_CLUSTER_RESOURCE_NAMESPACE", "bucket-protection-system"));
    aws = BucketProtectionOperator.awsBucketStore(config);
    store = new RecordingBucketStore(aws);
    operator = new OperatorHarness(kubernetes.client(), store, config);
  }

  @AfterAll
  static void stop() {
    operator.close();
    aws.close();
    kubernetes.close();
    s3.close();
  }

  /** Inline keys and an inline device without a seed: codes are annotated on the resource itself. */
  private static BucketProtection inline(String name, String bucket, String serial) {
    return withSeedlessMfaDelete(withCredentials(protection(NAMESPACE, name, bucket, "Enabled"), "keys"), serial, STEP);
  }

  private static boolean mfaDeleteEnabled(String bucket) {
    GetBucketVersioningResponse versioning = s3.getBucketVersioning(r -> r.bucket(bucket));
    assertEquals(BucketVersioningStatus.ENABLED, versioning.status(), bucket);
    return versioning.mfaDelete() == MFADeleteStatus.ENABLED;
  }

  private static String message(String namespace, String name) {
    return Resources.ready(operator.get(namespace, name)).map(Condition::getMessage).orElse("");
  }

  private static void awaitAnnotationGone(HasMetadata holder) {
    await().atMost(AT_ONCE).until(() -> TokenHolder.annotation(kubernetes.client().resource(holder).get()) == null);
  }

  /** Annotates {@code code} on {@code holder} and asserts that {@code name} converges within {@link #AT_ONCE}. */
  private static void annotateAndConvergeAtOnce(HasMetadata holder, String code, String namespace, String name) {
    long start = System.nanoTime();
    TokenHolder.annotate(kubernetes.client(), holder.getClass(), holder.getMetadata().getNamespace(),
        holder.getMetadata().getName(), code);
    await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
        .until(() -> Resources.converged(operator.get(namespace, name)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertTrue(took.compareTo(AT_ONCE) <= 0, name + " converged " + took.toMillis() + " ms after the annotation");
  }

  @Test
  void inlineDeviceWaitsRejectsAWrongCodeUsesAValidOneOnceAndNeverForTheOtherResource() throws Exception {
    BucketProtection first = operator.create(inline("first", "pc-first", INLINE_SERIAL));
    BucketProtection second = operator.create(inline("second", "pc-second", INLINE_SERIAL));
    operator.awaitReason(NAMESPACE, "first", "AwaitingMfaCode", TIMEOUT);
    operator.awaitReason(NAMESPACE, "second", "AwaitingMfaCode", TIMEOUT);
    assertTrue(message(NAMESPACE, "first").contains("kubectl -n people annotate bp first"), message(NAMESPACE, "first"));
    assertEquals(0, store.putsOf("pc-first") + store.putsOf("pc-second"), "nothing written without a code");
    assertFalse(mfaDeleteEnabled("pc-first"));

    // A wrong code: RadosGW refuses it, the annotation is removed, the change waits for the next.
    String wrong = TOKEN.wrongCode();
    TokenHolder.annotate(kubernetes.client(), BucketProtection.class, NAMESPACE, "first", wrong);
    operator.awaitReason(NAMESPACE, "first", "MfaRejected", TIMEOUT);
    assertTrue(message(NAMESPACE, "first").contains("lock a device after repeated failures"), message(NAMESPACE, "first"));
    assertFalse(message(NAMESPACE, "first").contains(wrong));
    awaitAnnotationGone(first);
    assertEquals(1, store.putsOf("pc-first"));
    assertFalse(mfaDeleteEnabled("pc-first"));

    // The next valid code converges it at once, and is removed.
    String code = TOKEN.codeOfNextStep();
    annotateAndConvergeAtOnce(first, code, NAMESPACE, "first");
    assertTrue(mfaDeleteEnabled("pc-first"), "RadosGW took the person's code");
    awaitAnnotationGone(first);

    // The same code on the other resource of the same device: removed unsent.
    TokenHolder.annotate(kubernetes.client(), BucketProtection.class, NAMESPACE, "second", code);
    operator.awaitReason(NAMESPACE, "second", "MfaCodeExpired", TIMEOUT);
    awaitAnnotationGone(second);
    assertEquals(0, store.putsOf("pc-second"), "a code already sent is never sent again");
    assertEquals(1, store.tokensSent().stream().filter(t -> t.code().equals(code)).count());
    assertFalse(mfaDeleteEnabled("pc-second"));

    annotateAndConvergeAtOnce(second, TOKEN.codeOfNextStep(), NAMESPACE, "second");
    assertTrue(mfaDeleteEnabled("pc-second"));
  }

  @Test
  void aCodePresentBeforeTheOperatorStartedIsExpiredUnsentAndRemoved() {
    // The status says MfaCodeExpired until the next look, then AwaitingMfaCode again: the event stays.
    String text = operator.awaitEvent(NAMESPACE, "before", "MfaCodeExpired", TIMEOUT).getMessage();
    assertTrue(text.contains("before the operator saw it arrive"), text);
    await().atMost(TIMEOUT).until(() -> TokenHolder.annotation(operator.get(NAMESPACE, "before")) == null);
    assertEquals(0, store.putsOf("pc-before"));
    assertFalse(mfaDeleteEnabled("pc-before"));
  }

  @Test
  void threeChangesOnOneAccountsDeviceConvergeFromThreeCodesAnnotatedOnTheAccountOneNamingItsChange() throws Exception {
    kubernetes.client().resource(rootKeys("bucket-protection-system", "root-keys", Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY", SECRET_KEY))).create();
    ClusterS3Account account = Accounts.cluster("person-root", List.of("pca-*"));
    account.getSpec().setCredentials(Accounts.secretRef("root-keys"));
    account.getSpec().setMfa(new MfaSpec(ACCOUNT_SERIAL, null, STEP));
    account.getSpec().setNamespaces(Accounts.names("people-account"));
    account = kubernetes.client().resource(account).create();
    operator.awaitAccountReady(account);
    List<String> names = List.of("one", "two", "three");
    for (String name : names) {
      BucketProtection resource = protection("people-account", name, "pca-" + name, "Enabled");
      resource.getSpec().setMfaDelete("Enabled");
      resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "person-root"));
      operator.create(resource);
      operator.awaitReason("people-account", name, "AwaitingMfaCode", TIMEOUT);
    }
    List<String> converged = new ArrayList<>();
    var accounts = kubernetes.client().resources(ClusterS3Account.class).withName("person-root");
    for (int i = 0; i < names.size(); i++) {
      // The account names the change the next code goes to.
      String prefix = (names.size() - i) + (i == names.size() - 1 ? " change waits" : " changes wait")
          + " for a code; next: BucketProtection people-account/";
      await().atMost(TIMEOUT).until(() -> accounts.get().getStatus().getMfaCodes() != null
          && accounts.get().getStatus().getMfaCodes().startsWith(prefix));
      String line = accounts.get().getStatus().getMfaCodes();
      String next = line.substring(prefix.length(), line.indexOf(','));
      String target = next;
      String code = TOKEN.codeOfNextStep();
      if (i == 1) {
        // A code that names a change (<code>@<change id>) is used for that change at once, wherever it is in line.
        target = names.stream().filter(n -> !converged.contains(n) && !n.equals(next)).findFirst().orElseThrow();
        String id = operator.get("people-account", target).getStatus().getMfaChangeId();
        assertNotNull(id, target);
        assertTrue(message("people-account", target).contains("bucketprotection.io/mfa-code=<6-digit code>@" + id
            + " --overwrite"), message("people-account", target));
        code = code + "@" + id;
      }
      annotateAndConvergeAtOnce(account, code, "people-account", target);
      converged.add(target);
      awaitAnnotationGone(account);
      for (String name : names) {
        assertEquals(converged.contains(name), mfaDeleteEnabled("pca-" + name), name + " after " + converged);
      }
    }
    assertEquals(3, store.tokensSent().stream().filter(t -> t.serialNumber().equals(ACCOUNT_SERIAL)).count(),
        "one code per change");
  }
}

package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.readyReason;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.unlabelledSecret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.AccountReference;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.api.MfaSpec;
import io.bucketprotection.operator.api.SecretKeyReference;
import io.bucketprotection.operator.api.TotpSeedSource;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole reconcile path (validator, Tenancy, secrets, Observer, Decider, Actor, status) in
 * process, through the real informers and the CRUD mock API server, with the fake S3: every value
 * a tenant controls that is known to be hostile ends with its own named reason, and random
 * mixtures of them end with some named reason; none ends a reconcile in an exception
 * ({@code ReconcileError}). Each case lives in a namespace of its own, as a tenant's would.
 */
class HostileReconcileMockApiTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(25);
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/root";
  private static final String GOOD_SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final Map<String, String> GOOD_KEYS = Map.of("AWS_ACCESS_KEY_ID", "AKIDHOSTILE000000001",
      "AWS_SECRET_ACCESS_KEY", "hostile-secret-0123456789");
  private static final int RANDOM_CASES = 30;

  private static MockKubernetes kubernetes;
  private static FakeBucketStore s3;
  private static OperatorHarness operator;

  /** One hostile case: what to do to a fresh resource (and its namespace's Secrets), and the reason it must end with. */
  private record Case(String name, String reason, Consumer<Tenant> setUp) {
  }

  /** A tenant's namespace: its resource (inline root keys in Secret "keys", a seed in Secret "seed") and its Secrets. */
  private static final class Tenant {
    final String namespace;
    final BucketProtection resource;
    final Map<String, String> keys = new LinkedHashMap<>(GOOD_KEYS);
    final Map<String, String> seed = new LinkedHashMap<>(Map.of("seed", GOOD_SEED));
    boolean keysLabelled = true;
    boolean keysPresent = true;

    Tenant(String namespace, String bucket) {
      this.namespace = namespace;
      this.resource = withCredentials(protection(namespace, "hostile", bucket, "Enabled"), "keys");
    }

    /** An inline device; each tenant names its own (a shared serial would be a DeviceConflict, not the point here). */
    void mfa(String serial, String seedKey, Integer period) {
      serial = serial.replace("mfa/root", "mfa/" + namespace);
      resource.getSpec().setMfaDelete("Enabled");
      resource.getSpec().setMfa(new MfaSpec(serial, new TotpSeedSource(new SecretKeyReference("seed", seedKey)),
          period));
    }

    List<Secret> secrets() {
      List<Secret> secrets = new ArrayList<>();
      if (keysPresent) {
        secrets.add(keysLabelled ? rootKeys(namespace, "keys", keys) : unlabelledSecret(namespace, "keys", keys));
      }
      secrets.add(secret(namespace, "seed", seed));
      return secrets;
    }
  }

  /** The known-hostile values, each with the reason it must end with. */
  private static final List<Case> KNOWN = List.of(
      new Case("blank-keys", "InvalidSecret", t -> {
        t.keys.put("AWS_ACCESS_KEY_ID", "   ");
        t.keys.put("AWS_SECRET_ACCESS_KEY", "\t");
      }),
      new Case("blank-secret-key", "InvalidSecret", t -> t.keys.put("AWS_SECRET_ACCESS_KEY", " ")),
      new Case("missing-secret-key", "InvalidSecret", t -> t.keys.remove("AWS_SECRET_ACCESS_KEY")),
      new Case("control-in-key", "InvalidSecret", t -> t.keys.put("AWS_ACCESS_KEY_ID", "AKID\u0000\r\nX-Evil: 1")),
      new Case("non-ascii-key", "InvalidSecret", t -> t.keys.put("AWS_SECRET_ACCESS_KEY", "ключ-секрет")),
      new Case("huge-key", "InvalidSecret", t -> t.keys.put("AWS_ACCESS_KEY_ID", "A".repeat(100_000))),
      new Case("control-in-session-token", "InvalidSecret", t -> t.keys.put("AWS_SESSION_TOKEN", "FQoG\u0000ZXIvYXdz")),
      new Case("region-zz", "InvalidSpec", t -> t.resource.getSpec().setRegion("zz")),
      new Case("region-newline", "InvalidSpec", t -> t.resource.getSpec().setRegion("us-east-1\nInjected")),
      new Case("check-interval-zero", "InvalidSpec", t -> t.resource.getSpec().setCheckInterval("0s")),
      new Case("check-interval-huge", "InvalidSpec", t -> t.resource.getSpec().setCheckInterval("9999999999999999h")),
      new Case("bucket-uppercase", "InvalidSpec", t -> t.resource.getSpec().setBucket("Hostile-Bucket")),
      new Case("owner-not-twelve-digits", "InvalidSpec", t -> t.resource.getSpec().setExpectedBucketOwner("12345")),
      new Case("serial-bidi", "InvalidSpec", t -> t.mfa("arn:aws:iam::123456789012:mfa/root\u202e", "seed", 30)),
      new Case("period-zero", "InvalidSpec", t -> t.mfa(SERIAL, "seed", 0)),
      new Case("seed-not-base32", "InvalidTotpSeed", t -> {
        t.mfa(SERIAL, "seed", 30);
        t.seed.put("seed", "not base32 at all!");
      }),
      new Case("seed-blank", "InvalidTotpSeed", t -> {
        t.mfa(SERIAL, "seed", 30);
        t.seed.put("seed", "  ");
      }),
      new Case("seed-key-missing", "InvalidSecret", t -> t.mfa(SERIAL, "no-such-key", 30)),
      new Case("keys-unlabelled", "SecretNotLabelled", t -> t.keysLabelled = false),
      new Case("keys-missing", "SecretNotFound", t -> t.keysPresent = false),
      new Case("account-missing", "AccountNotFound", t -> {
        t.resource.getSpec().setCredentials(null);
        t.resource.getSpec().setAccountRef(new AccountReference("ClusterS3Account", "no-such-account"));
      }));

  @BeforeAll
  static void start() {
    kubernetes = new MockKubernetes();
    s3 = new FakeBucketStore(Clock.systemUTC());
    s3.createBucketsOnFirstUse();
    operator = new OperatorHarness(kubernetes.newClient("hostile-reconcile-test"), s3,
        OperatorConfig.fromEnvironment(Map.of("BPO_DEFAULT_CHECK_INTERVAL", "1h")));
  }

  @AfterAll
  static void stop() {
    operator.close();
    kubernetes.close();
  }

  private static void create(Tenant tenant) {
    kubernetes.ensureNamespace(tenant.namespace);
    tenant.secrets().forEach(s -> kubernetes.client().resource(s).create());
    operator.create(tenant.resource);
  }

  private static String reasonOf(String namespace) {
    return readyReason(operator.get(namespace, "hostile"));
  }

  @Test
  void eachKnownHostileValueEndsWithItsNamedReasonAndRandomMixturesEndWithANamedReason() {
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < KNOWN.size(); i++) {
      Case c = KNOWN.get(i);
      Tenant tenant = new Tenant("known-" + c.name(), "hostile-" + i);
      c.setUp().accept(tenant);
      create(tenant);
      expected.put(tenant.namespace, c.reason());
    }
    Random random = new Random(20261207L);
    List<String> mixtures = new ArrayList<>();
    for (int i = 0; i < RANDOM_CASES; i++) {
      Tenant tenant = new Tenant("mixed-" + i, "mixed-" + i);
      StringBuilder applied = new StringBuilder();
      for (int j = 0; j < 1 + random.nextInt(3); j++) {
        Case c = KNOWN.get(random.nextInt(KNOWN.size()));
        c.setUp().accept(tenant);
        applied.append(c.name()).append(' ');
      }
      create(tenant);
      mixtures.add(tenant.namespace + ": " + applied.toString().trim());
    }
    List<String> namespaces = new ArrayList<>(expected.keySet());
    mixtures.forEach(m -> namespaces.add(m.substring(0, m.indexOf(':'))));
    try {
      await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
          .until(() -> namespaces.stream().allMatch(ns -> reasonOf(ns) != null));
    } finally {
      Map<String, String> wrong = new TreeMap<>();
      expected.forEach((namespace, reason) -> {
        String seen = reasonOf(namespace);
        if (!reason.equals(seen)) {
          wrong.put(namespace, "expected " + reason + ", got " + seen);
        }
      });
      List<String> errors = mixtures.stream().filter(m -> {
        String seen = reasonOf(m.substring(0, m.indexOf(':')));
        return seen == null || "ReconcileError".equals(seen);
      }).toList();
      assertEquals(Map.of(), wrong, "known-hostile values that did not end with their named reason");
      assertTrue(errors.isEmpty(), "random mixtures that ended in ReconcileError (or nothing): " + errors);
    }
  }
}

package io.bucketprotection.operator.reconcile;

import static io.bucketprotection.operator.testsupport.Resources.protection;
import static io.bucketprotection.operator.testsupport.Resources.rootKeys;
import static io.bucketprotection.operator.testsupport.Resources.secret;
import static io.bucketprotection.operator.testsupport.Resources.withCredentials;
import static io.bucketprotection.operator.testsupport.Resources.withMfaDelete;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.audit.AuditLog;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.mfa.MfaCodeLedger;
import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.mfa.PersonCodes;
import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import io.bucketprotection.operator.act.Actor;
import io.bucketprotection.operator.spec.CodeHolder;
import io.bucketprotection.operator.decide.Decider;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.decide.Facts;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.spec.SpecValidator;
import io.bucketprotection.operator.tenancy.Tenancy;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.observe.DeviceOwnership;
import io.bucketprotection.operator.observe.Observer;
import io.bucketprotection.operator.observe.Signers;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.secrets.CachingSecretsManagerReader;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretReader;
import io.bucketprotection.operator.secrets.SecretResolver;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MutableClock;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Observe, decide and act for one resource, synchronously: the real observer, decider, actor and
 * MFA ledger against the fake S3 (which enforces the hand-written S3 table), with a clock the
 * test moves. No Kubernetes, no threads, no sleeps.
 */
class BucketReconciliationTest {

  private static final String SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String WRONG_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final String SERIAL = "arn:aws:iam::123456789012:mfa/root";
  private static final int PERIOD = 30;
  /** 10:00:00 is the start of a step; the ledger sends nothing in the step it starts in. */
  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");

  private final MutableClock clock = new MutableClock(START);
  private final FakeBucketStore s3 = new FakeBucketStore(clock);
  private final Map<String, Secret> secrets = new ConcurrentHashMap<>();
  private final java.io.ByteArrayOutputStream auditBytes = new java.io.ByteArrayOutputStream();
  private final java.io.PrintStream audit = new java.io.PrintStream(auditBytes, true,
      java.nio.charset.StandardCharsets.UTF_8);
  private BucketReconciliation reconciliation;
  private PersonCodes personCodes;
  /** Code annotations by holder key ("BucketProtection/team/b"), as the informer caches hold them. */
  private final Map<String, String> annotated = new ConcurrentHashMap<>();
  /** Removals the actor asked for, as "holder key=code". */
  private final java.util.List<String> removed = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void wire() throws Exception {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());
    SecretResolver resolver = new SecretResolver(
        new SecretReader((namespace, name) -> Optional.ofNullable(secrets.get(namespace + "/" + name))),
        new CachingSecretsManagerReader((id, region) -> {
          throw new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, "no Secrets Manager here");
        }, Duration.ofMinutes(5), clock));
    OperatorMetrics metrics = new OperatorMetrics(new SimpleMeterRegistry());
    MfaCodeLedger ledger = new MfaCodeLedger(clock, Duration.ofMinutes(15));
    Signers signers = new Signers(resolver, config.defaultRegion());
    reconciliation = new BucketReconciliation(new Observer(s3, signers, clock), new Decider(Duration.ofSeconds(5)),
        new Actor(s3, ledger, new TotpCodeGenerator(), resolver, metrics, new AuditLog(() -> audit, clock),
            config.defaultRegion(), personCodes = new PersonCodes(clock), (holder, code) -> {
              removed.add(holder.key() + "=" + code);
              annotated.remove(holder.key(), code);
            }, signers, clock), resolver,
        new DeviceOwnership(signers, io.bucketprotection.operator.s3.IdentityChecks.NONE, metrics), clock);
    s3.registerDevice(SERIAL, SEED, PERIOD);
    seed(SEED);
    keys();
  }

  /** The audit lines written so far, parsed. */
  private java.util.List<com.fasterxml.jackson.databind.JsonNode> auditLines() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
    for (String line : auditBytes.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(mapper.readTree(line));
      }
    }
    return lines;
  }

  private void keys() {
    secrets.put("team/root-keys", rootKeys("team", "root-keys", Map.of("AWS_ACCESS_KEY_ID", "AKIDRECONCILIATION01",
        "AWS_SECRET_ACCESS_KEY", "reconciliation-secret-0123456789")));
  }

  private void seed(String value) {
    Secret secret = secret("team", "root-mfa", Map.of("seed", value));
    secrets.put("team/root-mfa", secret);
  }

  /** No other resource or account: this one writes, and its device is its own. */
  private final BucketReconciliation.Neighbours alone = new BucketReconciliation.Neighbours() {
    @Override
    public Facts.Writer writer(BucketProtection resource, DesiredState desired) {
      return Facts.Writer.SELF;
    }

    @Override
    public void cannotRead(BucketProtection resource) {
    }

    @Override
    public Optional<String> deviceHolder(BucketProtection resource, DesiredState desired, MfaDevice device) {
      return Optional.empty();
    }

    @Override
    public String annotatedCode(BucketProtection resource, CodeHolder holder) {
      return annotated.get(holder.key());
    }
  };

  private Verdict run(BucketProtection resource) throws Exception {
    OperatorConfig config = OperatorConfig.fromEnvironment(Map.of());
    DesiredState desired = Tenancy.bind(resource, SpecValidator.validate(resource, config), NO_ACCOUNTS, config)
        .desired();
    return reconciliation.run(resource, desired, alone);
  }

  /** These resources use inline credentials: no account is ever looked up. */
  private static final Tenancy.View NO_ACCOUNTS = new Tenancy.View() {
    @Override
    public Optional<io.bucketprotection.operator.api.ClusterS3Account> clusterAccount(String name) {
      return Optional.empty();
    }

    @Override
    public Optional<io.bucketprotection.operator.api.S3Account> account(String namespace, String name) {
      return Optional.empty();
    }

    @Override
    public Optional<Map<String, String>> namespaceLabels(String namespace) {
      return Optional.empty();
    }

    @Override
    public boolean servesClusterAccounts() {
      return true;
    }
  };

  private static BucketProtection mfaDeleteOn(String bucket) {
    BucketProtection resource = withCredentials(withMfaDelete(protection("team", bucket, bucket, "Enabled"), "Enabled",
        SERIAL, "root-mfa", PERIOD), "root-keys");
    resource.getMetadata().setGeneration(1L);
    resource.getMetadata().setUid("uid-" + bucket);
    return resource;
  }

  /** Past the ledger's restart guard (look-ahead + 1 steps after it was made). */
  private void nextStep(int steps) {
    clock.set(clock.instant().plusSeconds((long) PERIOD * steps));
  }

  @Test
  void writeWithACode() throws Exception {
    s3.setState("with-code", S3VersioningTable.E);
    nextStep(1);
    Verdict verdict = run(mfaDeleteOn("with-code"));
    assertEquals(Reason.Applied, verdict.reason(), verdict.message());
    assertEquals(S3VersioningTable.EM, s3.state("with-code"));
    assertEquals(1, s3.tokensReceived().size());
    long step = clock.instant().getEpochSecond() / PERIOD;
    assertEquals(new TotpCodeGenerator().code(TotpSeed.parse(SEED), step), s3.tokensReceived().get(0).code(),
        "the code of the current step");
    assertEquals(1, s3.calls("GetBucketLifecycleConfiguration"), "lifecycle read before switching MFA Delete on");

    var lines = auditLines();
    assertEquals(1, lines.size(), "one audit line for the one write");
    var line = lines.get(0);
    assertEquals("bucketprotection.io/v1", line.get("audit").asText());
    assertEquals("team", line.get("namespace").asText());
    assertEquals("uid-with-code", line.get("uid").asText());
    assertTrue(line.get("accountKind").isNull(), "inline credentials: no account");
    assertEquals("Enabled", line.get("before").get("versioning").asText());
    assertEquals("Disabled", line.get("before").get("mfaDelete").asText());
    assertEquals("Enabled", line.get("after").get("mfaDelete").asText());
    assertEquals(SERIAL, line.get("serialNumber").asText());
    assertEquals(step, line.get("step").asLong());
    assertEquals("seed", line.get("codeSource").asText());
    assertEquals("Applied", line.get("outcome").asText());
    assertEquals("fake-1", line.get("requestId").asText());
    assertTrue(line.get("extendedRequestId").isNull());
    assertTrue(!auditBytes.toString(java.nio.charset.StandardCharsets.UTF_8).contains(s3.tokensReceived().get(0).code()),
        "the code itself is never written");
  }

  @Test
  void aRefusedCodeIsTriedOnceMoreAtTheNextStepThenTheDevicePauses() throws Exception {
    seed(WRONG_SEED);
    s3.setState("refused", S3VersioningTable.E);
    nextStep(1);
    Verdict first = run(mfaDeleteOn("refused"));
    assertEquals(Reason.MfaRejected, first.reason(), first.message());
    assertEquals(START.plusSeconds(2L * PERIOD), first.retryAt(), "the device's next step, never at once");
    assertEquals(S3VersioningTable.E, s3.state("refused"), "a refused write changes nothing");

    nextStep(1);
    Verdict second = run(mfaDeleteOn("refused"));
    assertEquals(Reason.MfaDevicePaused, second.reason(), second.message());
    assertEquals(clock.instant().plus(Duration.ofMinutes(15)), second.retryAt());
    nextStep(1);
    assertEquals(Reason.MfaDevicePaused, run(mfaDeleteOn("refused")).reason(), "paused: no third code");
    assertEquals(2, s3.codesRefused(SERIAL));
    assertEquals(2, s3.tokensReceived().size());

    seed(SEED); // a changed seed lifts the pause
    Verdict fixed = run(mfaDeleteOn("refused"));
    assertEquals(Reason.Applied, fixed.reason(), fixed.message());
    assertEquals(java.util.List.of("MfaRejected", "MfaRejected", "Applied"),
        auditLines().stream().map(l -> l.get("outcome").asText()).toList(), "one line for every code sent");
  }

  @Test
  void aRefusedWriteIsReportedAndSpendsNoStep() throws Exception {
    s3.setState("object-lock", S3VersioningTable.E);
    s3.failPut("object-lock", new BucketStoreException(S3ErrorKind.OBJECT_LOCK_CONFLICT, "InvalidBucketState", 409,
        "InvalidBucketState (HTTP 409): An Object Lock configuration is present on this bucket"));
    BucketProtection suspend = withCredentials(protection("team", "object-lock", "object-lock", "Suspended"),
        "root-keys");
    suspend.getMetadata().setGeneration(1L);
    // Suspending weakens the bucket: the resource carries its key for that.
    suspend.getMetadata().setAnnotations(Map.of(Tenancy.ALLOW_WEAKENING, "object-lock"));
    Verdict verdict = run(suspend);
    assertEquals(Reason.ObjectLockConflict, verdict.reason());
    assertTrue(verdict.message().startsWith("PutBucketVersioning on bucket object-lock"), verdict.message());
    assertEquals(S3VersioningTable.E, verdict.observed());
    assertNull(verdict.change());
    assertEquals(S3VersioningTable.E, s3.state("object-lock"));
    assertTrue(s3.tokensReceived().isEmpty());
    var lines = auditLines();
    assertEquals(1, lines.size(), "a refused write is audited too");
    assertEquals("ObjectLockConflict", lines.get(0).get("outcome").asText());
    assertTrue(lines.get(0).get("codeSource").isNull());
    assertTrue(lines.get(0).get("step").isNull());
  }

  @Test
  void noWriteWhenInSyncOrWhileWaitingForAStep() throws Exception {
    s3.setState("in-sync", S3VersioningTable.EM);
    Verdict inSync = run(mfaDeleteOn("in-sync"));
    assertEquals(Reason.InSync, inSync.reason());
    assertEquals(0, s3.calls("PutBucketVersioning"));
    assertEquals(0, s3.calls("GetBucketLifecycleConfiguration"), "no lifecycle read when nothing is switched on");

    s3.setState("waiting", S3VersioningTable.E);
    // Still in the step the ledger was made in: a previous process may have used it.
    Verdict waiting = run(mfaDeleteOn("waiting"));
    assertEquals(Reason.WaitingForMfaWindow, waiting.reason(), waiting.message());
    assertNotNull(waiting.retryAt());
    assertEquals(START.plusSeconds(PERIOD), waiting.retryAt());
    assertEquals(0, s3.calls("PutBucketVersioning"));
    assertTrue(s3.tokensReceived().isEmpty());
    assertEquals(0, auditLines().size(), "nothing written, nothing audited");
  }

  @Test
  void aMissingSeedIsReportedAfterTheReadAndSpendsNothing() throws Exception {
    secrets.remove("team/root-mfa");
    s3.setState("no-seed", S3VersioningTable.E);
    nextStep(1);
    Verdict verdict = run(mfaDeleteOn("no-seed"));
    assertEquals(Reason.SecretNotFound, verdict.reason());
    assertTrue(verdict.message().contains("needed for the MFA seed"), verdict.message());
    assertEquals(S3VersioningTable.E, verdict.observed());
    assertEquals(0, s3.calls("PutBucketVersioning"));
  }

  @Test
  void unusableCredentialsCostNoS3Call() throws Exception {
    s3.setState("no-keys", S3VersioningTable.E);
    BucketProtection resource = withCredentials(mfaDeleteOn("no-keys"), "missing-keys");
    Verdict verdict = run(resource);
    assertEquals(Reason.SecretNotFound, verdict.reason());
    // Inline keys without an observer sign the read too: they are the root keys, read just in time.
    assertTrue(verdict.message().contains("needed for the root credentials"), verdict.message());
    assertEquals(0, s3.calls("GetBucketVersioning") + s3.calls("PutBucketVersioning"));
  }

  // --- Codes a person supplies (no seed stored) ---

  /** Inline MFA without totpSeed: a person annotates the resource itself. */
  private static BucketProtection personCodesOn(String bucket) {
    BucketProtection resource = mfaDeleteOn(bucket);
    resource.getSpec().getMfa().setTotpSeed(null);
    return resource;
  }

  /** A person annotates {@code code} on the resource, as the informer's update filter sees it arrive. */
  private void annotate(String bucket, String code) {
    String key = CodeHolder.resource("team", bucket).key();
    personCodes.changed(key, annotated.get(key), code);
    annotated.put(key, code);
  }

  private String currentCode() throws Exception {
    return new TotpCodeGenerator().code(TotpSeed.parse(SEED), clock.instant().getEpochSecond() / PERIOD);
  }

  @Test
  void withoutASeedAChangeWaitsForAPersonsCodeAndWritesNothing() throws Exception {
    s3.setState("person-wait", S3VersioningTable.E);
    Verdict verdict = run(personCodesOn("person-wait"));
    assertEquals(Reason.AwaitingMfaCode, verdict.reason(), verdict.message());
    assertTrue(verdict.message().contains("place 1 of 1"), verdict.message());
    assertTrue(verdict.message().contains("kubectl -n team annotate bp person-wait bucketprotection.io/mfa-code="),
        verdict.message());
    assertEquals(0, s3.calls("PutBucketVersioning"));
    assertNotNull(verdict.retryAt(), "it asks again to keep its place");
  }

  @Test
  void aFreshCodeIsUsedOnceForThisChangeAndRemoved() throws Exception {
    s3.setState("person-use", S3VersioningTable.E);
    s3.setState("seed-same-moment", S3VersioningTable.E);
    run(personCodesOn("person-use"));
    String code = currentCode();
    annotate("person-use", code);
    // START is in the step the ledger's restart guard holds back: a code from the seed waits...
    assertEquals(Reason.WaitingForMfaWindow, run(mfaDeleteOn("seed-same-moment")).reason());
    // ...a person's code does not (its freshness is the person's; the ledger never made it).
    Verdict verdict = run(personCodesOn("person-use"));
    assertEquals(Reason.Applied, verdict.reason(), verdict.message());
    assertEquals(S3VersioningTable.EM, s3.state("person-use"));
    assertEquals(code, s3.tokensReceived().get(0).code());
    assertEquals(java.util.List.of("BucketProtection/team/person-use=" + code), removed, "removed once used");
    var line = auditLines().get(0);
    assertEquals("person", line.get("codeSource").asText());
    assertTrue(line.get("step").isNull(), "a person's code has no step the operator knows");
    assertTrue(!auditBytes.toString(java.nio.charset.StandardCharsets.UTF_8).contains(code), "never the code");
  }

  @Test
  void theSameCodeAnnotatedAgainIsNeverSentTwice() throws Exception {
    s3.setState("person-first", S3VersioningTable.E);
    s3.setState("person-second", S3VersioningTable.E);
    // Both resources name one inline device without a seed (one hardware token).
    String code = currentCode();
    annotate("person-first", code);
    assertEquals(Reason.Applied, run(personCodesOn("person-first")).reason());
    annotate("person-second", code);
    Verdict second = run(personCodesOn("person-second"));
    assertEquals(Reason.MfaCodeExpired, second.reason(), second.message());
    assertTrue(second.message().contains("already sent that code"), second.message());
    assertEquals(1, s3.calls("PutBucketVersioning"), "sent once");
    assertTrue(removed.contains("BucketProtection/team/person-second=" + code), "the stale one is removed");
  }

  @Test
  void aCodeTheOperatorDidNotSeeArriveOrThatWaitedAStepIsExpired() throws Exception {
    s3.setState("person-old", S3VersioningTable.E);
    // Already there, never seen arriving (as after a restart).
    annotated.put(CodeHolder.resource("team", "person-old").key(), currentCode());
    Verdict before = run(personCodesOn("person-old"));
    assertEquals(Reason.MfaCodeExpired, before.reason(), before.message());
    assertTrue(before.message().contains("before the operator saw it arrive"), before.message());
    // Seen arriving, but used only after more than a step.
    annotate("person-old", currentCode());
    nextStep(1);
    clock.set(clock.instant().plusSeconds(1));
    Verdict late = run(personCodesOn("person-old"));
    assertEquals(Reason.MfaCodeExpired, late.reason(), late.message());
    assertTrue(late.message().contains("more than one step"), late.message());
    assertEquals(0, s3.calls("PutBucketVersioning"));
  }

  @Test
  void aWrongCodeIsRejectedPausesNothingAndTheNextCodeConverges() throws Exception {
    s3.setState("person-wrong", S3VersioningTable.E);
    String right = currentCode();
    String wrong = right.equals("000000") ? "111111" : "000000";
    annotate("person-wrong", wrong);
    Verdict refused = run(personCodesOn("person-wrong"));
    assertEquals(Reason.MfaRejected, refused.reason(), refused.message());
    assertTrue(refused.message().contains("lock a device after repeated failures"), refused.message());
    assertTrue(removed.contains("BucketProtection/team/person-wrong=" + wrong), "a refused code is removed too");
    annotate("person-wrong", wrong.equals("000000") ? "222222" : "333333");
    assertEquals(Reason.MfaRejected, run(personCodesOn("person-wrong")).reason(), "a second refusal pauses nothing");
    nextStep(1);
    annotate("person-wrong", currentCode());
    assertEquals(Reason.Applied, run(personCodesOn("person-wrong")).reason());
  }

  @Test
  void driftOnABucketWhoseSeedNobodyStoresIsReportedAndWaitsForACode() throws Exception {
    s3.setState("person-drift", S3VersioningTable.E);
    BucketProtection resource = personCodesOn("person-drift");
    // The bucket had matched this generation (MFA Delete on); someone switched it off.
    var status = new io.bucketprotection.operator.api.BucketProtectionStatus();
    status.setSyncedGeneration(1L);
    resource.setStatus(status);
    Verdict verdict = run(resource);
    assertEquals(Reason.AwaitingMfaCode, verdict.reason(), verdict.message());
    assertNotNull(verdict.drift(), "drift is reported (a Warning event and bpo_drift_detected_total)");
    assertEquals(java.util.Map.of("arn:aws:iam::123456789012:mfa/root at aws", 1), personCodes.waitingByDevice());
  }
}

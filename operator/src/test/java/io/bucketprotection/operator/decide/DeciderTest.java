package io.bucketprotection.operator.decide;

import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.DesiredState;
import io.bucketprotection.operator.spec.ObserverIdentity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.mfa.MfaDevice;
import io.bucketprotection.operator.decide.Facts.CredentialKind;
import io.bucketprotection.operator.decide.Facts.Lifecycle;
import io.bucketprotection.operator.s3.BucketAddress;
import io.bucketprotection.operator.s3.BucketState;
import io.bucketprotection.operator.s3.BucketStoreException;
import io.bucketprotection.operator.s3.S3ErrorKind;
import io.bucketprotection.operator.secrets.SecretProblem;
import io.bucketprotection.operator.secrets.SecretSource;
import io.bucketprotection.operator.testsupport.S3VersioningTable;
import io.bucketprotection.operator.testsupport.S3VersioningTable.Target;
import io.bucketprotection.operator.testsupport.S3VersioningTable.Transition;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The decide step, with no S3, no clock and no threads. The expected outcomes come from
 * {@link S3VersioningTable}, written by hand from S3's documentation and checked against RadosGW,
 * and from the order of rules the operator documents; every combination of the inputs that
 * matter is tried, then named cases check the messages.
 */
class DeciderTest {

  private static final Duration MAX_SKEW = Duration.ofSeconds(5);
  private static final Decider DECIDER = new Decider(MAX_SKEW);
  private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
  private static final BucketAddress ADDRESS = new BucketAddress(URI.create("http://127.0.0.1:7480"), null, "b", null);
  private static final AccountSettings.MfaSettings MFA = new AccountSettings.MfaSettings("arn:aws:iam::1:mfa/root",
      new SecretSource.KubernetesSecret("team", "root-mfa", "seed"), 30, 0, "BucketProtection team/b", null);
  private static final MfaDevice DEVICE = new MfaDevice("http://127.0.0.1:7480", MFA.serialNumber());
  private static final BucketStoreException ACCESS_DENIED =
      new BucketStoreException(S3ErrorKind.ACCESS_DENIED, "AccessDenied", 403, "AccessDenied (HTTP 403)");

  private enum LifecycleCase { NO_RULES, RULES, UNREADABLE }

  private enum DeviceCase { NOT_ASKED, GRANTED, QUEUED, PAUSED, SEED_MISSING, SEED_INVALID, CLAIMED, ROOT_MISSING,
    ROOT_TEMPORARY, NOT_OWNED, PROOF_FAILED, QUEUE_FULL }

  /** The account's root keys: they sign coded writes only, and act reads them just in time. */
  static final SecretSource ROOT = new SecretSource.KubernetesSecret("team", "root-keys", null);

  static DesiredState desired(Target row, boolean observe, boolean withMfa, boolean weakeningAllowed,
      boolean unknownField) {
    return new DesiredState("b", row.versioning(), row.mfaDelete(), observe, null, null, ROOT, null,
        withMfa ? MFA : null, Duration.ofMinutes(5), null,
        new DesiredState.WeakeningGuard(weakeningAllowed, true),
        unknownField ? List.of("spec.futureSafetyField") : List.of());
  }

  static DesiredState desired(Target row, boolean observe, boolean withMfa, boolean weakeningAllowed) {
    return desired(row, observe, withMfa, weakeningAllowed, false);
  }

  static DesiredState desired(Target row, boolean observe, boolean withMfa) {
    return desired(row, observe, withMfa, false);
  }

  static Facts.BucketRead read(BucketState observed, CredentialKind credentials, Lifecycle lifecycle,
      boolean skewed, boolean matchedBefore, boolean writer) {
    Instant serverTime = skewed ? NOW.plusSeconds(45) : NOW.plusSeconds(1);
    return new Facts.BucketRead(ADDRESS, credentials, observed, serverTime, NOW, lifecycle, matchedBefore,
        writer ? Facts.Writer.SELF : Facts.Writer.other("BucketProtection team/older (older)"));
  }

  static Facts.BucketRead read(BucketState observed, CredentialKind credentials, Lifecycle lifecycle,
      boolean skewed, boolean matchedBefore) {
    return read(observed, credentials, lifecycle, skewed, matchedBefore, true);
  }

  static Lifecycle lifecycle(LifecycleCase c) {
    return switch (c) {
      case NO_RULES -> new Lifecycle.Read(false);
      case RULES -> new Lifecycle.Read(true);
      case UNREADABLE -> new Lifecycle.Unreadable(ACCESS_DENIED);
    };
  }

  static DeviceState device(DeviceCase c) {
    return switch (c) {
      case NOT_ASKED -> DeviceState.NOT_ASKED;
      case GRANTED -> new DeviceState.Granted(DEVICE, 42, Duration.ZERO);
      case QUEUED -> new DeviceState.Queued(NOW.plusSeconds(30), 2, 3);
      case PAUSED -> new DeviceState.Paused(NOW.plusSeconds(900));
      case SEED_MISSING -> new DeviceState.SeedUnreadable(
          new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, "Secret ns/root-mfa does not exist"));
      case SEED_INVALID -> new DeviceState.SeedInvalid("the seed is not Base32");
      case CLAIMED -> new DeviceState.Claimed("ClusterS3Account prod");
      case ROOT_MISSING -> new DeviceState.RootKeysUnusable(
          new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, "Secret team/root-keys does not exist"));
      case ROOT_TEMPORARY -> new DeviceState.RootKeysTemporary();
      case NOT_OWNED -> new DeviceState.NotOwned("The root keys in Secret team/root-keys are not the root user of"
          + " account 1");
      case PROOF_FAILED -> new DeviceState.ProofFailed(Reason.EndpointUnreachable, "Proving failed: no answer");
      case QUEUE_FULL -> new DeviceState.QueueFull(NOW.plusSeconds(30), 100);
    };
  }

  /**
   * What the operator must do, stated independently of the decider: the S3 facts come from the
   * hand-written table, the order of the checks from the docs ("the bucket matches; Observe;
   * another resource writes; weakening without both keys; no code needed; no mfa block;
   * temporary credentials, lifecycle, clock; the device").
   *
   * @return a reason, or null for "write" (checked separately)
   */
  static Reason expectedReason(Target row, boolean unknownField, boolean observe, boolean writer, boolean keys,
      boolean withMfa, CredentialKind credentials, LifecycleCase lifecycle, boolean skewed, DeviceCase device) {
    if (unknownField) {
      return Reason.UnsupportedField;
    }
    if (row.transition().isEmpty()) {
      return Reason.InSync;
    }
    Transition t = row.transition().get();
    if (observe) {
      return Reason.DriftDetected;
    }
    if (!writer) {
      return Reason.Conflict;
    }
    if (t.weakens() && !keys) {
      return Reason.WeakeningDenied;
    }
    if (!t.needsCode()) {
      return null;
    }
    if (!withMfa) {
      return Reason.MfaRequired;
    }
    if (credentials == CredentialKind.TEMPORARY) {
      return Reason.TemporaryCredentials;
    }
    boolean switchesMfaDeleteOn = t.to().mfaDeleteEnabled() && !t.from().mfaDeleteEnabled();
    if (switchesMfaDeleteOn && lifecycle == LifecycleCase.RULES) {
      return Reason.LifecycleConflict;
    }
    if (switchesMfaDeleteOn && lifecycle == LifecycleCase.UNREADABLE) {
      return Reason.AccessDenied;
    }
    if (skewed) {
      return Reason.ClockSkew;
    }
    return switch (device) {
      case NOT_ASKED, GRANTED -> null;
      case QUEUED -> Reason.WaitingForMfaWindow;
      case PAUSED -> Reason.MfaDevicePaused;
      case SEED_MISSING -> Reason.SecretNotFound;
      case SEED_INVALID -> Reason.InvalidTotpSeed;
      case CLAIMED -> Reason.DeviceConflict;
      case ROOT_MISSING -> Reason.SecretNotFound;
      case ROOT_TEMPORARY -> Reason.TemporaryCredentials;
      case NOT_OWNED -> Reason.DeviceNotOwned;
      case PROOF_FAILED -> Reason.EndpointUnreachable;
      case QUEUE_FULL -> Reason.DeviceQueueFull;
    };
  }

  @Test
  void everyCombinationFollowsTheTableAndTheOrderOfRules() {
    List<String> failures = new ArrayList<>();
    int combinations = 0;
    for (Target row : S3VersioningTable.targets()) {
     for (boolean unknownField : new boolean[] {false, true}) {
      for (boolean observe : new boolean[] {false, true}) {
        for (boolean writer : new boolean[] {false, true}) {
          for (boolean keys : new boolean[] {false, true}) {
            for (boolean withMfa : new boolean[] {false, true}) {
              for (boolean matchedBefore : new boolean[] {false, true}) {
                for (CredentialKind credentials : CredentialKind.values()) {
                  for (LifecycleCase lifecycle : LifecycleCase.values()) {
                    for (boolean skewed : new boolean[] {false, true}) {
                      for (DeviceCase deviceCase : DeviceCase.values()) {
                        combinations++;
                        try {
                          check(row, unknownField, observe, writer, keys, withMfa, matchedBefore, credentials,
                              lifecycle, skewed, deviceCase);
                        } catch (AssertionError e) {
                          failures.add(row + " unknownField=" + unknownField + " observe=" + observe
                              + " writer=" + writer + " keys=" + keys
                              + " mfa=" + withMfa + " matchedBefore=" + matchedBefore + " " + credentials + " "
                              + lifecycle + " skewed=" + skewed + " " + deviceCase + ": " + e.getMessage());
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
     }
    }
    assertEquals(25 * 2 * 2 * 2 * 2 * 2 * 2 * 3 * 3 * 2 * 12, combinations);
    assertTrue(failures.isEmpty(), failures.size() + " wrong, first: " + failures.stream().limit(5).toList());
  }

  private static void check(Target row, boolean unknownField, boolean observe, boolean writer, boolean keys,
      boolean withMfa, boolean matchedBefore, CredentialKind credentials, LifecycleCase lifecycleCase, boolean skewed,
      DeviceCase deviceCase) {
    DesiredState desired = desired(row, observe, withMfa, keys, unknownField);
    Outcome outcome = DECIDER.decide(desired, read(row.observed(), credentials, lifecycle(lifecycleCase), skewed,
        matchedBefore, writer), device(deviceCase), NOW);
    Reason expected = expectedReason(row, unknownField, observe, writer, keys, withMfa, credentials, lifecycleCase,
        skewed, deviceCase);
    Optional<Transition> transition = row.transition();
    if (expected != null) {
      Verdict verdict = assertInstanceOf(Verdict.class, outcome);
      assertEquals(expected, verdict.reason());
      assertNull(verdict.change(), "nothing was changed");
      assertEquals(row.observed(), verdict.observed(), "the bucket was observed");
      // Drift is decided once: it is there exactly when the bucket had matched and differs now.
      assertEquals(matchedBefore && transition.isPresent() && !unknownField, verdict.drift() != null, "drift");
      return;
    }
    Transition t = transition.orElseThrow();
    Outcome.Write write = assertInstanceOf(Outcome.Write.class, outcome);
    assertEquals(t.to(), write.target(), "target");
    assertEquals(t.needsCode(), write.needsCode(), "needs a code");
    assertEquals(t.weakens(), write.weakens(), "weakens");
    assertEquals(matchedBefore, write.drift() != null, "drift");
    if (t.needsCode()) {
      assertEquals(deviceCase == DeviceCase.GRANTED, write.grant() != null, "grant");
      assertEquals(deviceCase == DeviceCase.NOT_ASKED, write.awaitsStep(), "asks the device");
    } else {
      assertNull(write.grant(), "no code, no step");
    }
  }

  @Test
  void theLifecycleIsReadExactlyWhenAnEnforcedChangeWouldSwitchMfaDeleteOn() {
    for (Target row : S3VersioningTable.targets()) {
      boolean switchesOn = row.transition().map(t -> t.to().mfaDeleteEnabled() && !t.from().mfaDeleteEnabled())
          .orElse(false);
      for (boolean observe : new boolean[] {false, true}) {
        for (boolean withMfa : new boolean[] {false, true}) {
          for (CredentialKind credentials : CredentialKind.values()) {
            boolean expected = switchesOn && !observe && withMfa && credentials != CredentialKind.TEMPORARY;
            assertEquals(expected, Decider.needsLifecycle(desired(row, observe, withMfa), row.observed(), credentials),
                row + " observe=" + observe + " mfa=" + withMfa + " " + credentials);
          }
        }
      }
    }
  }

  @Test
  void switchingMfaDeleteOnWithoutHavingReadTheLifecycleIsABugNotAWrite() {
    Target row = S3VersioningTable.targets().stream()
        .filter(r -> r.observed().equals(S3VersioningTable.E) && Boolean.TRUE.equals(r.mfaDelete())).findFirst()
        .orElseThrow();
    assertThrows(IllegalStateException.class, () -> DECIDER.decide(desired(row, false, true),
        read(row.observed(), CredentialKind.ACCESS_KEYS, Lifecycle.NOT_READ, false, false), DeviceState.NOT_ASKED,
        NOW));
  }

  @Test
  void failuresBeforeTheReadBecomeTheirReasonsWithoutDrift() {
    Target row = S3VersioningTable.targets().get(0);
    Verdict noKeys = assertInstanceOf(Verdict.class, DECIDER.decide(desired(row, false, false),
        new Facts.CredentialsUnusable(new SecretProblem(SecretProblem.Kind.KEY_MISSING, "Secret ns/keys has no key X")),
        DeviceState.NOT_ASKED, NOW));
    assertEquals(Reason.InvalidSecret, noKeys.reason());
    assertTrue(noKeys.message().contains("needed for the S3 credentials"), noKeys.message());
    Verdict unreadable = assertInstanceOf(Verdict.class, DECIDER.decide(desired(row, false, false),
        new Facts.BucketUnreadable(ADDRESS, new BucketStoreException(S3ErrorKind.THROTTLED, "SlowDown", 503,
            "SlowDown (HTTP 503)")), DeviceState.NOT_ASKED, NOW));
    assertEquals(Reason.Throttled, unreadable.reason());
    assertNull(unreadable.observed());
    assertNull(unreadable.drift());
  }

  @Test
  void aCodedChangeOfAnAccountWithoutRootKeysIsMfaRequiredAndSpendsNothing() {
    Target switchOn = S3VersioningTable.targets().stream()
        .filter(r -> r.observed().equals(S3VersioningTable.E) && Boolean.TRUE.equals(r.mfaDelete())).findFirst()
        .orElseThrow();
    DesiredState observerOnly = new DesiredState("b", switchOn.versioning(), switchOn.mfaDelete(), false, null, null,
        null, null, MFA, Duration.ofMinutes(5), AccountId.cluster("readers"), new DesiredState.WeakeningGuard(false,
        false), List.of(), new ObserverIdentity.OperatorChain());
    Verdict verdict = assertInstanceOf(Verdict.class, DECIDER.decide(observerOnly,
        read(S3VersioningTable.E, CredentialKind.OBSERVER, new Lifecycle.Read(false), false, false),
        DeviceState.NOT_ASKED, NOW));
    assertEquals(Reason.MfaRequired, verdict.reason());
    assertTrue(verdict.message().contains("names no root keys (spec.credentials)"), verdict.message());
    // A change that needs no code is the observer's to write.
    Target enable = S3VersioningTable.targets().stream()
        .filter(r -> r.observed().equals(S3VersioningTable.U) && r.mfaDelete() == null
            && r.versioning() == io.bucketprotection.operator.s3.VersioningStatus.ENABLED).findFirst().orElseThrow();
    DesiredState plain = new DesiredState("b", enable.versioning(), null, false, null, null, null, null, MFA,
        Duration.ofMinutes(5), AccountId.cluster("readers"), new DesiredState.WeakeningGuard(false, false), List.of(),
        new ObserverIdentity.OperatorChain());
    assertInstanceOf(Outcome.Write.class, DECIDER.decide(plain,
        read(S3VersioningTable.U, CredentialKind.OBSERVER, Lifecycle.NOT_READ, false, false), DeviceState.NOT_ASKED,
        NOW));
  }

  @Test
  void namedCases() {
    Target suspendLocked = S3VersioningTable.targets().stream()
        .filter(r -> r.observed().equals(S3VersioningTable.EM) && r.mfaDelete() == null
            && r.versioning() == io.bucketprotection.operator.s3.VersioningStatus.SUSPENDED).findFirst().orElseThrow();
    // Suspending while MFA Delete is on keeps MFA Delete (unmanaged) and needs a code.
    Outcome.Write write = assertInstanceOf(Outcome.Write.class, DECIDER.decide(desired(suspendLocked, false, true, true),
        read(S3VersioningTable.EM, CredentialKind.ACCESS_KEYS, Lifecycle.NOT_READ, false, false),
        DeviceState.NOT_ASKED, NOW));
    assertEquals(S3VersioningTable.SM, write.target());
    assertTrue(write.needsCode() && write.weakens());
    assertEquals("versioning Enabled -> Suspended", write.change());

    Verdict skew = assertInstanceOf(Verdict.class, DECIDER.decide(desired(suspendLocked, false, true, true),
        read(S3VersioningTable.EM, CredentialKind.ACCESS_KEYS, Lifecycle.NOT_READ, true, true),
        DeviceState.NOT_ASKED, NOW));
    assertTrue(skew.message().contains("differ by 45 s, more than 5 s"), skew.message());
    assertTrue(skew.message().contains("No MFA code was spent"), skew.message());
    assertEquals("versioning Enabled -> Suspended", skew.drift());

    Verdict queued = assertInstanceOf(Verdict.class, DECIDER.decide(desired(suspendLocked, false, true, true),
        read(S3VersioningTable.EM, CredentialKind.ACCESS_KEYS, Lifecycle.NOT_READ, false, false),
        device(DeviceCase.QUEUED), NOW));
    assertEquals("Applying versioning Enabled -> Suspended needs a code from MFA device arn:aws:iam::1:mfa/root,"
        + " which gives one code per 30 s step to one change at a time: waiting for its turn, place 2 of 3 among this"
        + " namespace's changes waiting for it. The line is shared fairly between namespaces, one change of each in"
        + " turn.", queued.message());
    assertEquals(NOW.plusSeconds(30), queued.retryAt());

    Verdict observe = assertInstanceOf(Verdict.class, DECIDER.decide(desired(suspendLocked, true, true),
        read(S3VersioningTable.EM, CredentialKind.ACCESS_KEYS, Lifecycle.NOT_READ, false, true),
        DeviceState.NOT_ASKED, NOW));
    assertTrue(observe.message().startsWith("Bucket drifted from the spec: versioning Enabled (observed) ->"
        + " Suspended (spec). Observe mode writes nothing"), observe.message());
  }

  @Test
  void afterAWriteTheUserIsToldWhatHappened() {
    Target enable = S3VersioningTable.targets().stream()
        .filter(r -> r.observed().equals(S3VersioningTable.E) && Boolean.TRUE.equals(r.mfaDelete())).findFirst()
        .orElseThrow();
    DesiredState desired = desired(enable, false, true);
    Outcome.Write write = new Outcome.Write(ADDRESS, S3VersioningTable.E, S3VersioningTable.EM,
        "MFA Delete Disabled -> Enabled", true, false, "MFA Delete Disabled -> Enabled",
        new DeviceState.Granted(DEVICE, 7, Duration.ZERO));

    Verdict applied = DECIDER.afterWrite(desired, write, new WriteResult.Accepted());
    assertEquals(Reason.Applied, applied.reason());
    assertEquals("Changed MFA Delete Disabled -> Enabled with an MFA code from device arn:aws:iam::1:mfa/root"
        + " (putting back drift made outside the operator).", applied.message());
    assertTrue(applied.correctedDrift());
    assertSame(S3VersioningTable.EM, applied.observed());

    BucketStoreException refusedCode = new BucketStoreException(S3ErrorKind.MFA_REJECTED, "AccessDenied", 403,
        "AccessDenied (HTTP 403)");
    Verdict rejected = DECIDER.afterWrite(desired, write,
        new WriteResult.Refused(refusedCode, null, NOW.plusSeconds(30)));
    assertEquals(Reason.MfaRejected, rejected.reason());
    assertEquals(NOW.plusSeconds(30), rejected.retryAt(), "tried again at the device's next step, never at once");
    assertTrue(rejected.message().contains("device arn:aws:iam::1:mfa/root"), rejected.message());
    assertEquals(S3VersioningTable.E, rejected.observed(), "nothing changed");

    Verdict paused = DECIDER.afterWrite(desired, write,
        new WriteResult.Refused(refusedCode, NOW.plusSeconds(900), NOW.plusSeconds(30)));
    assertEquals(Reason.MfaDevicePaused, paused.reason());
    assertEquals(NOW.plusSeconds(900), paused.retryAt());

    Verdict gone = DECIDER.afterWrite(desired, write, new WriteResult.Refused(
        new BucketStoreException(S3ErrorKind.BUCKET_NOT_FOUND, "NoSuchBucket", 404, "NoSuchBucket"), null, null));
    assertEquals(Reason.BucketNotFound, gone.reason());
    assertNull(gone.retryAt());
  }

  @Test
  void inAPoolAPausedDeviceSendsItsChangeToTheOthersAndWaitersAreToldTheirDevice() {
    Target enable = S3VersioningTable.targets().stream()
        .filter(r -> r.observed().equals(S3VersioningTable.E) && Boolean.TRUE.equals(r.mfaDelete())).findFirst()
        .orElseThrow();
    AccountSettings.MfaSettings second = new AccountSettings.MfaSettings("arn:aws:iam::1:mfa/second",
        new SecretSource.KubernetesSecret("team", "second-mfa", "seed"), 30, 0, "S3Account team/pool", null);
    DesiredState one = desired(enable, false, true);
    DesiredState pool = new DesiredState(one.bucket(), one.versioning(), one.mfaDelete(), false, null, null, ROOT,
        null, MFA, one.checkInterval(), null, one.guard(), List.of(), null, true, List.of(MFA, second));
    Outcome.Write write = new Outcome.Write(ADDRESS, S3VersioningTable.E, S3VersioningTable.EM,
        "MFA Delete Disabled -> Enabled", true, false, null, new DeviceState.Granted(DEVICE, 7, Duration.ZERO));
    BucketStoreException refusedCode = new BucketStoreException(S3ErrorKind.MFA_REJECTED, "AccessDenied", 403,
        "AccessDenied (HTTP 403)");
    WriteResult pausedNow = new WriteResult.Refused(refusedCode, NOW.plusSeconds(900), NOW.plusSeconds(30));

    Verdict alone = DECIDER.afterWrite(one, write, pausedNow);
    assertEquals(Reason.MfaDevicePaused, alone.reason(), "one device: the change waits for the pause to end");
    Verdict pooled = DECIDER.afterWrite(pool, write, pausedNow);
    assertEquals(Reason.MfaRejected, pooled.reason());
    assertEquals(NOW.plusSeconds(30), pooled.retryAt(), "the pool's other device takes it at the next step");
    assertTrue(pooled.message().contains("the account's other 1 MFA devices serve this change"), pooled.message());

    Outcome.Write awaiting = (Outcome.Write) DECIDER.decide(pool, read(S3VersioningTable.E, CredentialKind.OBSERVER,
        new Lifecycle.Read(false), false, false), DeviceState.NOT_ASKED, NOW);
    Verdict queued = (Verdict) DECIDER.decide(pool.withDevice(second), read(S3VersioningTable.E,
        CredentialKind.OBSERVER, new Lifecycle.Read(false), false, false),
        new DeviceState.Queued(NOW.plusSeconds(30), 4, 9, 2), NOW);
    assertTrue(awaiting.awaitsStep());
    assertEquals(Reason.WaitingForMfaWindow, queued.reason());
    assertTrue(queued.message().contains("one of the account's 2 MFA devices")
        && queued.message().contains("its turn on MFA device arn:aws:iam::1:mfa/second, place 2 among this"
            + " namespace's changes that will take its codes (9 of this namespace's changes wait for the pool)"),
        queued.message());
  }

  @Test
  void refusedSecretsManagerValuesAreFetchedAgain() {
    SecretSource keys = new SecretSource.SecretsManagerSecret("root-keys", null, null);
    DesiredState desired = new DesiredState("b", io.bucketprotection.operator.s3.VersioningStatus.ENABLED, true,
        false, null, null, keys, null, MFA, Duration.ofMinutes(5), null, DesiredState.WeakeningGuard.NONE, List.of());
    assertEquals(List.of(MFA.seed()), Decider.secretsToRefetch(desired,
        Verdict.problem(Reason.MfaRejected, "refused", null)));
    assertEquals(List.of(keys), Decider.secretsToRefetch(desired, Verdict.problem(Reason.AccessDenied, "no", null)));
    assertEquals(List.of(), Decider.secretsToRefetch(desired, Verdict.inSync(S3VersioningTable.EM)));
  }

  @Test
  void unknownFieldsWinOverAFailedObservationAndSayWhatFailed() {
    DesiredState desired = desired(S3VersioningTable.targets().get(0), false, false, false, true);
    Outcome outcome = DECIDER.decide(desired, new Facts.CredentialsUnusable(new io.bucketprotection.operator.secrets
        .SecretProblem(io.bucketprotection.operator.secrets.SecretProblem.Kind.SECRET_NOT_FOUND,
        "Secret team/keys does not exist")), DeviceState.NOT_ASKED, NOW);
    Verdict verdict = assertInstanceOf(Verdict.class, outcome);
    assertEquals(Reason.UnsupportedField, verdict.reason());
    assertTrue(verdict.message().contains("spec.futureSafetyField"), verdict.message());
    assertTrue(verdict.message().contains("Observing it failed too: Secret team/keys does not exist"), verdict.message());
  }
}

package io.bucketprotection.operator.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MfaCodeLedgerTest {

  /** A seed of the one source these tests use, told apart by its fingerprint. */
  private static MfaCodeLedger.Seed seed(String fingerprint) {
    return new MfaCodeLedger.Seed("Secret team/root-mfa key seed", fingerprint);
  }

  private static final MfaDevice DEVICE = new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/root");
  private static final Duration PAUSE = Duration.ofMinutes(15);

  private static void assertStep(long step, MfaCodeLedger.Reservation reservation) {
    assertEquals(step, assertInstanceOf(MfaCodeLedger.Granted.class, reservation).step());
  }

  private static MfaCodeLedger.Reservation ask(MfaCodeLedger ledger, String who) {
    return ledger.reserve(DEVICE, who, 30, 0, seed("seed-1"));
  }

  @Test
  void waitsForTheFirstFullStepAfterStartBecauseEarlierStepsMayHaveBeenUsed() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_000_005)); // step 33333, 5 s in
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    MfaCodeLedger.Wait wait = assertInstanceOf(MfaCodeLedger.Wait.class, ask(ledger, "a"));
    assertEquals(Instant.ofEpochSecond(1_000_020), wait.retryAt());
    clock.set(Instant.ofEpochSecond(1_000_020));
    assertStep(33334, ask(ledger, "a"));
  }

  @Test
  void afterARestartWithLookAheadEveryStepThePreviousProcessMightHaveUsedIsSkipped() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_000_005)); // step 33333
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    // The previous process may have used steps up to 33333 + 2: the first usable is 33336,
    // which the server accepts (2 steps ahead) from step 33334 on.
    MfaCodeLedger.Wait wait = assertInstanceOf(MfaCodeLedger.Wait.class, ledger.reserve(DEVICE, "a", 30, 2, seed("s")));
    assertEquals(Instant.ofEpochSecond(33334L * 30), wait.retryAt());
    clock.set(Instant.ofEpochSecond(33334L * 30));
    assertStep(33336, ledger.reserve(DEVICE, "a", 30, 2, seed("s")));
  }

  @Test
  void grantsEachStepOnceInOrderAndNeverAnEarlierOne() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(31));
    assertStep(1, ask(ledger, "a"));
    clock.set(Instant.ofEpochSecond(59));
    MfaCodeLedger.Wait wait = assertInstanceOf(MfaCodeLedger.Wait.class, ask(ledger, "b"));
    assertEquals(Instant.ofEpochSecond(60), wait.retryAt());
    clock.set(Instant.ofEpochSecond(60));
    assertStep(2, ask(ledger, "b"));
    // A clock that steps back must not hand out a step again.
    clock.set(Instant.ofEpochSecond(45));
    assertInstanceOf(MfaCodeLedger.Wait.class, ask(ledger, "c"));
  }

  @Test
  void theChangeThatWaitedLongestGoesFirstAndEachIsToldItsPlaceAndTime() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "first"));
    MfaCodeLedger.Wait b = assertInstanceOf(MfaCodeLedger.Wait.class, ask(ledger, "b"));
    MfaCodeLedger.Wait c = assertInstanceOf(MfaCodeLedger.Wait.class, ask(ledger, "c"));
    assertEquals(1, b.position());
    assertEquals(2, c.position());
    assertEquals(2, c.queueLength());
    assertEquals(Instant.ofEpochSecond(60), b.retryAt());
    assertEquals(Instant.ofEpochSecond(90), c.retryAt());
    // c comes back early, at b's step: b has waited longer, so c keeps waiting.
    clock.set(Instant.ofEpochSecond(60));
    MfaCodeLedger.Wait cAgain = assertInstanceOf(MfaCodeLedger.Wait.class, ask(ledger, "c"));
    assertEquals(2, cAgain.position());
    MfaCodeLedger.Granted b2 = assertInstanceOf(MfaCodeLedger.Granted.class, ask(ledger, "b"));
    assertEquals(2, b2.step());
    assertEquals(Duration.ofSeconds(30), b2.waited(), "b asked at 30 s and got its step at 60 s");
    clock.set(Instant.ofEpochSecond(90));
    assertStep(3, ask(ledger, "c"));
  }

  @Test
  void aWaiterThatNeverComesBackDoesNotBlockTheQueue() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    ask(ledger, "first");
    ask(ledger, "deleted"); // told: come back at 60
    ask(ledger, "patient"); // told: come back at 90
    clock.set(Instant.ofEpochSecond(95)); // "deleted" never came back
    assertStep(3, ask(ledger, "patient"));
  }

  @Test
  void twoRefusalsInARowPauseTheDeviceUntilTheSeedChangesOrThePauseEnds() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertInstanceOf(MfaCodeLedger.Granted.class, ask(ledger, "a"));
    assertFalse(ledger.refused(DEVICE, seed("seed-1")));
    assertEquals(Instant.ofEpochSecond(60), ledger.nextStepStart(DEVICE, 30));
    clock.set(Instant.ofEpochSecond(60));
    assertInstanceOf(MfaCodeLedger.Granted.class, ask(ledger, "a"));
    assertTrue(ledger.refused(DEVICE, seed("seed-1")));

    clock.set(Instant.ofEpochSecond(120));
    MfaCodeLedger.Paused paused = assertInstanceOf(MfaCodeLedger.Paused.class, ask(ledger, "b"));
    assertEquals(Instant.ofEpochSecond(60).plus(PAUSE), paused.until());
    // Another source's seed does not lift it: only the paused source's own seed, changed.
    assertInstanceOf(MfaCodeLedger.Paused.class, ledger.reserve(DEVICE, "b", 30, 0,
        new MfaCodeLedger.Seed("Secret other/seed key seed", "seed-2")));
    // A new seed lifts the pause at once.
    assertInstanceOf(MfaCodeLedger.Granted.class, ledger.reserve(DEVICE, "b", 30, 0, seed("seed-2")));
  }

  @Test
  void aPauseEndsByItself() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(30));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(60));
    ask(ledger, "a");
    ledger.refused(DEVICE, seed("seed-1"));
    ledger.refused(DEVICE, seed("seed-1"));
    clock.set(Instant.ofEpochSecond(60).plus(PAUSE));
    assertInstanceOf(MfaCodeLedger.Granted.class, ask(ledger, "a"));
  }

  @Test
  void anAcceptedCodeResetsTheRefusalCount() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    ask(ledger, "a");
    ledger.refused(DEVICE, seed("seed-1"));
    ledger.accepted(DEVICE);
    assertFalse(ledger.refused(DEVICE, seed("seed-1")));
  }

  @Test
  void withLookAheadSeveralChangesGoOutInOneStepInStepOrder() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(100 * 30));
    Set<Long> steps = new HashSet<>();
    long last = -1;
    for (String who : List.of("a", "b", "c")) {
      MfaCodeLedger.Granted granted = assertInstanceOf(MfaCodeLedger.Granted.class, ledger.reserve(DEVICE, who, 30, 2, seed("s")));
      assertTrue(granted.step() > last);
      last = granted.step();
      steps.add(granted.step());
    }
    assertEquals(Set.of(100L, 101L, 102L), steps);
    assertInstanceOf(MfaCodeLedger.Wait.class, ledger.reserve(DEVICE, "d", 30, 2, seed("s")));
  }

  @Test
  void devicesAreIndependent() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a"));
    assertStep(1, ledger.reserve(new MfaDevice("aws", "other"), "a", 30, 0, seed("s")));
    assertStep(1,
        ledger.reserve(new MfaDevice("http://127.0.0.1:7480", DEVICE.serialNumber()), "a", 30, 0, seed("s")));
  }
}

package io.bucketprotection.operator.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
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
  private static PoolDevice.Seed seed(String fingerprint) {
    return new PoolDevice.Seed("Secret team/root-mfa key seed", fingerprint);
  }

  private static final MfaDevice DEVICE = new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/root");
  private static final Duration PAUSE = Duration.ofMinutes(15);

  private static void assertStep(long step, Reservation reservation) {
    assertEquals(step, assertInstanceOf(Reservation.Granted.class, reservation).step());
  }

  private static Reservation ask(MfaCodeLedger ledger, String who) {
    return ledger.reserve(DEVICE, who, 30, 0, seed("seed-1"));
  }

  @Test
  void waitsForTheFirstFullStepAfterStartBecauseEarlierStepsMayHaveBeenUsed() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_000_005)); // step 33333, 5 s in
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    Reservation.Wait wait = assertInstanceOf(Reservation.Wait.class, ask(ledger, "a"));
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
    Reservation.Wait wait = assertInstanceOf(Reservation.Wait.class, ledger.reserve(DEVICE, "a", 30, 2, seed("s")));
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
    Reservation.Wait wait = assertInstanceOf(Reservation.Wait.class, ask(ledger, "b"));
    assertEquals(Instant.ofEpochSecond(60), wait.retryAt());
    clock.set(Instant.ofEpochSecond(60));
    assertStep(2, ask(ledger, "b"));
    // A clock that steps back must not hand out a step again.
    clock.set(Instant.ofEpochSecond(45));
    assertInstanceOf(Reservation.Wait.class, ask(ledger, "c"));
  }

  @Test
  void theChangeThatWaitedLongestGoesFirstAndEachIsToldItsPlaceAndTime() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "first"));
    Reservation.Wait b = assertInstanceOf(Reservation.Wait.class, ask(ledger, "b"));
    Reservation.Wait c = assertInstanceOf(Reservation.Wait.class, ask(ledger, "c"));
    assertEquals(1, b.position());
    assertEquals(2, c.position());
    assertEquals(1, c.ownWaiting(), "c is its namespace's only change");
    assertEquals(Instant.ofEpochSecond(60), b.retryAt());
    assertEquals(Instant.ofEpochSecond(90), c.retryAt());
    // c comes back early, at b's step: b has waited longer, so c keeps waiting.
    clock.set(Instant.ofEpochSecond(60));
    Reservation.Wait cAgain = assertInstanceOf(Reservation.Wait.class, ask(ledger, "c"));
    assertEquals(2, cAgain.position());
    Reservation.Granted b2 = assertInstanceOf(Reservation.Granted.class, ask(ledger, "b"));
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
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "a"));
    assertFalse(ledger.refused(DEVICE, seed("seed-1")));
    assertEquals(Instant.ofEpochSecond(60), ledger.nextStepStart(DEVICE, 30));
    clock.set(Instant.ofEpochSecond(60));
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "a"));
    assertTrue(ledger.refused(DEVICE, seed("seed-1")));

    clock.set(Instant.ofEpochSecond(120));
    Reservation.Paused paused = assertInstanceOf(Reservation.Paused.class, ask(ledger, "b"));
    assertEquals(Instant.ofEpochSecond(60).plus(PAUSE), paused.until());
    // Another source's seed does not lift it: only the paused source's own seed, changed.
    assertInstanceOf(Reservation.Paused.class, ledger.reserve(DEVICE, "b", 30, 0,
        new PoolDevice.Seed("Secret other/seed key seed", "seed-2")));
    // A new seed lifts the pause at once.
    assertInstanceOf(Reservation.Granted.class, ledger.reserve(DEVICE, "b", 30, 0, seed("seed-2")));
  }

  @Test
  void twoRefusalsForOneNamespacePauseThatNamespaceOnlyAndTheOthersKeepTheDevice() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(30));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(60));
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "intruder/foreign"));
    assertNull(ledger.refusedFor(DEVICE, "intruder/foreign", seed("seed-1")));
    clock.set(Instant.ofEpochSecond(90));
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "intruder/foreign"));
    Reservation.Paused paused = ledger.refusedFor(DEVICE, "intruder/foreign", seed("seed-1"));
    assertTrue(paused.namespaceOnly());
    assertEquals(Instant.ofEpochSecond(90).plus(PAUSE), paused.until());

    clock.set(Instant.ofEpochSecond(120));
    // Every change of that namespace waits; the device serves the others.
    Reservation.Paused other = assertInstanceOf(Reservation.Paused.class, ask(ledger, "intruder/another"));
    assertTrue(other.namespaceOnly());
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "team/ledger"));
    assertNull(ledger.pausedUntil(DEVICE), "the device itself is not paused");
    ledger.accepted(DEVICE, "team/ledger");
    clock.set(Instant.ofEpochSecond(90).plus(PAUSE));
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "intruder/another"), "the pause ends by itself");
  }

  @Test
  void refusalsFromTwoNamespacesInARowPauseTheDeviceForEveryone() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(30));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(60));
    ask(ledger, "a/x");
    assertNull(ledger.refusedFor(DEVICE, "a/x", seed("seed-1")));
    clock.set(Instant.ofEpochSecond(90));
    ask(ledger, "b/y");
    Reservation.Paused paused = ledger.refusedFor(DEVICE, "b/y", seed("seed-1"));
    assertFalse(paused.namespaceOnly(), "two namespaces refused in a row: the device or its seed is at fault");
    clock.set(Instant.ofEpochSecond(120));
    assertFalse(assertInstanceOf(Reservation.Paused.class, ask(ledger, "c/z")).namespaceOnly());
  }

  @Test
  void aDeviceOfOneNamespaceOnlyPausesForEveryoneAfterItsTwoRefusals() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(30));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(60));
    ask(ledger, "own/a");
    assertNull(ledger.refusedFor(DEVICE, "own/a", seed("seed-1"), true));
    clock.set(Instant.ofEpochSecond(90));
    ask(ledger, "own/a");
    Reservation.Paused paused = ledger.refusedFor(DEVICE, "own/a", seed("seed-1"), true);
    assertFalse(paused.namespaceOnly(), "only one namespace uses it: its seed or keys are at fault");
    assertEquals(paused.until(), ledger.pausedUntil(DEVICE));
  }

  @Test
  void anAcceptanceBetweenTwoNamespacesRefusalsPausesNothing() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(30));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(60));
    ask(ledger, "a/x");
    assertNull(ledger.refusedFor(DEVICE, "a/x", seed("seed-1")));
    clock.set(Instant.ofEpochSecond(90));
    ask(ledger, "c/w");
    ledger.accepted(DEVICE, "c/w");
    clock.set(Instant.ofEpochSecond(120));
    ask(ledger, "b/y");
    assertNull(ledger.refusedFor(DEVICE, "b/y", seed("seed-1")));
  }

  @Test
  void oneNamespaceQueuesAtMostAHundredChangesOnADeviceAndTheOthersStillJoin() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(30));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(60));
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "flood/first"));
    for (int i = 0; i < MfaCodeLedger.WAITING_PER_NAMESPACE; i++) {
      assertInstanceOf(Reservation.Wait.class, ask(ledger, "flood/change-" + i));
    }
    Reservation full = ask(ledger, "flood/one-too-many");
    assertInstanceOf(Reservation.QueueFull.class, full, "the namespace's share of the line is full");
    // A change already in line keeps its place; another namespace still joins.
    assertInstanceOf(Reservation.Wait.class, ask(ledger, "flood/change-0"));
    Reservation.Wait other = assertInstanceOf(Reservation.Wait.class, ask(ledger, "team/ledger"));
    assertEquals(2, other.position(), "namespaces take turns: the other namespace's one change is second in line");
  }

  @Test
  void namespacesTakeTurnsSoAHundredChangesOfOneDelayAnotherByOneStepAtMost() {
    // Started at step 2: the first step handed out is 3.
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(60));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    for (int i = 0; i < MfaCodeLedger.WAITING_PER_NAMESPACE; i++) {
      ask(ledger, "a/change-" + i);
    }
    // b asks after all of a's changes, yet is served within the first two turns.
    clock.set(Instant.ofEpochSecond(61));
    Reservation.Wait b = assertInstanceOf(Reservation.Wait.class, ask(ledger, "b/one"));
    assertEquals(2, b.position());
    assertEquals(Instant.ofEpochSecond(120), b.retryAt(), "b's turn is the second step handed out");
    List<String> served = new java.util.ArrayList<>();
    for (long step = 3; step < 6; step++) {
      clock.set(Instant.ofEpochSecond(step * 30));
      // Every waiter asks at each step (in arrival order, a's first): only the one whose turn it is gets the step.
      for (int i = 0; i < MfaCodeLedger.WAITING_PER_NAMESPACE; i++) {
        if (!served.contains("a/change-" + i) && ask(ledger, "a/change-" + i) instanceof Reservation.Granted) {
          served.add("a/change-" + i);
        }
      }
      if (!served.contains("b/one") && ask(ledger, "b/one") instanceof Reservation.Granted) {
        served.add("b/one");
      }
    }
    assertEquals(List.of("a/change-0", "b/one", "a/change-1"), served);
  }

  @Test
  void aNamespaceJustServedGoesBehindTheOthersThatWait() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(60));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    for (String who : List.of("a/1", "a/2", "a/3", "b/1", "c/1", "b/2")) {
      assertInstanceOf(Reservation.Wait.class, ask(ledger, who));
    }
    // Turns: a, b, c, then a again: a/1, b/1, c/1, a/2, b/2, a/3.
    assertEquals(1, assertInstanceOf(Reservation.Wait.class, ask(ledger, "a/1")).position());
    assertEquals(3, assertInstanceOf(Reservation.Wait.class, ask(ledger, "c/1")).position());
    assertEquals(4, assertInstanceOf(Reservation.Wait.class, ask(ledger, "a/2")).position());
    assertEquals(5, assertInstanceOf(Reservation.Wait.class, ask(ledger, "b/2")).position());
    assertEquals(6, assertInstanceOf(Reservation.Wait.class, ask(ledger, "a/3")).position());
    clock.set(Instant.ofEpochSecond(90));
    assertStep(3, ask(ledger, "a/1"));
    // a was served: b and c go before a's next change.
    assertEquals(1, assertInstanceOf(Reservation.Wait.class, ask(ledger, "b/1")).position());
    assertEquals(2, assertInstanceOf(Reservation.Wait.class, ask(ledger, "c/1")).position());
    assertEquals(3, assertInstanceOf(Reservation.Wait.class, ask(ledger, "a/2")).position());
    assertEquals(4, assertInstanceOf(Reservation.Wait.class, ask(ledger, "b/2")).position());
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
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "a"));
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
      Reservation.Granted granted = assertInstanceOf(Reservation.Granted.class, ledger.reserve(DEVICE, who, 30, 2, seed("s")));
      assertTrue(granted.step() > last);
      last = granted.step();
      steps.add(granted.step());
    }
    assertEquals(Set.of(100L, 101L, 102L), steps);
    assertInstanceOf(Reservation.Wait.class, ledger.reserve(DEVICE, "d", 30, 2, seed("s")));
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

  // Forgetting idle devices: a hostile user may name any number of serial numbers.

  private static MfaDevice churned(int i) {
    return new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/churn-" + i);
  }

  private static final MfaDevice OTHER = new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/other");

  /** Any request for another device: it is what lets the ledger look for idle devices. */
  private static void askForOther(MfaCodeLedger ledger) {
    ledger.reserve(OTHER, "team/other", 30, 0, seed("other"));
  }

  @Test
  void tenThousandDevicesUsedOnceAreForgottenOnceIdle() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    for (int i = 0; i < 10_000; i++) {
      assertStep(1, ledger.reserve(churned(i), "team/bp-" + i, 30, 0, seed("s")));
    }
    assertEquals(10_000, ledger.devices());
    clock.set(Instant.ofEpochSecond(30).plus(PAUSE).plusSeconds(60));
    askForOther(ledger);
    assertEquals(1, ledger.devices(), "only the device just asked for is remembered");
  }

  @Test
  void devicesWhoseWaitersWentAwayAreForgottenToo() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    for (int i = 0; i < 1_000; i++) {
      assertStep(1, ledger.reserve(churned(i), "team/first-" + i, 30, 0, seed("s")));
      // A second resource on the same serial waits for step 2, then is deleted and never asks again.
      assertInstanceOf(Reservation.Wait.class, ledger.reserve(churned(i), "team/second-" + i, 30, 0, seed("s")));
    }
    assertEquals(1_000, ledger.waiting());
    clock.set(Instant.ofEpochSecond(30).plus(PAUSE).plusSeconds(60));
    askForOther(ledger);
    assertEquals(1, ledger.devices());
    assertEquals(0, ledger.waiting());
  }

  @Test
  void idleDevicesAreLookedForAtMostOnceAMinute() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a"));
    clock.set(Instant.ofEpochSecond(900)); // a look: DEVICE's code is not a pause old yet
    askForOther(ledger);
    assertEquals(2, ledger.devices());
    clock.set(Instant.ofEpochSecond(959)); // idle since 930, but the last look was 59 s ago
    askForOther(ledger);
    assertEquals(2, ledger.devices());
    clock.set(Instant.ofEpochSecond(960));
    askForOther(ledger);
    assertEquals(1, ledger.devices());
  }

  @Test
  void aForgottenDeviceNeverGetsAStepItUsedEvenWhenTheClockStepsBack() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a"));
    clock.set(Instant.ofEpochSecond(30).plus(PAUSE).plusSeconds(60));
    askForOther(ledger);
    assertEquals(1, ledger.devices(), "DEVICE is forgotten");

    clock.set(Instant.ofEpochSecond(45)); // back into step 1
    Reservation.Wait wait = assertInstanceOf(Reservation.Wait.class, ask(ledger, "b"));
    assertEquals(Instant.ofEpochSecond(60), wait.retryAt());
    clock.set(Instant.ofEpochSecond(60));
    assertStep(2, ask(ledger, "b"));
  }

  @Test
  void aForgottenDeviceWithLookAheadNeverGetsAStepItUsedEvenWhenTheClockStepsBack() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(60)); // step 2
    assertStep(2, ledger.reserve(DEVICE, "a", 30, 1, seed("s")));
    assertStep(3, ledger.reserve(DEVICE, "b", 30, 1, seed("s")));
    clock.set(Instant.ofEpochSecond(60).plus(PAUSE).plusSeconds(60));
    askForOther(ledger);
    assertEquals(1, ledger.devices(), "DEVICE is forgotten");

    clock.set(Instant.ofEpochSecond(60)); // back into step 2: steps 2 and 3 are spent
    assertInstanceOf(Reservation.Wait.class, ledger.reserve(DEVICE, "c", 30, 1, seed("s")));
    clock.set(Instant.ofEpochSecond(90));
    assertStep(4, ledger.reserve(DEVICE, "c", 30, 1, seed("s")));
  }

  @Test
  void aRecentRefusalKeepsTheDeviceSoTheNextRefusalStillPauses() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a"));
    clock.set(Instant.ofEpochSecond(630)); // a slow server refuses the code ten minutes later
    assertFalse(ledger.refused(DEVICE, seed("seed-1")));
    clock.set(Instant.ofEpochSecond(30).plus(PAUSE).plusSeconds(60)); // the code is old, the refusal is not
    askForOther(ledger);
    assertEquals(2, ledger.devices());
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "a"));
    assertTrue(ledger.refused(DEVICE, seed("seed-1")), "the second refusal in a row pauses the device");
  }

  @Test
  void theLastSecondOfAStepIsNotHandedOutSoNoCodeReachesTheServerAfterItsStep() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochMilli(59_001)); // step 1, 999 ms left
    Reservation.Wait wait = assertInstanceOf(Reservation.Wait.class, ask(ledger, "a"));
    assertEquals(Instant.ofEpochSecond(60), wait.retryAt(), "the next step, from its start");
    clock.set(Instant.ofEpochSecond(60));
    assertStep(2, ask(ledger, "a"));
    clock.set(Instant.ofEpochMilli(88_999)); // step 2 is used; step 3 is not begun
    assertInstanceOf(Reservation.Wait.class, ask(ledger, "b"));
    clock.set(Instant.ofEpochMilli(90_000));
    assertStep(3, ask(ledger, "b"));
    clock.set(Instant.ofEpochMilli(179_000)); // step 5, exactly the margin left: not handed out
    assertInstanceOf(Reservation.Wait.class, ask(ledger, "c"));
    clock.set(Instant.ofEpochMilli(178_999)); // a clock a millisecond earlier: 1,001 ms left
    assertStep(5, ask(ledger, "c"));
    assertEquals(200, PoolDevice.sendMarginMillis(1_000), "a fifth of a short step");
  }

  @Test
  void aCodeInFlightKeepsItsDeviceSoItsRefusalStillCounts() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a"));
    clock.set(Instant.ofEpochSecond(30).plus(PAUSE).minusSeconds(2)); // the server has not answered yet
    askForOther(ledger);
    assertEquals(2, ledger.devices());
    assertFalse(ledger.refused(DEVICE, seed("seed-1")));
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "a"));
    assertTrue(ledger.refused(DEVICE, seed("seed-1")), "the second refusal in a row pauses the device");
  }

  @Test
  void aRefusalOlderThanThePauseIsForgottenWithTheDevice() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a"));
    assertFalse(ledger.refused(DEVICE, seed("seed-1")));
    clock.set(Instant.ofEpochSecond(30).plus(PAUSE).plusSeconds(60));
    askForOther(ledger);
    assertEquals(1, ledger.devices());
    // As if that refusal had paused the device and the pause had ended.
    assertInstanceOf(Reservation.Granted.class, ask(ledger, "a"));
    assertFalse(ledger.refused(DEVICE, seed("seed-1")));
  }

  @Test
  void aPausedDeviceIsKeptUntilItsPauseEnds() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    ask(ledger, "a");
    ledger.refused(DEVICE, seed("seed-1"));
    clock.set(Instant.ofEpochSecond(60));
    ask(ledger, "a");
    assertTrue(ledger.refused(DEVICE, seed("seed-1")));
    Instant until = Instant.ofEpochSecond(60).plus(PAUSE);

    clock.set(until.minusSeconds(1));
    askForOther(ledger);
    assertEquals(2, ledger.devices());
    assertEquals(until, assertInstanceOf(Reservation.Paused.class, ask(ledger, "b")).until());

    clock.set(until.plusSeconds(60));
    askForOther(ledger);
    assertEquals(1, ledger.devices());
    assertStep(until.plusSeconds(60).getEpochSecond() / 30, ask(ledger, "b"));
  }

  @Test
  void theRestartGuardHoldsForAForgottenDevice() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a"));
    clock.set(Instant.ofEpochSecond(990)); // step 33
    askForOther(ledger);
    assertEquals(1, ledger.devices(), "DEVICE is forgotten");
    ledger.startGuard(); // this replica became the leader: the old one may have used up to step 34
    Reservation.Wait wait = assertInstanceOf(Reservation.Wait.class, ledger.reserve(DEVICE, "a", 30, 1, seed("s")));
    assertEquals(Instant.ofEpochSecond(34 * 30), wait.retryAt());
    clock.set(Instant.ofEpochSecond(34 * 30));
    assertStep(35, ledger.reserve(DEVICE, "a", 30, 1, seed("s")));
  }

  @Test
  void aLookAheadRaisedDuringTheGuardStillSkipsTheStepsItCouldHaveUsed() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0)); // step 0
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "a")); // look-ahead 0: the previous process used at most step 0
    // With look-ahead 2 it may have used steps up to 2: a kept device answers as a fresh one would.
    assertStep(3, ledger.reserve(DEVICE, "b", 30, 2, seed("seed-1")));
  }

  @Test
  void queuedRequestersKeepTheirPlaceWhileIdleDevicesAreForgotten() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, Duration.ofSeconds(10)); // a pause shorter than a step
    clock.set(Instant.ofEpochSecond(30));
    assertStep(1, ask(ledger, "first"));
    for (String who : List.of("w1", "w2", "w3", "w4")) {
      assertInstanceOf(Reservation.Wait.class, ask(ledger, who)); // told 60, 90, 120, 150
    }
    clock.set(Instant.ofEpochSecond(100)); // w1 went away; w2's turn came 10 s ago
    askForOther(ledger);
    assertEquals(2, ledger.devices());
    Reservation.Granted w2 = assertInstanceOf(Reservation.Granted.class, ask(ledger, "w2"));
    assertEquals(3, w2.step());
    assertEquals(Duration.ofSeconds(70), w2.waited(), "w2 has waited since 30 s");
    Reservation.Wait late = assertInstanceOf(Reservation.Wait.class, ask(ledger, "late"));
    assertEquals(3, late.position(), "behind w3 and w4");
  }

  @Test
  void forgettingADeviceNeverDelaysAnotherWithLongerSteps() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(140));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, Duration.ofSeconds(10));
    clock.set(Instant.ofEpochSecond(185));
    assertStep(6, ask(ledger, "a")); // 30 s steps: step 6 ends at 210 s
    clock.set(Instant.ofEpochSecond(215)); // a minute after the last look: the ledger looks again
    // 60 s steps: step 3 runs from 180 s to 240 s. Had DEVICE been forgotten as soon as its step
    // ended, that end (210 s) would push every fresh device with 60 s steps to step 4.
    assertStep(3, ledger.reserve(OTHER, "team/other", 60, 0, seed("other")));
    assertEquals(2, ledger.devices());
  }

  @Test
  void aPlaceInLineCountsOnlyTheAskersOwnNamespace() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(60));
    MfaCodeLedger ledger = new MfaCodeLedger(clock, PAUSE);
    for (String who : List.of("x/1", "y/1", "x/2", "y/2", "x/3")) {
      ask(ledger, who);
    }
    Reservation.Wait x3 = assertInstanceOf(Reservation.Wait.class, ask(ledger, "x/3"));
    assertEquals(5, x3.position(), "the ledger knows the whole line");
    assertEquals(3, x3.ownPlace());
    assertEquals(3, x3.ownWaiting());
    Reservation.Wait y2 = assertInstanceOf(Reservation.Wait.class, ask(ledger, "y/2"));
    assertEquals(2, y2.ownPlace());
    assertEquals(2, y2.ownWaiting(), "y is told of its own two, not of x's three");
  }
}

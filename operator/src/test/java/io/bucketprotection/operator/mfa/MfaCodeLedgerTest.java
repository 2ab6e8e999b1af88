package io.bucketprotection.operator.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.bucketprotection.operator.testsupport.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MfaCodeLedgerTest {

  private static final MfaDevice DEVICE = new MfaDevice("aws", "arn:aws:iam::123456789012:mfa/root");

  @Test
  void waitsForTheFirstFullStepAfterStartBecauseEarlierStepsMayHaveBeenUsed() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_000_005)); // step 33333, 5 s in
    MfaCodeLedger ledger = new MfaCodeLedger(clock);
    MfaCodeLedger.Wait wait = assertInstanceOf(MfaCodeLedger.Wait.class, ledger.reserve(DEVICE, 30));
    assertEquals(Instant.ofEpochSecond(1_000_020), wait.retryAt());
    clock.set(Instant.ofEpochSecond(1_000_020));
    assertEquals(new MfaCodeLedger.Granted(33334), ledger.reserve(DEVICE, 30));
  }

  @Test
  void grantsEachStepOnceAndNeverAnEarlierOne() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock);
    clock.set(Instant.ofEpochSecond(31));
    assertEquals(new MfaCodeLedger.Granted(1), ledger.reserve(DEVICE, 30));
    clock.set(Instant.ofEpochSecond(59));
    MfaCodeLedger.Wait wait = assertInstanceOf(MfaCodeLedger.Wait.class, ledger.reserve(DEVICE, 30));
    assertEquals(Instant.ofEpochSecond(60), wait.retryAt());
    clock.set(Instant.ofEpochSecond(60));
    assertEquals(new MfaCodeLedger.Granted(2), ledger.reserve(DEVICE, 30));
    // A clock that steps back must not hand out a step again.
    clock.set(Instant.ofEpochSecond(45));
    assertInstanceOf(MfaCodeLedger.Wait.class, ledger.reserve(DEVICE, 30));
  }

  @Test
  void devicesAreIndependent() {
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(0));
    MfaCodeLedger ledger = new MfaCodeLedger(clock);
    clock.set(Instant.ofEpochSecond(30));
    assertEquals(new MfaCodeLedger.Granted(1), ledger.reserve(DEVICE, 30));
    assertEquals(new MfaCodeLedger.Granted(1), ledger.reserve(new MfaDevice("aws", "other"), 30));
    assertEquals(new MfaCodeLedger.Granted(1),
        ledger.reserve(new MfaDevice("http://127.0.0.1:7480", DEVICE.serialNumber()), 30));
  }
}

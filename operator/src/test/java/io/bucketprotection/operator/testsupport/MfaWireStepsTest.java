package io.bucketprotection.operator.testsupport;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.mfa.TotpCodeGenerator;
import io.bucketprotection.operator.mfa.TotpSeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Steps read back from wire codes with the test's seeds; no server involved. */
class MfaWireStepsTest {

  private static final int PERIOD = 5;
  private static final String SERIAL_A = "arn:aws:iam::123456789012:mfa/wire-a";
  private static final String SERIAL_B = "arn:aws:iam::123456789012:mfa/wire-b";
  private static final String SEED_A = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final String SEED_B = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
  private static final String SEED_NOT_GIVEN = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U";
  /** A fixed moment, 2 s into its step, so that every case is the same on every run. */
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:02Z");
  private static final long S0 = T0.getEpochSecond() / PERIOD;

  private static MfaWireSteps steps() {
    return new MfaWireSteps(Map.of(SERIAL_A, SEED_A, SERIAL_B, SEED_B), PERIOD);
  }

  private static String code(String seed, long step) {
    try {
      return new TotpCodeGenerator().code(TotpSeed.parse(seed), step);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String header(String serial, String seed, long step) {
    return serial + " " + code(seed, step);
  }

  /** The moment {@code seconds} after {@link #T0}. */
  private static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  @Test
  void increasingDistinctStepsOfEachDevicePass() {
    MfaWireSteps wire = steps();
    wire.record(header(SERIAL_A, SEED_A, S0), at(0));
    wire.record(header(SERIAL_B, SEED_B, S0), at(0));
    wire.record(header(SERIAL_A, SEED_A, S0 + 1), at(1)); // a code of the next step, sent early
    wire.record(header(SERIAL_B, SEED_B, S0 + 2), at(10));
    wire.record(header(SERIAL_A, SEED_A, S0 + 3), at(10)); // arrived one step late
    assertEquals(Map.of(SERIAL_A, List.of(S0, S0 + 1, S0 + 3), SERIAL_B, List.of(S0, S0 + 2)), wire.stepsBySerial());
    assertDoesNotThrow(wire::assertEachDeviceAtMostOncePerStepAndIncreasing);
    assertEquals(5, wire.codesSent());
    assertEquals(0, wire.unmatched());
  }

  @Test
  void aStepSentTwiceToOneDeviceFailsNamingTheDeviceAndTheStepButNotTheCode() {
    MfaWireSteps wire = steps();
    String twice = header(SERIAL_A, SEED_A, S0 + 1);
    wire.record(header(SERIAL_A, SEED_A, S0), at(0));
    wire.record(twice, at(5));
    wire.record(header(SERIAL_B, SEED_B, S0 + 1), at(5)); // another device's same step is fine
    wire.record(twice, at(6));
    AssertionError failure = assertThrows(AssertionError.class, wire::assertEachDeviceAtMostOncePerStepAndIncreasing);
    assertNoCodeIn(failure.getMessage(), SEED_A);
    assertTrue(failure.getMessage().contains(SERIAL_A), failure.getMessage());
    assertTrue(failure.getMessage().contains("step " + (S0 + 1) + " twice"), failure.getMessage());
    assertFalse(failure.getMessage().contains(SERIAL_B), failure.getMessage());
  }

  @Test
  void aDecreasingStepFails() {
    MfaWireSteps wire = steps();
    wire.record(header(SERIAL_B, SEED_B, S0 + 2), at(0)); // two steps ahead: inside the server's window
    wire.record(header(SERIAL_B, SEED_B, S0 + 1), at(1));
    assertEquals(Map.of(SERIAL_B, List.of(S0 + 2, S0 + 1)), wire.stepsBySerial());
    AssertionError failure = assertThrows(AssertionError.class, wire::assertEachDeviceAtMostOncePerStepAndIncreasing);
    assertNoCodeIn(failure.getMessage(), SEED_B);
    assertTrue(failure.getMessage().contains(SERIAL_B), failure.getMessage());
    assertTrue(failure.getMessage().contains("step " + (S0 + 1) + " after one of step " + (S0 + 2)),
        failure.getMessage());
  }

  @Test
  void aCodeFromTheWrongSeedIsCountedUnmatched() {
    String wrong = code(SEED_NOT_GIVEN, S0);
    for (long step = S0 - MfaWireSteps.SEARCH; step <= S0 + MfaWireSteps.SEARCH; step++) {
      assertFalse(wrong.equals(code(SEED_A, step)), "the fixed case must not collide by chance");
    }
    MfaWireSteps wire = steps();
    wire.record(SERIAL_A + " " + wrong, at(0));
    wire.record(header(SERIAL_A, SEED_A, S0), at(0));
    assertEquals(1, wire.unmatched());
    assertEquals(2, wire.codesSent());
    assertEquals(Map.of(SERIAL_A, List.of(S0)), wire.stepsBySerial());
    assertFalse(wire.toString().contains(wrong));
  }

  @Test
  void stepsAreSearchedThreeEitherSideOfTheArrivalAndOtherValuesAreUnmatched() {
    MfaWireSteps wire = steps();
    wire.record(header(SERIAL_A, SEED_A, S0 - 3), at(0));
    wire.record(header(SERIAL_B, SEED_B, S0 + 3), at(0));
    wire.record(header(SERIAL_A, SEED_A, S0 + 4), at(0));
    wire.record(header("arn:aws:iam::123456789012:mfa/unknown", SEED_A, S0), at(0));
    wire.record("no-code-at-all", at(0));
    wire.record(SERIAL_A + " 12345x", at(0));
    wire.record(null, at(0));
    assertEquals(Map.of(SERIAL_A, List.of(S0 - 3), SERIAL_B, List.of(S0 + 3)), wire.stepsBySerial());
    assertEquals(5, wire.unmatched());
    assertEquals(7, wire.codesSent());
  }

  @Test
  void recordsFromSeveralThreadsAreAllKept() throws Exception {
    MfaWireSteps wire = steps();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String serial = i % 2 == 0 ? SERIAL_A : SERIAL_B;
        String value = i % 5 == 0 ? serial + " 00000x" : serial + " " + code(i % 2 == 0 ? SEED_A : SEED_B, S0);
        done.add(threads.submit(() -> wire.record(value, at(0))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdownNow();
    }
    assertEquals(200, wire.codesSent());
    assertEquals(40, wire.unmatched());
    assertEquals(80, wire.stepsBySerial().get(SERIAL_A).size());
    assertEquals(80, wire.stepsBySerial().get(SERIAL_B).size());
  }

  @Test
  void aSeedThatIsNotBase32IsRefusedWithoutQuotingIt() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> new MfaWireSteps(Map.of(SERIAL_A, "not-a-seed-0189!"), PERIOD));
    assertTrue(refused.getMessage().contains(SERIAL_A), refused.getMessage());
    assertFalse(refused.getMessage().contains("not-a-seed-0189!"), refused.getMessage());
  }

  /** None of the codes of the steps around {@link #S0} appears in {@code message}. */
  private static void assertNoCodeIn(String message, String seed) {
    for (long step = S0 - MfaWireSteps.SEARCH; step <= S0 + MfaWireSteps.SEARCH; step++) {
      assertFalse(message.contains(code(seed, step)), "a code is in the message");
    }
  }
}

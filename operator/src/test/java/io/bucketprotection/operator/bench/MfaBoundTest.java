package io.bucketprotection.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The MFA fleet's lower bound, worked out by hand for the cases the benchmark meets. */
class MfaBoundTest {

  private static final long STEP = 5_000;

  @Test
  void aDeviceFreeSinceEarlierStepsSendsTheFirstCodeAtOnceAndTheLastAtTheStartOfItsStep() {
    long created = 1_000 * STEP + 1_200; // mid-step 1000; operator started long before
    // codes in steps 1000..1019: the 20th can go at the start of step 1019
    assertEquals(19 * STEP - 1_200, MfaBound.lastCodeMillis(900 * STEP, created, created + 80, 20, 5, 0));
  }

  @Test
  void theStepTheOperatorStartedInIsNeverUsed() {
    long start = 1_000 * STEP + 300;
    long created = 1_000 * STEP + 2_000; // same step as the start: the first code waits for step 1001
    assertEquals(STEP - 2_000 + 19 * STEP, MfaBound.lastCodeMillis(start, created, created + 50, 20, 5, 0));
  }

  @Test
  void lookAheadMovesTheGuardOnAndTheSendingTimeBack() {
    long start = 1_000 * STEP + 300;
    long created = 1_001 * STEP + 100;
    // guard: steps from 1000 + 2 + 1 = 1003; the last of 20 is 1022, sendable from step 1020
    assertEquals(19 * STEP - 100, MfaBound.lastCodeMillis(start, created, created + 50, 20, 5, 2));
  }

  @Test
  void oneBucketOnAFreeDeviceCanBeDoneOnceItExists() {
    long created = 1_000 * STEP + 1_000;
    assertEquals(40, MfaBound.lastCodeMillis(0, created, created + 40, 1, 5, 0));
  }
}

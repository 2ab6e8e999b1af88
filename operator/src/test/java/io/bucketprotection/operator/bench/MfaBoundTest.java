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

  /** {@code n} creations {@code gap} ms apart from {@code first}. */
  private static long[] created(long first, int n, long gap) {
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      t[i] = first + i * gap;
    }
    return t;
  }

  @Test
  void aPoolOfOneIsTheOneDeviceBound() {
    long first = 1_000 * STEP + 1_200;
    long[] t = created(first, 20, 4);
    assertEquals(MfaBound.lastCodeMillis(900 * STEP, first, t[19], 20, 5, 0),
        MfaBound.poolLastCodeMillis(900 * STEP, t, 1, 5, 0));
    long start = 1_000 * STEP + 300; // the guard and a look-ahead, as in the tests above
    assertEquals(MfaBound.lastCodeMillis(start, first, t[19], 20, 5, 2),
        MfaBound.poolLastCodeMillis(start, t, 1, 5, 2));
  }

  @Test
  void fourDevicesServeFortyInTenSteps() {
    long first = 1_000 * STEP + 1_200;
    // steps 1000..1009, four codes each: the 40th can go at the start of step 1009
    assertEquals(9 * STEP - 1_200, MfaBound.poolLastCodeMillis(900 * STEP, created(first, 40, 10), 4, 5, 0));
  }

  @Test
  void anUnevenShareRoundsUp() {
    long first = 1_000 * STEP + 1_200;
    // 40 on 3 devices: 13 full steps (39 codes) and one more, in step 1013
    assertEquals(13 * STEP - 1_200, MfaBound.poolLastCodeMillis(900 * STEP, created(first, 40, 10), 3, 5, 0));
    // 40 on 2: steps 1000..1019
    assertEquals(19 * STEP - 1_200, MfaBound.poolLastCodeMillis(900 * STEP, created(first, 40, 10), 2, 5, 0));
  }

  @Test
  void creationsAcrossAStepBoundaryLeaveTheFirstStepPartlyUnused() {
    // two resources in the last 15 ms of step 1000, 38 in step 1001: step 1000 serves only the two,
    // steps 1001..1009 serve 36, and the last two take step 1010 (one step later than if all had
    // been there in step 1000)
    long first = 1_001 * STEP - 15;
    assertEquals(9 * STEP + 15, MfaBound.poolLastCodeMillis(900 * STEP, created(first, 40, 10), 4, 5, 0));
    assertEquals(1_010, MfaBound.poolLastStep(900 * STEP, created(first, 40, 10), 4, 5, 0));
  }

  @Test
  void theRestartGuardHoldsEveryDeviceOfThePool() {
    long start = 1_000 * STEP + 300;
    long first = 1_000 * STEP + 2_000; // the start's step: nobody uses it, the pool begins in step 1001
    assertEquals(STEP - 2_000 + 9 * STEP, MfaBound.poolLastCodeMillis(start, created(first, 40, 10), 4, 5, 0));
  }

  @Test
  void lookAheadLetsThePoolSendEarlier() {
    long start = 1_000 * STEP + 300;
    long first = 1_001 * STEP + 100;
    // guard: steps from 1003; 40 on 4 take 1003..1012; the last is sendable from step 1010
    assertEquals(9 * STEP - 100, MfaBound.poolLastCodeMillis(start, created(first, 40, 10), 4, 5, 2));
    assertEquals(1_012, MfaBound.poolLastStep(start, created(first, 40, 10), 4, 5, 2));
  }

  @Test
  void aResourceCreatedLateIsSentOnceItExists() {
    long first = 1_000 * STEP + 1_000;
    long[] t = {first, first + 10, first + 3_500}; // all in step 1000, two devices: the third takes step 1001
    assertEquals(STEP - 1_000, MfaBound.poolLastCodeMillis(0, t, 2, 5, 0));
    long[] late = {first, first + 10, first + 2_000, first + 2_900};
    // four devices: all four in step 1000, the last sent the moment it exists (1.1 s of its step left)
    assertEquals(2_900, MfaBound.poolLastCodeMillis(0, late, 4, 5, 0));
    long[] tooLate = {first, first + 10, first + 2_000, first + 3_600};
    // the last created with 0.4 s of step 1000 left: not handed out so late, it takes step 1001
    assertEquals(STEP - 1_000, MfaBound.poolLastCodeMillis(0, tooLate, 4, 5, 0));
  }
}

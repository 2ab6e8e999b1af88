package io.bucketprotection.operator.bench;

/**
 * The exact lower bound for N buckets sharing one MFA device, derived from the rules the
 * operator's {@code MfaCodeLedger} follows, not from a rule of thumb like "N steps": the benchmark
 * compares the measured time with it, so the excess over it is what the operator itself costs.
 *
 * <p>The rules: each TOTP step is handed out at most once, in increasing order; step {@code s} can
 * be used from the start of step {@code s - lookAhead}; and after a start (the ledger's creation)
 * in step {@code S}, no step before {@code S + lookAhead + 1} is handed out (the restart guard: the
 * previous process may have used steps up to its look-ahead). The first code of the wave can thus
 * use step {@code s0 = max(S + lookAhead + 1, C)}, where {@code C} is the step in which the first
 * resource was created, and the last of {@code n} codes uses step {@code s0 + n - 1}, sendable from
 * the start of step {@code s0 + n - 1 - lookAhead}, and never before the last resource exists.
 */
public final class MfaBound {

  private MfaBound() {
  }

  /**
   * Milliseconds from the first resource's creation to the earliest moment the last code can be sent.
   *
   * @param ledgerStartMillis when the operator (its ledger) started; the earliest possible value
   *     gives a bound that holds whatever the exact moment was
   * @param firstCreatedMillis when the first resource of the wave was created
   * @param lastCreatedMillis when the last one was
   * @param codes codes the wave needs, one per bucket
   * @param periodSeconds the device's step
   * @param lookAheadSteps future steps the operator may use (spec.mfa.lookAheadSteps)
   */
  public static long lastCodeMillis(long ledgerStartMillis, long firstCreatedMillis, long lastCreatedMillis,
      int codes, int periodSeconds, int lookAheadSteps) {
    long period = periodSeconds * 1000L;
    long startStep = Math.floorDiv(ledgerStartMillis, period);
    long creationStep = Math.floorDiv(firstCreatedMillis, period);
    long firstStep = Math.max(startStep + lookAheadSteps + 1, creationStep);
    long lastStep = firstStep + codes - 1;
    long lastSendable = Math.max(lastCreatedMillis, (lastStep - lookAheadSteps) * period);
    return Math.max(0, lastSendable - firstCreatedMillis);
  }
}

package io.bucketprotection.operator.bench;

import io.bucketprotection.operator.mfa.PoolDevice;
import java.util.Arrays;

/**
 * The exact lower bound for N buckets sharing one MFA device (or a pool of them,
 * {@link #poolLastCodeMillis}), derived from the rules the
 * operator's {@code MfaCodeLedger} follows, not from a rule of thumb like "N steps": the benchmark
 * compares the measured time with it, so the excess over it is what the operator itself costs.
 *
 * <p>The rules: each TOTP step is handed out at most once, in increasing order; step {@code s} can
 * be used from the start of step {@code s - lookAhead}, and no step is handed out in its last
 * {@link PoolDevice#sendMarginMillis} (a resource created then starts at the next step); and after a start (the ledger's creation)
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
    long creationStep = Math.floorDiv(firstCreatedMillis + PoolDevice.sendMarginMillis(period), period);
    long firstStep = Math.max(startStep + lookAheadSteps + 1, creationStep);
    long lastStep = firstStep + codes - 1;
    long lastSendable = Math.max(lastCreatedMillis, (lastStep - lookAheadSteps) * period);
    return Math.max(0, lastSendable - firstCreatedMillis);
  }

  /**
   * The same for a pool of {@code devices} devices of one step length and look-ahead, all unused
   * when the ledger started, serving resources created one by one: milliseconds from the first
   * creation to the earliest moment the last code can be sent.
   *
   * <p>Each device hands out each step at most once, so the pool hands out at most {@code devices}
   * steps of any one step number. A resource created at {@code t} can take a step no earlier than
   * the one {@code t} lies in (the ledger never hands out a past step) nor than the restart
   * guard's end ({@code S + lookAhead + 1}); a code of step {@code s} can be sent from the start of
   * step {@code s - lookAhead}, and not before its resource exists. Taking the resources in the
   * order they were created, each takes the earliest step with a device still free: with release
   * times that only grow and unit jobs on identical devices this greedy order gives the least last
   * step there is, so no schedule the operator could follow ends earlier (the bound is exact, not
   * just safe). Unlike {@link #lastCodeMillis}, a wave whose creations cross a step boundary is
   * not counted as if all were there in the first step.
   *
   * @param ledgerStartMillis when the operator (its ledger) started; the earliest possible value
   *     gives a bound that holds whatever the exact moment was
   * @param createdMillis when each resource was created; a time taken just before its create call
   *     keeps the bound safe (the operator cannot have seen it earlier)
   * @param devices the devices that serve the wave (those whose codes the server accepts)
   * @param periodSeconds the devices' step
   * @param lookAheadSteps future steps the operator may use (lookAheadSteps of every device)
   */
  public static long poolLastCodeMillis(long ledgerStartMillis, long[] createdMillis, int devices,
      int periodSeconds, int lookAheadSteps) {
    long[] created = sorted(createdMillis, devices);
    return Math.max(0, poolSchedule(ledgerStartMillis, created, devices, periodSeconds, lookAheadSteps)[1]
        - created[0]);
  }

  /**
   * The step of the last code in that schedule ({@link #poolLastCodeMillis}): a wave whose last code
   * came in a later step lost steps between its codes; one that came in this step lost time only
   * in sending and answering.
   */
  public static long poolLastStep(long ledgerStartMillis, long[] createdMillis, int devices, int periodSeconds,
      int lookAheadSteps) {
    return poolSchedule(ledgerStartMillis, sorted(createdMillis, devices), devices, periodSeconds,
        lookAheadSteps)[0];
  }

  private static long[] sorted(long[] createdMillis, int devices) {
    if (devices < 1 || createdMillis.length == 0) {
      throw new IllegalArgumentException("a pool has at least one device and a wave at least one resource");
    }
    long[] created = createdMillis.clone();
    Arrays.sort(created);
    return created;
  }

  /** {last step, the earliest moment its code can be sent} for creations in increasing order. */
  private static long[] poolSchedule(long ledgerStartMillis, long[] created, int devices, int periodSeconds,
      int lookAheadSteps) {
    long period = periodSeconds * 1000L;
    long guardEnd = Math.floorDiv(ledgerStartMillis, period) + lookAheadSteps + 1;
    long step = Long.MIN_VALUE;
    int takenInStep = 0;
    long lastSendable = Long.MIN_VALUE;
    for (long t : created) {
      long earliest = Math.max(guardEnd, Math.floorDiv(t + PoolDevice.sendMarginMillis(period), period));
      if (earliest > step) {
        step = earliest; // every step between the current one and this lies before this resource
        takenInStep = 0;
      } else if (takenInStep == devices) {
        step++;
        takenInStep = 0;
      }
      takenInStep++;
      lastSendable = Math.max(lastSendable, Math.max(t, (step - lookAheadSteps) * period));
    }
    return new long[] {step, lastSendable};
  }
}

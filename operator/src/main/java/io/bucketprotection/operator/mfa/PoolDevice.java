package io.bucketprotection.operator.mfa;

/**
 * One device of a pool, as a request for a code names it.
 *
 * @param lookAheadSteps future steps the server accepts and the operator may use (0: only the current)
 * @param seed the seed in use: the paused source's seed, changed, lifts a pause
 */
public record PoolDevice(MfaDevice device, int periodSeconds, int lookAheadSteps, Seed seed) {

  /**
   * The end of a step the ledger does not hand out: a code that reaches RadosGW after its step has
   * ended is accepted but recorded as the later step, and refuses that step's and the next one's
   * codes (two refusals: the device pauses). So a step is handed out only while this much of it is
   * left (a second, or a fifth of a short step); otherwise the change waits for the next one.
   */
  public static long sendMarginMillis(long periodMillis) {
    return Math.min(1_000, periodMillis / 5);
  }

  /**
   * The seed a requester makes its codes with.
   *
   * @param source where it is kept ("Secret ns/root-mfa key seed"): only the paused source's own
   *     seed, changed, lifts a pause
   * @param fingerprint tells two values apart without keeping or showing either
   */
  public record Seed(String source, String fingerprint) {
  }
}

package io.bucketprotection.operator.mfa;

/**
 * One device of a pool, as a request for a code names it.
 *
 * @param lookAheadSteps future steps the server accepts and the operator may use (0: only the current)
 * @param seed the seed in use: the paused source's seed, changed, lifts a pause
 */
public record PoolDevice(MfaDevice device, int periodSeconds, int lookAheadSteps, Seed seed) {

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

package io.bucketprotection.operator.mfa;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Hands out TOTP time steps: each step of each device at most once, ever, and never a step
 * earlier than one already handed out. Real servers refuse a reused code and, like RGW, may
 * refuse every step up to the last one used; several buckets sharing one device therefore
 * take turns, one per step.
 *
 * <p>A step counts as used as soon as it is handed out, whether or not the server then accepts
 * the code: a refused code has still spent one of the device's attempts.
 *
 * <p>After a restart the ledger knows nothing of codes the previous process sent. It therefore
 * hands out nothing until the step current at start-up is over.
 */
public final class MfaCodeLedger {

  /** The answer to a request for a code. */
  public sealed interface Reservation permits Granted, Wait {
  }

  /** Use the code of this step, now. */
  public record Granted(long step) implements Reservation {
  }

  /** This device's current step is taken: ask again at {@code retryAt}. */
  public record Wait(Instant retryAt) implements Reservation {
  }

  private final Clock clock;
  private final long startedAtMillis;
  /** Per device: the first instant (epoch millis) at which a new step may be handed out. */
  private final Map<MfaDevice, Long> nextFreeMillis = new HashMap<>();

  public MfaCodeLedger(Clock clock) {
    this.clock = clock;
    this.startedAtMillis = clock.millis();
  }

  public synchronized Reservation reserve(MfaDevice device, int periodSeconds) {
    long periodMillis = periodSeconds * 1000L;
    long now = clock.millis();
    long free = nextFreeMillis.computeIfAbsent(device, d -> stepEndMillis(startedAtMillis, periodMillis));
    if (now < free) {
      return new Wait(Instant.ofEpochMilli(free));
    }
    long step = Math.floorDiv(now, periodMillis);
    nextFreeMillis.put(device, (step + 1) * periodMillis);
    return new Granted(step);
  }

  private static long stepEndMillis(long instantMillis, long periodMillis) {
    return (Math.floorDiv(instantMillis, periodMillis) + 1) * periodMillis;
  }
}

package io.bucketprotection.operator.mfa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out TOTP time steps, per MFA device: each step at most once, ever, in increasing order,
 * to the change that has waited longest. Real servers refuse a reused code and, like RGW,
 * refuse every step up to the last one used, so buckets sharing a device must take turns.
 *
 * <p>A step counts as used as soon as it is handed out: a refused code has still spent one of
 * the device's attempts. After two refused codes in a row the device is paused (until its seed
 * changes or the pause ends), so a wrong seed, or a second user of the device, cannot lock the
 * real device out.
 *
 * <p>After a restart the ledger knows nothing of the codes the previous process sent, which may
 * have used steps up to its look-ahead past the current one: nothing is handed out until those
 * steps are over (look-ahead + 1 steps).
 */
public final class MfaCodeLedger {

  /** The answer to a request for a code. */
  public sealed interface Reservation permits Granted, Wait, Paused {
  }

  /** Use the code of this step, now; {@code waited} is how long this requester was queued. */
  public record Granted(long step, Duration waited) implements Reservation {
  }

  /**
   * Not yet: ask again at {@code retryAt}.
   *
   * @param position 1 for the next in line
   * @param queueLength how many changes wait for this device
   */
  public record Wait(Instant retryAt, int position, int queueLength) implements Reservation {
  }

  /** The device is paused after refused codes; ask again at {@code until} or once the seed changes. */
  public record Paused(Instant until) implements Reservation {
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

  /** Refused codes in a row that pause a device. */
  public static final int REFUSALS_BEFORE_PAUSE = 2;
  /** A waiter that has not come back this long after its turn has gone away (deleted, changed). */
  private static final long STALE_GRACE_MILLIS = 2_000;
  /** Spacing of retries for waiters whose step is already usable (look-ahead > 0). */
  private static final long SAME_STEP_RETRY_MILLIS = 250;

  private static final class DeviceState {
    /** The smallest step that may still be handed out. */
    long nextFreeStep;
    long periodMillis;
    /** Waiting requesters in arrival order, with the time they were told to come back. */
    final LinkedHashMap<String, Long> queue = new LinkedHashMap<>();
    /** When each waiting requester first asked. */
    final Map<String, Long> firstAsked = new HashMap<>();
    int refusalsInARow;
    Instant pausedUntil;
    Seed pausedSeed;

    DeviceState(long nextFreeStep, long periodMillis) {
      this.nextFreeStep = nextFreeStep;
      this.periodMillis = periodMillis;
    }
  }

  private final Clock clock;
  private final Duration pauseDuration;
  private final long startedAtMillis;
  private final Map<MfaDevice, DeviceState> devices = new HashMap<>();

  public MfaCodeLedger(Clock clock, Duration pauseDuration) {
    this.clock = clock;
    this.pauseDuration = pauseDuration;
    this.startedAtMillis = clock.millis();
  }

  /**
   * Asks for a step of {@code device}'s codes.
   *
   * @param requester who asks ("namespace/name"): its place in the queue is kept between calls
   * @param lookAheadSteps future steps the server accepts and the operator may use (0: only the current)
   * @param seed the seed in use: the paused source's seed, changed, lifts a pause
   */
  public synchronized Reservation reserve(MfaDevice device, String requester, int periodSeconds,
      int lookAheadSteps, Seed seed) {
    long periodMillis = periodSeconds * 1000L;
    long now = clock.millis();
    long nowStep = Math.floorDiv(now, periodMillis);
    DeviceState state = devices.computeIfAbsent(device,
        d -> new DeviceState(Math.floorDiv(startedAtMillis, periodMillis) + lookAheadSteps + 1, periodMillis));
    if (state.periodMillis != periodMillis) {
      // Steps of another length: carry the boundary over as a time, never backwards.
      long freeAt = state.nextFreeStep * state.periodMillis;
      state.nextFreeStep = Math.floorDiv(freeAt + periodMillis - 1, periodMillis);
      state.periodMillis = periodMillis;
    }

    if (state.pausedUntil != null) {
      boolean seedFixed = state.pausedSeed.source().equals(seed.source())
          && !state.pausedSeed.fingerprint().equals(seed.fingerprint());
      if (now < state.pausedUntil.toEpochMilli() && !seedFixed) {
        return new Paused(state.pausedUntil);
      }
      state.pausedUntil = null;
      state.pausedSeed = null;
      state.refusalsInARow = 0;
    }

    state.queue.entrySet().removeIf(e -> !e.getKey().equals(requester)
        && now > e.getValue() + periodMillis + STALE_GRACE_MILLIS);
    state.firstAsked.keySet().retainAll(state.queue.keySet());
    state.queue.putIfAbsent(requester, now);
    state.firstAsked.putIfAbsent(requester, now);
    int position = indexOf(state.queue, requester);
    long firstUsable = Math.max(state.nextFreeStep, nowStep);

    if (position == 0 && firstUsable <= nowStep + lookAheadSteps) {
      state.queue.remove(requester);
      long asked = state.firstAsked.remove(requester);
      state.nextFreeStep = firstUsable + 1;
      return new Granted(firstUsable, Duration.ofMillis(now - asked));
    }
    // This requester's step, and the first moment the server accepts it.
    long turnStep = firstUsable + position;
    long retryAt = Math.max((turnStep - lookAheadSteps) * periodMillis, now + SAME_STEP_RETRY_MILLIS * (position + 1));
    state.queue.put(requester, retryAt);
    return new Wait(Instant.ofEpochMilli(retryAt), position + 1, state.queue.size());
  }

  /** The server accepted a code of this device. */
  public synchronized void accepted(MfaDevice device) {
    DeviceState state = devices.get(device);
    if (state != null) {
      state.refusalsInARow = 0;
    }
  }

  /**
   * The server refused a code of this device.
   *
   * @return true when this refusal paused the device
   */
  public synchronized boolean refused(MfaDevice device, Seed seed) {
    DeviceState state = devices.get(device);
    if (state == null) {
      return false;
    }
    state.refusalsInARow++;
    if (state.refusalsInARow >= REFUSALS_BEFORE_PAUSE && state.pausedUntil == null) {
      state.pausedUntil = clock.instant().plus(pauseDuration);
      state.pausedSeed = seed;
      state.queue.clear();
      state.firstAsked.clear();
      return true;
    }
    return false;
  }

  /** When the device's pause ends, or null when it is not paused. */
  public synchronized Instant pausedUntil(MfaDevice device) {
    DeviceState state = devices.get(device);
    return state == null ? null : state.pausedUntil;
  }

  /** When this device may next hand out a step (for the retry time after a refusal). */
  public synchronized Instant nextStepStart(MfaDevice device, int periodSeconds) {
    long periodMillis = periodSeconds * 1000L;
    DeviceState state = devices.get(device);
    long nowStep = Math.floorDiv(clock.millis(), periodMillis);
    long next = state == null ? nowStep + 1 : Math.max(state.nextFreeStep, nowStep + 1);
    return Instant.ofEpochMilli(next * periodMillis);
  }

  /** Changes waiting for a step, over all devices (bpo_mfa_queue_length). */
  public synchronized int waiting() {
    return devices.values().stream().mapToInt(state -> state.queue.size()).sum();
  }

  private static int indexOf(LinkedHashMap<String, Long> queue, String requester) {
    List<String> keys = new ArrayList<>(queue.keySet());
    return keys.indexOf(requester);
  }
}

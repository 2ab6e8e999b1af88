package io.bucketprotection.operator.mfa;

import io.bucketprotection.operator.mfa.Reservation.Paused;
import io.bucketprotection.operator.mfa.PoolDevice.Seed;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * What the {@link MfaCodeLedger} knows of one device: the next step it may hand out and its
 * pauses (for everyone, or for one namespace). The changes waiting for it wait in the lines of
 * the pools that name it ({@link PoolLine}). Not thread-safe: the ledger holds its lock around
 * every use.
 */
final class DeviceLine {

  /** A waiter that has not come back this long after its turn has gone away (deleted, changed). */
  private static final long STALE_GRACE_MILLIS = 2_000;

  /** The smallest step that may still be handed out. */
  long nextFreeStep;
  long periodMillis;
  int refusalsInARow;
  Instant pausedUntil;
  Seed pausedSeed;
  /** When a code of this device was last handed out or refused: until a pause has passed, its fate still counts. */
  long lastCodeMillis = Long.MIN_VALUE;
  /** The namespace whose code was refused last, since the last acceptance. */
  String lastRefusedNamespace;
  /** Refusals in a row per namespace (reset by an acceptance of that namespace's code). */
  final Map<String, Integer> namespaceRefusals = new HashMap<>();
  /** Namespaces whose coded changes on this device are paused, until when, and with which seed. */
  final Map<String, Instant> namespacePausedUntil = new HashMap<>();
  final Map<String, Seed> namespacePausedSeed = new HashMap<>();

  DeviceLine(long nextFreeStep, long periodMillis) {
    this.nextFreeStep = nextFreeStep;
    this.periodMillis = periodMillis;
  }

  /** Steps of another length: carry the boundary over as a time, never backwards. */
  void useStepsOf(long newPeriodMillis) {
    if (periodMillis != newPeriodMillis) {
      long freeAt = nextFreeStep * periodMillis;
      nextFreeStep = Math.floorDiv(freeAt + newPeriodMillis - 1, newPeriodMillis);
      periodMillis = newPeriodMillis;
    }
  }

  /**
   * The pause that holds {@code namespace}'s changes now (the device's, else the namespace's), or
   * null. A pause that has ended, or whose source's seed has changed since, is lifted.
   */
  Paused pauseFor(String namespace, long now, Seed seed) {
    if (pausedUntil != null) {
      if (now < pausedUntil.toEpochMilli() && !fixed(pausedSeed, seed)) {
        return new Paused(pausedUntil);
      }
      pausedUntil = null;
      pausedSeed = null;
      refusalsInARow = 0;
    }
    Instant namespaceUntil = namespacePausedUntil.get(namespace);
    if (namespaceUntil != null) {
      if (now < namespaceUntil.toEpochMilli() && !fixed(namespacePausedSeed.get(namespace), seed)) {
        return new Paused(namespaceUntil, true);
      }
      namespacePausedUntil.remove(namespace);
      namespacePausedSeed.remove(namespace);
      namespaceRefusals.remove(namespace);
    }
    return null;
  }

  /** The paused source's own seed, changed: the pause is lifted. */
  private static boolean fixed(Seed paused, Seed now) {
    return paused.source().equals(now.source()) && !paused.fingerprint().equals(now.fingerprint());
  }

  /** A code of it was accepted (for {@code namespace}, or null): refusals in a row start again. */
  void accepted(String namespace) {
    refusalsInARow = 0;
    lastRefusedNamespace = null;
    if (namespace != null) {
      namespaceRefusals.remove(namespace);
    }
  }

  /** Whether the device serves {@code namespace}'s changes now: neither it nor that namespace's use of it is paused. */
  boolean serves(String namespace, long now) {
    if (pausedUntil != null && now < pausedUntil.toEpochMilli()) {
      return false;
    }
    Instant namespaceUntil = namespacePausedUntil.get(namespace);
    return namespaceUntil == null || now >= namespaceUntil.toEpochMilli();
  }

  /**
   * A refusal of one namespace's code: {@code before} in a row pause that namespace's changes on
   * this device. Returns the pause it started, or null.
   */
  Paused refusedInNamespace(String namespace, Seed seed, Instant now, Duration pause, int before) {
    refusalsInARow++;
    lastCodeMillis = now.toEpochMilli();
    int inARow = namespaceRefusals.merge(namespace, 1, Integer::sum);
    if (inARow < before || namespacePausedUntil.containsKey(namespace)) {
      return null;
    }
    Instant until = now.plus(pause);
    namespacePausedUntil.put(namespace, until);
    namespacePausedSeed.put(namespace, seed);
    return new Paused(until, true);
  }

  /** A refusal that counts for the whole device: {@code before} in a row pause it for everyone. */
  boolean refusedOnDevice(Seed seed, Instant now, Duration pause, int before) {
    refusalsInARow++;
    lastCodeMillis = now.toEpochMilli();
    if (refusalsInARow < before || pausedUntil != null) {
      return false;
    }
    pausedUntil = now.plus(pause);
    pausedSeed = seed;
    return true;
  }

  /**
   * Whether a fresh state would say the same. Anyone who may create a resource can name a device
   * with any serial number, so the ledger must not remember every device it has seen.
   * A device is forgotten when its state says nothing a fresh state would not say:
   * <ul>
   *   <li>no one waits for it (a waiter that has not come back long after its turn is gone, by the
   *       same rule {@code MfaCodeLedger.reserve} applies; it may come back, at the end of the queue);</li>
   *   <li>it is not paused, or the pause has ended;</li>
   *   <li>every step it handed out ended at least one step length ago, for the longest step length
   *       asked for so far: a fresh state's first step, at the current time, then lies after them,
   *       whatever step length it is asked with;</li>
   *   <li>no code of it was handed out or refused within the pause duration: an older refusal is
   *       forgotten (as a pause would have ended by now), and the verdict on a code still in flight
   *       is not lost.</li>
   * </ul>
   * A clock may step back, so the ledger keeps one number for all forgotten devices: the end of the
   * latest step any of them handed out. No fresh state starts before it, so even then no step is
   * handed out twice or out of order. With a clock that only moves forward that bound already lies
   * in the past for every device and changes no answer.
   *
   * @param longestPeriodMillis the longest step length asked for so far
   * @param noOneWaits no pool line that names the device holds a waiter that may still come back
   */
  boolean idle(long now, long longestPeriodMillis, Duration pause, boolean noOneWaits) {
    // Implied today by codesSettled, since a pause starts at a refusal; stated so the rule does not hang on that.
    boolean notPaused = (pausedUntil == null || now >= pausedUntil.toEpochMilli())
        && namespacePausedUntil.values().stream().allMatch(until -> now >= until.toEpochMilli());
    boolean stepsOver = nextFreeStep * periodMillis <= now - longestPeriodMillis;
    boolean codesSettled = lastCodeMillis <= now - pause.toMillis();
    return noOneWaits && notPaused && stepsOver && codesSettled;
  }

  /** A waiter told to come back at {@code retryAt} that has not, a step and a grace later, has gone away. */
  static boolean gone(long retryAt, long periodMillis, long now) {
    return now > retryAt + periodMillis + STALE_GRACE_MILLIS;
  }

  /**
   * Removes the idle devices ({@link #idle}) of {@code states}, except those {@code awaited} (a
   * pool line names them): the end, as a time, of the latest step one of them handed out, or
   * Long.MIN_VALUE.
   */
  static long forgetIdle(Map<MfaDevice, DeviceLine> states, Set<MfaDevice> awaited, long now, long longestPeriodMillis,
      Duration pause) {
    long forgottenEnd = Long.MIN_VALUE;
    Iterator<Map.Entry<MfaDevice, DeviceLine>> entries = states.entrySet().iterator();
    while (entries.hasNext()) {
      Map.Entry<MfaDevice, DeviceLine> entry = entries.next();
      DeviceLine state = entry.getValue();
      if (state.idle(now, longestPeriodMillis, pause, !awaited.contains(entry.getKey()))) {
        forgottenEnd = Math.max(forgottenEnd, state.nextFreeStep * state.periodMillis);
        entries.remove();
      }
    }
    return forgottenEnd;
  }
}

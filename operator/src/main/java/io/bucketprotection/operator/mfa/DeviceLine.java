package io.bucketprotection.operator.mfa;

import io.bucketprotection.operator.mfa.MfaCodeLedger.Paused;
import io.bucketprotection.operator.mfa.MfaCodeLedger.QueueFull;
import io.bucketprotection.operator.mfa.MfaCodeLedger.Seed;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@link MfaCodeLedger} knows of one device: the next step it may hand out, its line of
 * waiting changes, and its pauses (for everyone, or for one namespace). Not thread-safe: the
 * ledger holds its lock around every use.
 */
final class DeviceLine {

  /** A waiter that has not come back this long after its turn has gone away (deleted, changed). */
  private static final long STALE_GRACE_MILLIS = 2_000;

  /** The smallest step that may still be handed out. */
  long nextFreeStep;
  long periodMillis;
  /** Waiting requesters in arrival order, with the time they were told to come back. */
  final LinkedHashMap<String, Long> queue = new LinkedHashMap<>();
  /** When each waiting requester first asked. */
  final Map<String, Long> firstAsked = new HashMap<>();
  /** Whose turn it is: the line is served one namespace at a time. */
  final FairTurns turns = new FairTurns();
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

  /**
   * Puts {@code requester} in line (it keeps its place if it is there): null, or the refusal when
   * its namespace already has {@code perNamespace} changes waiting. Waiters that went away leave.
   */
  QueueFull join(String requester, long now, int perNamespace) {
    queue.entrySet().removeIf(e -> !e.getKey().equals(requester) && gone(e.getValue(), periodMillis, now));
    firstAsked.keySet().retainAll(queue.keySet());
    if (!queue.containsKey(requester)) {
      String namespace = namespaceOf(requester);
      long waitingOfNamespace = queue.keySet().stream().filter(w -> namespaceOf(w).equals(namespace)).count();
      if (waitingOfNamespace >= perNamespace) {
        return new QueueFull(Instant.ofEpochMilli(now + periodMillis), (int) waitingOfNamespace);
      }
    }
    queue.putIfAbsent(requester, now);
    firstAsked.putIfAbsent(requester, now);
    return null;
  }

  /**
   * A refusal of one namespace's code: {@code before} in a row pause that namespace's changes on
   * this device (its waiters leave the line). Returns the pause it started, or null.
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
    queue.keySet().removeIf(waiter -> namespaceOf(waiter).equals(namespace));
    firstAsked.keySet().retainAll(queue.keySet());
    return new Paused(until, true);
  }

  /** A refusal that counts for the whole device: {@code before} in a row pause it for everyone (the line empties). */
  boolean refusedOnDevice(Seed seed, Instant now, Duration pause, int before) {
    refusalsInARow++;
    lastCodeMillis = now.toEpochMilli();
    if (refusalsInARow < before || pausedUntil != null) {
      return false;
    }
    pausedUntil = now.plus(pause);
    pausedSeed = seed;
    queue.clear();
    firstAsked.clear();
    return true;
  }

  /**
   * Whether a fresh state would say the same (the rule is in {@link MfaCodeLedger}'s comment).
   *
   * @param longestPeriodMillis the longest step length asked for so far
   */
  boolean idle(long now, long longestPeriodMillis, Duration pause) {
    boolean noOneWaits = queue.values().stream().allMatch(retryAt -> gone(retryAt, periodMillis, now));
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

  private static String namespaceOf(String requester) {
    return FairTurns.namespaceOf(requester);
  }
}

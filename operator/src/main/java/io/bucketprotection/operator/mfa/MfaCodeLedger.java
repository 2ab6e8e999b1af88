package io.bucketprotection.operator.mfa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Hands out TOTP time steps, per MFA device: each step at most once, ever, in increasing order.
 * A device's line is served one namespace at a time, in turn ({@link FairTurns}); within a
 * namespace, the change that has waited longest goes first. Real servers refuse a reused code and, like RGW,
 * refuse every step up to the last one used, so buckets sharing a device must take turns.
 *
 * <p>A step counts as used as soon as it is handed out: a refused code has still spent one of
 * the device's attempts. After two refused codes in a row the device is paused (until its seed
 * changes or the pause ends), so a wrong seed, or a second user of the device, cannot lock the
 * real device out.
 *
 * <p>After a restart the ledger knows nothing of the codes the previous process sent, which may
 * have used steps up to its look-ahead past the current one: nothing is handed out until those
 * steps are over (look-ahead + 1 steps). The guard starts when this replica starts reconciling
 * ({@link #startGuard}): for a standby that becomes leader, at the hand-over, not when it was
 * built minutes earlier, since the old leader may have used the current step a moment ago. The
 * guard is applied on every request, with that request's look-ahead, not only when a device is
 * first seen: a look-ahead raised during the guard must not reach back into steps the previous
 * process may have used with it.
 *
 * <p>Anyone who may create a resource can name a device with any serial number, so the ledger
 * must not remember every device it has seen. Once a minute, {@link #reserve} forgets a device
 * whose state says nothing a fresh state would not say:
 * <ul>
 *   <li>no one waits for it (a waiter that has not come back long after its turn is gone, by the
 *       same rule {@code reserve} applies; it may come back, at the end of the queue);</li>
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
 */
public final class MfaCodeLedger {

  /** The answer to a request for a code. */
  public sealed interface Reservation permits Granted, Wait, Paused, QueueFull {
  }

  /**
   * The requester's namespace already has {@link #WAITING_PER_NAMESPACE} changes in this device's
   * line: ask again at {@code retryAt}, without a place (so one namespace cannot queue thousands
   * of changes ahead of everyone else).
   */
  public record QueueFull(Instant retryAt, int waiting) implements Reservation {
  }

  /** Use the code of this step, now; {@code waited} is how long this requester was queued. */
  public record Granted(long step, Duration waited) implements Reservation {
  }

  /**
   * Not yet: ask again at {@code retryAt}.
   *
   * @param position 1 for the next in line (namespaces take turns): for the ledger, never shown
   * @param ownPlace the place among the requester's own namespace's changes for this device
   * @param ownWaiting how many changes of the requester's namespace wait for this device: what a
   *     namespace may be told (other namespaces' counts would tell it of their activity)
   */
  public record Wait(Instant retryAt, int position, int ownPlace, int ownWaiting) implements Reservation {
  }

  /**
   * The device is paused after refused codes; ask again at {@code until} or once the seed changes.
   *
   * @param namespaceOnly only the asking namespace's changes are paused: its own codes were
   *     refused (a bucket that is not the account's, say), and the other namespaces keep the device
   */
  public record Paused(Instant until, boolean namespaceOnly) implements Reservation {
    public Paused(Instant until) {
      this(until, false);
    }
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

  /** The most changes of one namespace that wait in one device's line. */
  public static final int WAITING_PER_NAMESPACE = 100;
  /** Refused codes in a row that pause a device. */
  public static final int REFUSALS_BEFORE_PAUSE = 2;
  /** Spacing of retries for waiters whose step is already usable (look-ahead > 0). */
  private static final long SAME_STEP_RETRY_MILLIS = 250;
  /** How often, at most, {@link #reserve} looks for devices to forget: each look visits them all. */
  private static final long FORGET_EVERY_MILLIS = 60_000;

  private final Clock clock;
  private final Duration pauseDuration;
  private long startedAtMillis;
  private final Map<MfaDevice, DeviceLine> devices = new HashMap<>();
  /** The end, as a time, of the latest step a forgotten device handed out: no fresh state starts earlier. */
  private long forgottenStepsEndMillis = Long.MIN_VALUE;
  /** The longest step asked for so far: a device is forgotten only this long after its last step ended. */
  private long longestPeriodMillis;
  private long lastForgetMillis;

  /** A ledger whose restart guard starts now (call {@link #startGuard} again when reconciling starts later). */
  public MfaCodeLedger(Clock clock, Duration pauseDuration) {
    this.clock = clock;
    this.pauseDuration = pauseDuration;
    this.startedAtMillis = clock.millis();
    this.lastForgetMillis = startedAtMillis;
  }

  /**
   * This replica starts reconciling (it became the leader): forget everything and send no code
   * until every step another replica might have used is over.
   */
  public synchronized void startGuard() {
    startedAtMillis = clock.millis();
    devices.clear();
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
    longestPeriodMillis = Math.max(longestPeriodMillis, periodMillis);
    // Either way: a clock stepped back by a minute or more must not stop the forgetting for as long.
    if (Math.abs(now - lastForgetMillis) >= FORGET_EVERY_MILLIS) {
      forgetIdleDevices(now);
      lastForgetMillis = now;
    }
    long nowStep = Math.floorDiv(now, periodMillis);
    // A device seen for the first time, or again after it was forgotten: the restart guard is
    // applied below, whatever the state; here only the steps forgotten devices spent.
    DeviceLine state = devices.computeIfAbsent(device,
        d -> new DeviceLine(Math.floorDiv(forgottenStepsEndMillis + periodMillis - 1, periodMillis), periodMillis));
    state.useStepsOf(periodMillis);
    String namespace = namespaceOf(requester);
    Paused paused = state.pauseFor(namespace, now, seed);
    if (paused != null) {
      return paused;
    }
    QueueFull full = state.join(requester, now, WAITING_PER_NAMESPACE);
    if (full != null) {
      return full;
    }
    List<String> order = state.turns.order(state.queue.keySet());
    int position = order.indexOf(requester);
    long guardEndStep = Math.floorDiv(startedAtMillis, periodMillis) + lookAheadSteps + 1;
    long firstUsable = Math.max(Math.max(state.nextFreeStep, nowStep), guardEndStep);

    if (position == 0 && firstUsable <= nowStep + lookAheadSteps) {
      state.queue.remove(requester);
      state.turns.served(requester);
      long asked = state.firstAsked.remove(requester);
      state.nextFreeStep = firstUsable + 1;
      state.lastCodeMillis = now;
      return new Granted(firstUsable, Duration.ofMillis(now - asked));
    }
    // This requester's step, and the first moment the server accepts it.
    long turnStep = firstUsable + position;
    long retryAt = Math.max((turnStep - lookAheadSteps) * periodMillis, now + SAME_STEP_RETRY_MILLIS * (position + 1));
    state.queue.put(requester, retryAt);
    List<String> own = order.stream().filter(waiter -> namespaceOf(waiter).equals(namespace)).toList();
    return new Wait(Instant.ofEpochMilli(retryAt), position + 1, own.indexOf(requester) + 1, own.size());
  }

  /** The server accepted a code of this device. */
  public synchronized void accepted(MfaDevice device) {
    accepted(device, null);
  }

  /** The server accepted a code of this device, for {@code requester} ("namespace/name"). */
  public synchronized void accepted(MfaDevice device, String requester) {
    DeviceLine state = devices.get(device);
    if (state != null) {
      state.refusalsInARow = 0;
      state.lastRefusedNamespace = null;
      if (requester != null) {
        state.namespaceRefusals.remove(namespaceOf(requester));
      }
    }
  }

  /**
   * The server refused a code of this device sent for {@code requester} ("namespace/name").
   * Refusals count per namespace: two in a row pause that namespace's changes on the device (a
   * tenant naming a bucket the account does not own spends its own attempts, nobody else's). The
   * device pauses for all when refusals come from two namespaces in a row: then the device, its
   * seed or the root keys are at fault, and more attempts could lock the real device.
   *
   * @return the pause this refusal started, or null
   */
  public synchronized Paused refusedFor(MfaDevice device, String requester, Seed seed) {
    return refusedFor(device, requester, seed, false);
  }

  /**
   * @param soleNamespace the device's users are one namespace: its refusals pause the device itself
   */
  public synchronized Paused refusedFor(MfaDevice device, String requester, Seed seed, boolean soleNamespace) {
    DeviceLine state = devices.get(device);
    if (state == null) {
      return null;
    }
    if (soleNamespace) {
      return refused(device, seed) ? new Paused(state.pausedUntil, false) : null;
    }
    String namespace = namespaceOf(requester);
    boolean fromAnotherNamespace = state.lastRefusedNamespace != null && !state.lastRefusedNamespace.equals(namespace);
    state.lastRefusedNamespace = namespace;
    if (fromAnotherNamespace) {
      return refused(device, seed) ? new Paused(state.pausedUntil, false) : null;
    }
    return state.refusedInNamespace(namespace, seed, clock.instant(), pauseDuration, REFUSALS_BEFORE_PAUSE);
  }

  private static String namespaceOf(String requester) {
    return FairTurns.namespaceOf(requester);
  }

  /**
   * The server refused a code of this device.
   *
   * @return true when this refusal paused the device
   */
  public synchronized boolean refused(MfaDevice device, Seed seed) {
    DeviceLine state = devices.get(device);
    if (state == null) {
      return false;
    }
    return state.refusedOnDevice(seed, clock.instant(), pauseDuration, REFUSALS_BEFORE_PAUSE);
  }

  /** When the device's pause ends, or null when it is not paused. */
  public synchronized Instant pausedUntil(MfaDevice device) {
    DeviceLine state = devices.get(device);
    return state == null ? null : state.pausedUntil;
  }

  /** When this device may next hand out a step (for the retry time after a refusal). */
  public synchronized Instant nextStepStart(MfaDevice device, int periodSeconds) {
    long periodMillis = periodSeconds * 1000L;
    DeviceLine state = devices.get(device);
    long nowStep = Math.floorDiv(clock.millis(), periodMillis);
    long next = state == null ? nowStep + 1 : Math.max(state.nextFreeStep, nowStep + 1);
    return Instant.ofEpochMilli(next * periodMillis);
  }

  /** Changes waiting for a step, over all devices (bpo_mfa_queue_length). */
  public synchronized int waiting() {
    return devices.values().stream().mapToInt(state -> state.queue.size()).sum();
  }

  /** Devices the ledger remembers (bpo_mfa_devices): bounded by those in use, not by all ever named. */
  public synchronized int devices() {
    return devices.size();
  }

  /** Forgets the devices whose state a fresh one would match (the rule is in the class comment). */
  private void forgetIdleDevices(long now) {
    Iterator<DeviceLine> states = devices.values().iterator();
    while (states.hasNext()) {
      DeviceLine state = states.next();
      if (idle(state, now)) {
        forgottenStepsEndMillis = Math.max(forgottenStepsEndMillis, state.nextFreeStep * state.periodMillis);
        states.remove();
      }
    }
  }

  private boolean idle(DeviceLine state, long now) {
    return state.idle(now, longestPeriodMillis, pauseDuration);
  }
}

package io.bucketprotection.operator.mfa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.bucketprotection.operator.mfa.PoolDevice.Seed;
import io.bucketprotection.operator.mfa.Reservation.Granted;
import io.bucketprotection.operator.mfa.Reservation.Paused;
import io.bucketprotection.operator.mfa.Reservation.QueueFull;
import io.bucketprotection.operator.mfa.Reservation.Wait;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

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
  /** The lines of changes waiting, one per pool (a device alone is a pool of one). */
  private final Map<List<MfaDevice>, PoolLine> pools = new HashMap<>();
  /** The end, as a time, of the latest step a forgotten device handed out: no fresh state starts earlier. */
  private long forgottenStepsEndMillis = Long.MIN_VALUE;
  /** The longest step asked for so far: a device is forgotten only this long after its last step ended. */
  private long longestPeriodMillis;
  private long lastForgetMillis;
  /** Told of the devices whose state an account's status should show anew ({@link #watch}). */
  private final List<Consumer<List<MfaDevice>>> watchers = new CopyOnWriteArrayList<>();

  /** A ledger whose restart guard starts now (call {@link #startGuard} again when reconciling starts later). */
  public MfaCodeLedger(Clock clock, Duration pauseDuration) {
    this.clock = clock;
    this.pauseDuration = pauseDuration;
    this.startedAtMillis = clock.millis();
    this.lastForgetMillis = startedAtMillis;
  }

  /**
   * Calls {@code watcher} with a pool's devices when its line starts or stops holding waiters, and
   * with a device when it pauses: the moments an account's status.mfaDevices changes its story
   * (while changes wait, the account looks again by itself). It must not block: it runs while the
   * ledger is locked.
   */
  public void watch(Consumer<List<MfaDevice>> watcher) {
    watchers.add(watcher);
  }

  private void changed(List<MfaDevice> devices) {
    watchers.forEach(watcher -> watcher.accept(devices));
  }

  /**
   * This replica starts reconciling (it became the leader): forget everything and send no code
   * until every step another replica might have used is over.
   */
  public synchronized void startGuard() {
    startedAtMillis = clock.millis();
    devices.clear();
    pools.clear();
  }

  /** Asks for a step of one device's codes (a pool of one; see {@link #reserve(List, String)}). */
  public Reservation reserve(MfaDevice device, String requester, int periodSeconds, int lookAheadSteps, Seed seed) {
    return reserve(List.of(new PoolDevice(device, periodSeconds, lookAheadSteps, seed)), requester);
  }

  /**
   * Asks for a step of one of {@code pool}'s devices: the requester takes its place in the pool's
   * line, and, when its turn has come, the earliest free step of a device that serves its
   * namespace. A paused device serves nobody (or not the namespace it is paused for): the pool's
   * other devices serve its waiters; when every device is paused, the pause that ends first is the
   * answer.
   *
   * @param requester who asks ("namespace/name"): its place in the line is kept between calls
   */
  public synchronized Reservation reserve(List<PoolDevice> pool, String requester) {
    long now = clock.millis();
    if (Math.abs(now - lastForgetMillis) >= FORGET_EVERY_MILLIS) {
      // Either way: a clock stepped back by a minute or more must not stop the forgetting for as long.
      forgetIdleDevices(now);
      lastForgetMillis = now;
    }
    String namespace = namespaceOf(requester);
    DeviceLine[] lines = new DeviceLine[pool.size()];
    long[] firstFree = new long[pool.size()];
    long[] periods = new long[pool.size()];
    Paused firstBack = null;
    for (int i = 0; i < lines.length; i++) {
      PoolDevice member = pool.get(i);
      periods[i] = member.periodSeconds() * 1000L;
      longestPeriodMillis = Math.max(longestPeriodMillis, periods[i]);
      lines[i] = line(member.device(), periods[i]);
      Paused paused = lines[i].pauseFor(namespace, now, member.seed());
      if (paused != null && (firstBack == null || paused.until().isBefore(firstBack.until()))) {
        firstBack = paused.of(member.device());
      }
      // The restart guard, with this request's look-ahead (see the class comment).
      long guardEndStep = Math.floorDiv(startedAtMillis, periods[i]) + member.lookAheadSteps() + 1;
      firstFree[i] = Math.max(Math.max(lines[i].nextFreeStep, Math.floorDiv(now, periods[i])), guardEndStep);
    }
    if (Arrays.stream(lines).noneMatch(line -> line.serves(namespace, now))) {
      return firstBack;
    }
    PoolLine line = pools.computeIfAbsent(pool.stream().map(PoolDevice::device).toList(), PoolLine::new);
    long longest = Arrays.stream(periods).max().orElseThrow();
    boolean wasIdle = line.queue.isEmpty();
    QueueFull full = line.join(requester, now, WAITING_PER_NAMESPACE * pool.size(), longest);
    if (full != null) {
      return full;
    }
    List<String> order = line.turns.order(line.queue.keySet());
    int position = order.indexOf(requester);
    List<PoolLine.Slot> slots = PoolLine.assign(order, position, firstFree, periods,
        (device, waiterNamespace) -> lines[device].serves(waiterNamespace, now));
    PoolLine.Slot mine = slots.get(position);
    PoolDevice member = pool.get(mine.device());
    if (mine.step() == firstFree[mine.device()]
        && mine.step() <= Math.floorDiv(now, periods[mine.device()]) + member.lookAheadSteps()) {
      long asked = line.served(requester);
      lines[mine.device()].nextFreeStep = mine.step() + 1;
      lines[mine.device()].lastCodeMillis = now;
      if (line.queue.isEmpty()) {
        changed(line.devices);
      }
      return new Granted(member.device(), mine.step(), Duration.ofMillis(now - asked));
    }
    // The first moment the server accepts this requester's step.
    long retryAt = Math.max((mine.step() - member.lookAheadSteps()) * periods[mine.device()],
        now + SAME_STEP_RETRY_MILLIS * (position + 1));
    line.queue.put(requester, retryAt);
    if (wasIdle) {
      changed(line.devices);
    }
    return waiting(order, slots, position, retryAt, member.device());
  }

  /** The wait of the requester at {@code position}, told only of its own namespace's changes. */
  private static Wait waiting(List<String> order, List<PoolLine.Slot> slots, int position, long retryAt,
      MfaDevice device) {
    String requester = order.get(position);
    String namespace = namespaceOf(requester);
    int ownPlace = 0;
    int ownWaiting = 0;
    int devicePlace = 0;
    for (int i = 0; i < order.size(); i++) {
      if (namespaceOf(order.get(i)).equals(namespace)) {
        ownWaiting++;
        ownPlace += i <= position ? 1 : 0;
        devicePlace += i <= position && slots.get(i) != null && slots.get(i).device() == slots.get(position).device()
            ? 1 : 0;
      }
    }
    return new Wait(Instant.ofEpochMilli(retryAt), position + 1, ownPlace, ownWaiting, device, devicePlace);
  }

  /** The device's state, made fresh when it is seen for the first time (or again after it was forgotten). */
  private DeviceLine line(MfaDevice device, long periodMillis) {
    // The restart guard is applied by the caller, whatever the state; here only the steps forgotten devices spent.
    DeviceLine state = devices.computeIfAbsent(device,
        d -> new DeviceLine(Math.floorDiv(forgottenStepsEndMillis + periodMillis - 1, periodMillis), periodMillis));
    state.useStepsOf(periodMillis);
    return state;
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
    String namespace = namespaceOf(requester);
    boolean fromAnotherNamespace = state.lastRefusedNamespace != null && !state.lastRefusedNamespace.equals(namespace);
    state.lastRefusedNamespace = soleNamespace ? state.lastRefusedNamespace : namespace;
    Paused paused = soleNamespace || fromAnotherNamespace
        ? (refused(device, seed) ? new Paused(state.pausedUntil, false, device) : null)
        : state.refusedInNamespace(namespace, seed, clock.instant(), pauseDuration, REFUSALS_BEFORE_PAUSE);
    if (paused != null) {
      dropStranded(device, paused.namespaceOnly() ? namespace : null);
      changed(List.of(device));
    }
    return paused == null ? null : paused.of(device);
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
    if (state == null || !state.refusedOnDevice(seed, clock.instant(), pauseDuration, REFUSALS_BEFORE_PAUSE)) {
      return false;
    }
    dropStranded(device, null);
    changed(List.of(device));
    return true;
  }

  /**
   * A device just paused (for {@code namespace}, or for everyone when null): waiters that no device
   * of their pool serves now leave its line, as a device alone has always emptied its line. The
   * others stay, and take the steps of the pool's devices that still serve them.
   */
  private void dropStranded(MfaDevice device, String namespace) {
    long now = clock.millis();
    for (PoolLine line : pools.values()) {
      if (!line.devices.contains(device)) {
        continue;
      }
      for (String waiterNamespace : line.queue.keySet().stream().map(FairTurns::namespaceOf).distinct().toList()) {
        boolean served = line.devices.stream().map(devices::get)
            .anyMatch(state -> state == null || state.serves(waiterNamespace, now));
        if (!served && (namespace == null || namespace.equals(waiterNamespace))) {
          line.drop(waiterNamespace);
        }
      }
    }
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

  /** Changes waiting for a step, over all pools (bpo_mfa_queue_length). */
  public synchronized int waiting() {
    return pools.values().stream().mapToInt(line -> line.queue.size()).sum();
  }

  /**
   * Changes waiting for a step, by the device each will take as things stand (bpo_mfa_queue_length{device}),
   * with 0 for every other device the ledger remembers. Waiters no device serves now are left out.
   */
  public synchronized Map<String, Integer> waitingByDevice() {
    long now = clock.millis();
    Map<String, Integer> waiting = new HashMap<>();
    devices.keySet().forEach(device -> waiting.put(device.toString(), 0));
    for (PoolLine line : pools.values()) {
      List<PoolLine.Slot> slots = PoolLine.slots(line, devices, now, longestPeriodMillis);
      slots.stream().filter(Objects::nonNull)
          .forEach(slot -> waiting.merge(line.devices.get(slot.device()).toString(), 1, Integer::sum));
    }
    return waiting;
  }

  /** What each of {@code pool}'s devices is doing now, in pool order; changes nothing. */
  public synchronized List<DeviceReport> report(List<MfaDevice> pool, List<Integer> periodSeconds) {
    long now = clock.millis();
    PoolLine line = pools.get(pool);
    List<PoolLine.Slot> slots = line == null ? List.of() : PoolLine.slots(line, devices, now, longestPeriodMillis);
    List<DeviceReport> reports = new ArrayList<>(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      DeviceLine state = devices.get(pool.get(i));
      long period = periodSeconds.get(i) * 1000L;
      long nowStep = Math.floorDiv(now, period);
      boolean paused = state != null && state.pausedUntil != null && now < state.pausedUntil.toEpochMilli();
      int device = i;
      int waiting = (int) slots.stream().filter(slot -> slot != null && slot.device() == device).count();
      reports.add(new DeviceReport(pool.get(i), state != null, paused, paused ? state.pausedUntil : null,
          state == null ? nowStep : Math.floorDiv(state.nextFreeStep * state.periodMillis + period - 1, period), waiting));
    }
    return reports;
  }

  /** Devices the ledger remembers (bpo_mfa_devices): bounded by those in use, not by all ever named. */
  public synchronized int devices() {
    return devices.size();
  }

  /** Forgets the pools nobody waits in, and the devices whose state a fresh one would match (see the class comment). */
  private void forgetIdleDevices(long now) {
    pools.values().forEach(line -> line.queue.entrySet().removeIf(e -> DeviceLine.gone(e.getValue(),
        Math.max(longestPeriodMillis, 1), now)));
    pools.values().removeIf(line -> line.queue.isEmpty());
    Set<MfaDevice> awaited = new HashSet<>();
    pools.values().forEach(line -> awaited.addAll(line.devices));
    Iterator<Map.Entry<MfaDevice, DeviceLine>> states = devices.entrySet().iterator();
    while (states.hasNext()) {
      Map.Entry<MfaDevice, DeviceLine> entry = states.next();
      DeviceLine state = entry.getValue();
      if (state.idle(now, longestPeriodMillis, pauseDuration, !awaited.contains(entry.getKey()))) {
        forgottenStepsEndMillis = Math.max(forgottenStepsEndMillis, state.nextFreeStep * state.periodMillis);
        states.remove();
      }
    }
  }
}

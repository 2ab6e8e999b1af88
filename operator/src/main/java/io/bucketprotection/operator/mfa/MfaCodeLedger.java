package io.bucketprotection.operator.mfa;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.bucketprotection.operator.mfa.PoolDevice.Seed;
import io.bucketprotection.operator.mfa.Reservation.Granted;
import io.bucketprotection.operator.mfa.Reservation.Paused;
import io.bucketprotection.operator.mfa.Reservation.QueueFull;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands out TOTP time steps, per MFA device: each step at most once, ever, in increasing order.
 * Changes wait in the line of their pool of devices (one device alone is a pool of one), served
 * one namespace at a time, in turn ({@link FairTurns}); within a namespace, the change that has
 * waited longest goes first; each takes the earliest free step of a device of the pool that serves
 * it ({@link PoolLine}). Real servers refuse a reused code and, like RGW, refuse every step up to
 * the last one used, so buckets sharing a device must take turns.
 *
 * <p>A step counts as used as soon as it is handed out, and only while {@link PoolDevice#sendMarginMillis}
 * of it is left. After two refused codes in a row the device is paused (until its seed changes or the
 * pause ends), so a wrong seed, or a second user of the device, cannot lock the real device out.
 *
 * <p>After a restart, nothing is handed out until every step the previous process may have used
 * (up to its look-ahead past the current one) is over: look-ahead + 1 steps from the moment this
 * replica starts reconciling ({@link #startGuard}; for a standby, the hand-over), applied on every
 * request with that request's look-ahead, so a look-ahead raised meanwhile cannot reach back.
 *
 * <p>Anyone who may create a resource can name a device with any serial number, so the ledger
 * must not remember every device it has seen: once a minute, {@link #reserve} forgets the devices
 * whose state says nothing a fresh state would not say ({@link DeviceLine#idle} has the rule), and
 * keeps one number for all of them, so that a clock stepping back hands out no step twice.
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
  private final List<Consumer<List<MfaDevice>>> watchers = new CopyOnWriteArrayList<>();

  /** A ledger whose restart guard starts now (call {@link #startGuard} again when reconciling starts later). */
  public MfaCodeLedger(Clock clock, Duration pauseDuration) {
    this.clock = clock;
    this.pauseDuration = pauseDuration;
    this.startedAtMillis = clock.millis();
    this.lastForgetMillis = startedAtMillis;
  }

  /**
   * Calls {@code watcher} (which must not block: the ledger is locked) with a pool's devices when its
   * line fills or empties, and with a device when it pauses: when an account's status.mfaDevices changes.
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
   * Asks for a step of one of {@code pool}'s devices: {@code requester} ("namespace/name") keeps its
   * place in the pool's line and, in its turn, takes the earliest free step of a device that serves
   * its namespace (a paused one serves nobody, or not that namespace); every device paused: the
   * pause that ends first.
   */
  public synchronized Reservation reserve(List<PoolDevice> pool, String requester) {
    long now = clock.millis();
    if (Math.abs(now - lastForgetMillis) >= FORGET_EVERY_MILLIS) {
      forgetIdleDevices(now); // either way: a clock stepped back must not stop the forgetting for as long
      lastForgetMillis = now;
    }
    String namespace = FairTurns.namespaceOf(requester);
    Devices devices = devices(pool, namespace, now);
    if (Arrays.stream(devices.lines()).noneMatch(line -> line.serves(namespace, now))) {
      return devices.firstBack();
    }
    PoolLine line = pools.computeIfAbsent(pool.stream().map(PoolDevice::device).toList(), PoolLine::new);
    boolean wasIdle = line.queue.isEmpty();
    long longest = Arrays.stream(devices.periods()).max().orElseThrow();
    QueueFull full = line.join(requester, now, WAITING_PER_NAMESPACE * pool.size(), longest);
    if (full != null) {
      return full;
    }
    List<String> order = line.turns.order(line.queue.keySet());
    int position = order.indexOf(requester);
    List<PoolLine.Slot> slots = PoolLine.assign(order, position, devices.firstFree(), devices.periods(),
        (device, waiterNamespace) -> devices.lines()[device].serves(waiterNamespace, now));
    PoolLine.Slot mine = slots.get(position);
    PoolDevice member = pool.get(mine.device());
    long period = devices.periods()[mine.device()];
    if (mine.step() == devices.firstFree()[mine.device()]
        && mine.step() <= Math.floorDiv(now, period) + member.lookAheadSteps()) {
      long asked = line.served(requester);
      devices.lines()[mine.device()].nextFreeStep = mine.step() + 1;
      devices.lines()[mine.device()].lastCodeMillis = now;
      if (line.queue.isEmpty()) {
        changed(line.devices);
      }
      return new Granted(member.device(), mine.step(), Duration.ofMillis(now - asked));
    }
    long retryAt = Math.max((mine.step() - member.lookAheadSteps()) * period, now + SAME_STEP_RETRY_MILLIS * (position + 1));
    line.queue.put(requester, retryAt);
    if (wasIdle) {
      changed(line.devices);
    }
    return PoolLine.waiting(order, slots, position, retryAt, member.device());
  }

  /** A pool's devices as one request sees them: states, first free steps (restart guard applied), step lengths. */
  private record Devices(DeviceLine[] lines, long[] firstFree, long[] periods, Paused firstBack) {
  }

  private Devices devices(List<PoolDevice> pool, String namespace, long now) {
    Devices devices = new Devices(new DeviceLine[pool.size()], new long[pool.size()], new long[pool.size()], null);
    Paused firstBack = null;
    for (int i = 0; i < pool.size(); i++) {
      PoolDevice member = pool.get(i);
      long period = member.periodSeconds() * 1000L;
      devices.periods()[i] = period;
      longestPeriodMillis = Math.max(longestPeriodMillis, period);
      DeviceLine state = line(member.device(), period);
      devices.lines()[i] = state;
      Paused paused = state.pauseFor(namespace, now, member.seed());
      if (paused != null && (firstBack == null || paused.until().isBefore(firstBack.until()))) {
        firstBack = paused.of(member.device());
      }
      long guardEndStep = Math.floorDiv(startedAtMillis, period) + member.lookAheadSteps() + 1;
      devices.firstFree()[i] = Math.max(Math.max(state.nextFreeStep, Math.floorDiv(now + PoolDevice.sendMarginMillis(period),
          period)), guardEndStep);
    }
    return new Devices(devices.lines(), devices.firstFree(), devices.periods(), firstBack);
  }

  /** The device's state, made fresh when it is seen for the first time (or again after it was forgotten). */
  private DeviceLine line(MfaDevice device, long periodMillis) {
    // The restart guard is applied by the caller, whatever the state; here only the steps forgotten devices spent.
    DeviceLine state = devices.computeIfAbsent(device,
        d -> new DeviceLine(Math.max(0, Math.floorDiv(forgottenStepsEndMillis + periodMillis - 1, periodMillis)),
            periodMillis));
    state.useStepsOf(periodMillis);
    return state;
  }

  public synchronized void accepted(MfaDevice device) {
    accepted(device, null);
  }
  /** The server accepted a code of this device, for {@code requester} ("namespace/name"). */
  public synchronized void accepted(MfaDevice device, String requester) {
    DeviceLine state = devices.get(device);
    if (state != null) {
      state.accepted(requester == null ? null : FairTurns.namespaceOf(requester));
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
    String namespace = FairTurns.namespaceOf(requester);
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

  /** A device just paused: waiters no device of their pool serves now leave its line ({@link PoolLine#dropStranded}). */
  private void dropStranded(MfaDevice device, String namespace) {
    long now = clock.millis();
    pools.values().stream().filter(line -> line.devices.contains(device))
        .forEach(line -> line.dropStranded(devices, namespace, now));
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
    return PoolLine.waitingByDevice(pools.values(), devices, clock.millis(), longestPeriodMillis);
  }

  /** What each of {@code pool}'s devices is doing now, in pool order; changes nothing. */
  public synchronized List<DeviceReport> report(List<MfaDevice> pool, List<Integer> periodSeconds) {
    return PoolLine.report(pools.get(pool), devices, pool, periodSeconds, clock.millis(), longestPeriodMillis);
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
    forgottenStepsEndMillis = Math.max(forgottenStepsEndMillis,
        DeviceLine.forgetIdle(devices, awaited, now, longestPeriodMillis, pauseDuration));
  }
}

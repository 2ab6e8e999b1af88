package io.bucketprotection.operator.mfa;

import io.bucketprotection.operator.mfa.Reservation.QueueFull;
import io.bucketprotection.operator.mfa.Reservation.Wait;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * The line of changes waiting for a code from one pool of devices (an account's spec.mfaDevices,
 * or one device alone), and which device each will take. The line is served one namespace at a
 * time ({@link FairTurns}); the waiters, in that order, take the free steps of the pool's devices
 * earliest first, so that N devices serve N changes a step. The steps themselves belong to the
 * devices ({@link DeviceLine}), which other pools naming the same device share. Not thread-safe:
 * the {@link MfaCodeLedger} holds its lock around every use.
 */
final class PoolLine {

  /** A waiter's turn: the device (its index in the pool) and the step it will use. */
  record Slot(int device, long step) {
  }

  final List<MfaDevice> devices;
  /** Waiting requesters in arrival order, with the time they were told to come back. */
  final LinkedHashMap<String, Long> queue = new LinkedHashMap<>();
  /** When each waiting requester first asked. */
  final Map<String, Long> firstAsked = new HashMap<>();
  final FairTurns turns = new FairTurns();

  PoolLine(List<MfaDevice> devices) {
    this.devices = List.copyOf(devices);
  }

  /**
   * Puts {@code requester} in line (it keeps its place if it is there): null, or the refusal when
   * its namespace already has {@code perNamespace} changes waiting. Waiters that went away leave.
   *
   * @param periodMillis the pool's longest step: a waiter this late after its turn has gone
   */
  QueueFull join(String requester, long now, int perNamespace, long periodMillis) {
    queue.entrySet().removeIf(e -> !e.getKey().equals(requester) && DeviceLine.gone(e.getValue(), periodMillis, now));
    firstAsked.keySet().retainAll(queue.keySet());
    if (!queue.containsKey(requester)) {
      String namespace = FairTurns.namespaceOf(requester);
      long waitingOfNamespace = queue.keySet().stream().filter(w -> FairTurns.namespaceOf(w).equals(namespace))
          .count();
      if (waitingOfNamespace >= perNamespace) {
        return new QueueFull(Instant.ofEpochMilli(now + periodMillis), (int) waitingOfNamespace);
      }
    }
    queue.putIfAbsent(requester, now);
    firstAsked.putIfAbsent(requester, now);
    return null;
  }

  /** The requester took its step: it leaves, and its namespace goes behind the others. */
  long served(String requester) {
    queue.remove(requester);
    turns.served(requester);
    return firstAsked.remove(requester);
  }

  /** Removes the waiters of {@code namespace} (null: every waiter): no device of the pool serves them now. */
  void drop(String namespace) {
    queue.keySet().removeIf(waiter -> namespace == null || FairTurns.namespaceOf(waiter).equals(namespace));
    firstAsked.keySet().retainAll(queue.keySet());
    if (queue.isEmpty()) {
      turns.clear();
    }
  }

  /**
   * Each waiter's turn, in the order they are served, up to and including {@code upTo} (the
   * whole line when it is -1): each takes the earliest free step of a device that serves its
   * namespace, earliest start first, the pool's first device first on a tie. A waiter no device
   * serves gets no slot (null).
   *
   * @param firstFree per device, the first step it may hand out
   * @param periodMillis per device, its step length
   * @param serves whether device i serves a namespace now (not paused for it)
   */
  static List<Slot> assign(List<String> order, int upTo, long[] firstFree, long[] periodMillis,
      BiPredicate<Integer, String> serves) {
    long[] next = firstFree.clone();
    int last = upTo < 0 ? order.size() - 1 : upTo;
    List<Slot> slots = new ArrayList<>(last + 1);
    for (int position = 0; position <= last; position++) {
      String namespace = FairTurns.namespaceOf(order.get(position));
      int best = -1;
      for (int device = 0; device < next.length; device++) {
        if (serves.test(device, namespace)
            && (best < 0 || next[device] * periodMillis[device] < next[best] * periodMillis[best])) {
          best = device;
        }
      }
      slots.add(best < 0 ? null : new Slot(best, next[best]++));
    }
    return slots;
  }

  /** Every waiter's slot in {@code line} as things stand, changing nothing. */
  static List<Slot> slots(PoolLine line, Map<MfaDevice, DeviceLine> devices, long now, long longestPeriodMillis) {
    long[] firstFree = new long[line.devices.size()];
    long[] periods = new long[line.devices.size()];
    DeviceLine[] states = new DeviceLine[line.devices.size()];
    for (int i = 0; i < states.length; i++) {
      states[i] = devices.get(line.devices.get(i));
      periods[i] = states[i] == null ? longestPeriodMillis : states[i].periodMillis;
      long nowStep = Math.floorDiv(now, Math.max(1, periods[i]));
      firstFree[i] = states[i] == null ? nowStep : Math.max(states[i].nextFreeStep, nowStep);
    }
    return assign(line.turns.order(line.queue.keySet()), -1, firstFree, periods,
        (device, namespace) -> states[device] == null || states[device].serves(namespace, now));
  }

  /**
   * A device of this pool just paused (for {@code namespace}, or for everyone when null): waiters
   * that no device of the pool serves now leave the line, as a device alone has always emptied its
   * line. The others stay, and take the steps of the devices that still serve them.
   */
  void dropStranded(Map<MfaDevice, DeviceLine> states, String namespace, long now) {
    for (String waiterNamespace : queue.keySet().stream().map(FairTurns::namespaceOf).distinct().toList()) {
      boolean served = devices.stream().map(states::get)
          .anyMatch(state -> state == null || state.serves(waiterNamespace, now));
      if (!served && (namespace == null || namespace.equals(waiterNamespace))) {
        drop(waiterNamespace);
      }
    }
  }

  /** What each device of {@code pool} is doing (its line may be null: nobody waits), in pool order. */
  static List<DeviceReport> report(PoolLine line, Map<MfaDevice, DeviceLine> states, List<MfaDevice> pool,
      List<Integer> periodSeconds, long now, long longestPeriodMillis) {
    List<Slot> slots = line == null ? List.of() : slots(line, states, now, longestPeriodMillis);
    List<DeviceReport> reports = new ArrayList<>(pool.size());
    for (int i = 0; i < pool.size(); i++) {
      DeviceLine state = states.get(pool.get(i));
      long period = periodSeconds.get(i) * 1000L;
      long nowStep = Math.floorDiv(now, period);
      boolean paused = state != null && state.pausedUntil != null && now < state.pausedUntil.toEpochMilli();
      int device = i;
      int waiting = (int) slots.stream().filter(slot -> slot != null && slot.device() == device).count();
      reports.add(new DeviceReport(pool.get(i), state != null && state.nextFreeStep > 0, paused, paused ? state.pausedUntil : null,
          state == null ? nowStep : Math.floorDiv(state.nextFreeStep * state.periodMillis + period - 1, period),
          waiting));
    }
    return reports;
  }

  /** The wait of the requester at {@code position}, told only of its own namespace's changes. */
  static Wait waiting(List<String> order, List<PoolLine.Slot> slots, int position, long retryAt,
      MfaDevice device) {
    String requester = order.get(position);
    String namespace = FairTurns.namespaceOf(requester);
    int ownPlace = 0;
    int ownWaiting = 0;
    int devicePlace = 0;
    for (int i = 0; i < order.size(); i++) {
      if (FairTurns.namespaceOf(order.get(i)).equals(namespace)) {
        ownWaiting++;
        ownPlace += i <= position ? 1 : 0;
        devicePlace += i <= position && slots.get(i) != null && slots.get(i).device() == slots.get(position).device()
            ? 1 : 0;
      }
    }
    return new Wait(Instant.ofEpochMilli(retryAt), position + 1, ownPlace, ownWaiting, device, devicePlace);
  }

  /** Waiters by the device each will take, and 0 for every other remembered device ({@code MfaCodeLedger.waitingByDevice}). */
  static Map<String, Integer> waitingByDevice(Collection<PoolLine> lines, Map<MfaDevice, DeviceLine> states, long now,
      long longestPeriodMillis) {
    Map<String, Integer> waiting = new HashMap<>();
    states.keySet().forEach(device -> waiting.put(device.toString(), 0));
    for (PoolLine line : lines) {
      slots(line, states, now, longestPeriodMillis).stream().filter(Objects::nonNull)
          .forEach(slot -> waiting.merge(line.devices.get(slot.device()).toString(), 1, Integer::sum));
    }
    return waiting;
  }
}

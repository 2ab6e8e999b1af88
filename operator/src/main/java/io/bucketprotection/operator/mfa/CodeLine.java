package io.bucketprotection.operator.mfa;


import io.bucketprotection.operator.mfa.PersonCodes.Wait;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One device's line of changes waiting for codes a person annotates on one object: the waiters
 * in arrival order, served one namespace at a time ({@link FairTurns}). Not thread-safe: {@link
 * PersonCodes} holds its lock around every use.
 */
final class CodeLine {

  /** A change in line: what it is, and when it last asked. */
  static final class Waiter {
    long lastAskedMillis;
    CodeChange change;
  }

  final LinkedHashMap<String, Waiter> waiters = new LinkedHashMap<>();
  private final FairTurns turns = new FairTurns();

  /**
   * Puts the requester's change in line (or refreshes it): a change with another id than the one
   * it had is another change, at the back. Waiters silent for {@code staleMillis} leave.
   *
   * @return whether the line's members changed
   */
  boolean join(CodeChange change, long now, long staleMillis) {
    String requester = change.requester();
    boolean changed = waiters.values().removeIf(w -> now - w.lastAskedMillis > staleMillis);
    Waiter me = waiters.get(requester);
    if (me != null && !me.change.id().equals(change.id())) {
      // Another change (the spec, the bucket or the device changed): a code typed for the old one
      // is not for this one, and the new one queues at the back.
      waiters.remove(requester);
      me = null;
    }
    if (me == null || changed) {
      me = waiters.computeIfAbsent(requester, k -> new Waiter());
      changed = true;
    }
    me.lastAskedMillis = now;
    me.change = change;
    return changed;
  }

  /** The requester's change was signed: it leaves, and its namespace goes to the back of the turns. */
  void served(String requester) {
    waiters.remove(requester);
    turns.served(requester);
  }

  /** The waiters in the order they are served. */
  List<Map.Entry<String, Waiter>> inTurn() {
    List<Map.Entry<String, Waiter>> order = new ArrayList<>(waiters.size());
    for (String requester : turns.order(waiters.keySet())) {
      order.add(Map.entry(requester, waiters.get(requester)));
    }
    return order;
  }

  /**
   * Waiters ahead of {@code requester} that are still there: asked since the code arrived (at
   * {@code arrivedAt}), or may yet, within {@code graceMillis} of its arrival.
   */
  int ahead(String requester, long arrivedAt, long now, long graceMillis) {
    int ahead = 0;
    for (Map.Entry<String, Waiter> entry : inTurn()) {
      if (entry.getKey().equals(requester)) {
        return ahead;
      }
      boolean askedSince = entry.getValue().lastAskedMillis >= arrivedAt;
      if (askedSince || now - arrivedAt < graceMillis) {
        ahead++;
      }
    }
    return ahead;
  }

  /** A wait, counting only {@code requester}'s own namespace's changes. */
  Wait waitFor(String requester, boolean codeWaiting) {
    String namespace = FairTurns.namespaceOf(requester);
    List<String> own = waiters.keySet().stream().filter(w -> FairTurns.namespaceOf(w).equals(namespace)).toList();
    return new Wait(own.indexOf(requester) + 1, own.size(), codeWaiting);
  }
}

package io.bucketprotection.operator.mfa;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The order in which a device's line is served: one change of each namespace in turn, each
 * namespace's own changes in the order they came. A namespace that was just served goes behind the
 * others that wait; one that joins goes behind those already waiting. So a namespace with a hundred
 * changes in line delays another's change by one turn at most, and the tenants sharing a device
 * cannot hold it for each other.
 */
final class FairTurns {

  /** Namespaces in the order of their next turn. */
  private final LinkedHashSet<String> turns = new LinkedHashSet<>();

  /** The waiters ("namespace/name", in arrival order) in the order they will be served. */
  List<String> order(Collection<String> arrivalOrder) {
    Map<String, List<String>> byNamespace = new LinkedHashMap<>();
    for (String waiter : arrivalOrder) {
      byNamespace.computeIfAbsent(namespaceOf(waiter), ns -> new ArrayList<>()).add(waiter);
    }
    // Namespaces without a waiter lose their place; new ones join at the back.
    turns.retainAll(byNamespace.keySet());
    turns.addAll(byNamespace.keySet());
    List<String> order = new ArrayList<>(arrivalOrder.size());
    for (int round = 0; order.size() < arrivalOrder.size(); round++) {
      for (String namespace : turns) {
        List<String> own = byNamespace.get(namespace);
        if (round < own.size()) {
          order.add(own.get(round));
        }
      }
    }
    return order;
  }

  /** {@code requester}'s namespace had its turn: it goes behind every other. */
  void served(String requester) {
    String namespace = namespaceOf(requester);
    turns.remove(namespace);
    turns.add(namespace);
  }

  /** Forgets every turn (the line was emptied). */
  void clear() {
    turns.clear();
  }

  static String namespaceOf(String requester) {
    int slash = requester.indexOf('/');
    return slash < 0 ? requester : requester.substring(0, slash);
  }
}

package io.bucketprotection.operator.bench;

import io.bucketprotection.operator.api.BucketProtection;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Watches the BucketProtections of one namespace and notes when each first meets a condition.
 * Why a watch and not polling: a wave's time is the moment its last resource turned Ready, to the
 * millisecond, without listing 1,000 resources every half second (which both blurs the figure by
 * the poll interval and loads the same two cores the operator runs on).
 */
public final class ReadyWatch implements AutoCloseable {

  /**
   * How a wait ended.
   *
   * @param lastNanos System.nanoTime() when the last awaited resource met the condition (or the
   *     wait gave up)
   * @param reached how many met it
   * @param expected how many were awaited
   */
  public record Result(long lastNanos, int reached, int expected) {

    public boolean complete() {
      return reached == expected;
    }
  }

  private final SharedIndexInformer<BucketProtection> informer;
  private final Map<String, BucketProtection> latest = new HashMap<>();
  private Set<String> awaited = Set.of();
  private Predicate<BucketProtection> condition = bp -> false;
  private final Map<String, Long> reachedAt = new HashMap<>();

  public ReadyWatch(KubernetesClient client, String namespace) {
    informer = client.resources(BucketProtection.class).inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(BucketProtection resource) {
        seen(resource);
      }

      @Override
      public void onUpdate(BucketProtection old, BucketProtection resource) {
        seen(resource);
      }

      @Override
      public void onDelete(BucketProtection resource, boolean deletedFinalStateUnknown) {
        synchronized (ReadyWatch.this) {
          latest.remove(resource.getMetadata().getName());
        }
      }
    }, 0);
  }

  private synchronized void seen(BucketProtection resource) {
    long now = System.nanoTime();
    String name = resource.getMetadata().getName();
    latest.put(name, resource);
    if (awaited.contains(name) && !reachedAt.containsKey(name) && condition.test(resource)) {
      reachedAt.put(name, now);
      notifyAll();
    }
  }

  /** Waits until every one of {@code names} meets {@code test} (those that already do count at once). */
  public synchronized Result await(Collection<String> names, Predicate<BucketProtection> test, Duration timeout)
      throws InterruptedException {
    long start = System.nanoTime();
    awaited = new HashSet<>(names);
    condition = test;
    reachedAt.clear();
    for (String name : awaited) {
      BucketProtection current = latest.get(name);
      if (current != null && test.test(current)) {
        reachedAt.put(name, start);
      }
    }
    long deadline = start + timeout.toNanos();
    while (reachedAt.size() < awaited.size()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    long last = reachedAt.values().stream().mapToLong(Long::longValue).max().orElse(System.nanoTime());
    if (reachedAt.size() < awaited.size()) {
      last = System.nanoTime();
    }
    Result result = new Result(last, reachedAt.size(), awaited.size());
    awaited = Set.of();
    return result;
  }

  /** The latest state seen of one resource, or null. */
  public synchronized BucketProtection get(String name) {
    return latest.get(name);
  }

  /** The latest state of every resource seen. */
  public synchronized Collection<BucketProtection> all() {
    return new java.util.ArrayList<>(latest.values());
  }

  @Override
  public void close() {
    informer.close();
  }
}

package io.bucketprotection.operator.aws;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code capacity} SDK clients, one per key, handed out as leases for the length of one
 * call. Keys come from user input (credentials a namespace user can rotate at will, a region they
 * choose), so an unbounded map of clients would let them grow the operator's memory without end.
 * A new key beyond capacity pushes out the least recently used one; that client is closed as soon
 * as no call holds it, never under a call that is using it.
 */
public final class ClientPool<K, C extends AutoCloseable> implements AutoCloseable {

  /** Work done with a leased client; {@code E} lets a checked exception pass through. */
  @FunctionalInterface
  public interface ClientCall<C, T, E extends Exception> {
    T call(C client) throws E;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ClientPool.class);

  /** A pooled client and the calls holding it. Guarded by the pool's lock. */
  private static final class Entry<C> {
    final C client;
    int leases;
    /** Out of the pool (evicted or pool closed): no new lease; the last release closes it. */
    boolean retired;

    Entry(C client) {
      this.client = client;
    }
  }

  private final int capacity;
  private final Object lock = new Object();
  /** Access order: the first entry is the least recently used. */
  private final LinkedHashMap<K, Entry<C>> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long evicted;
  private boolean closed;

  public ClientPool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Runs {@code call} on the client for {@code key}.
   *
   * @param build makes the client when the pool has none for {@code key}. Per call, not per pool:
   *     a key may keep only a fingerprint of what the client is built from (credentials).
   */
  public <T, E extends Exception> T call(K key, Supplier<C> build, ClientCall<C, T, E> call) throws E {
    Entry<C> entry = acquire(key, build);
    try {
      return call.call(entry.client);
    } finally {
      release(entry);
    }
  }

  /**
   * The client for {@code key}, held until the lease is closed: for a result that goes on using
   * the client after the call that made it returns (an object body read as a stream). An evicted
   * client is then closed only once its last lease is.
   */
  public Lease<C> lease(K key, Supplier<C> build) {
    return new Lease<>(this, acquire(key, build));
  }

  /** A client held by one caller; closing it more than once releases it once. */
  public static final class Lease<C extends AutoCloseable> implements AutoCloseable {
    private final ClientPool<?, C> pool;
    private final Entry<C> entry;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(ClientPool<?, C> pool, Entry<C> entry) {
      this.pool = pool;
      this.entry = entry;
    }

    public C client() {
      return entry.client;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        pool.release(entry);
      }
    }
  }

  private Entry<C> acquire(K key, Supplier<C> build) {
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("client pool is closed");
      }
      Entry<C> entry = leaseExisting(key);
      if (entry != null) {
        return entry;
      }
    }
    // Built outside the lock: building an SDK client takes milliseconds (credentials provider,
    // HTTP client, endpoint rules), and calls on other keys must not queue behind it. Two calls
    // missing the same key both build; the second to come back closes its own and shares.
    C built = build.get();
    Entry<C> entry = null;
    List<C> toClose = new ArrayList<>();
    synchronized (lock) {
      if (closed) {
        toClose.add(built);
      } else {
        entry = leaseExisting(key);
        if (entry != null) {
          toClose.add(built);
        } else {
          entry = new Entry<>(built);
          entry.leases = 1;
          entries.put(key, entry);
          toClose.addAll(evictOverflow());
        }
      }
    }
    toClose.forEach(ClientPool::closeQuietly);
    if (entry == null) {
      throw new IllegalStateException("client pool is closed");
    }
    return entry;
  }

  /** Under the lock: a lease on the pooled client for {@code key}, or null. */
  private Entry<C> leaseExisting(K key) {
    Entry<C> entry = entries.get(key); // also makes it the most recently used
    if (entry != null) {
      entry.leases++;
    }
    return entry;
  }

  /** Under the lock: retires entries beyond capacity; returns the idle ones, to close now. */
  private List<C> evictOverflow() {
    List<C> idle = new ArrayList<>();
    Iterator<Entry<C>> eldest = entries.values().iterator();
    while (entries.size() > capacity) {
      Entry<C> entry = eldest.next();
      eldest.remove();
      evicted++;
      entry.retired = true;
      if (entry.leases == 0) {
        idle.add(entry.client);
      }
    }
    return idle;
  }

  private void release(Entry<C> entry) {
    boolean last;
    synchronized (lock) {
      entry.leases--;
      last = entry.retired && entry.leases == 0;
    }
    if (last) {
      closeQuietly(entry.client);
    }
  }

  /** Clients held now. */
  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  /** Clients pushed out by newer keys since the pool was made. */
  public long evicted() {
    synchronized (lock) {
      return evicted;
    }
  }

  /** Closes idle clients now and the others when their calls return; later calls fail. */
  @Override
  public void close() {
    List<C> idle = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      for (Entry<C> entry : entries.values()) {
        entry.retired = true;
        if (entry.leases == 0) {
          idle.add(entry.client);
        }
      }
      entries.clear();
    }
    idle.forEach(ClientPool::closeQuietly);
  }

  /** Closing runs in a call's finally: it must not hide the call's own outcome. */
  private static void closeQuietly(AutoCloseable client) {
    try {
      client.close();
    } catch (Exception e) {
      LOG.warn("Closing a {} failed: {}", client.getClass().getSimpleName(), e.getClass().getSimpleName());
    }
  }
}

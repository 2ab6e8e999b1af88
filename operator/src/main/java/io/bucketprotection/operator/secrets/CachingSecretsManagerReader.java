package io.bucketprotection.operator.secrets;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps each Secrets Manager value for a bounded time, so many buckets sharing one secret cost
 * one GetSecretValue per lifetime, not one per reconcile. {@link #invalidate} drops a value when
 * S3 refuses what it held (a rotated secret), so the next read fetches it again.
 *
 * <p>A failure is kept too, for a short time (never longer than a value): a thousand buckets
 * sharing a missing or unreachable secret would otherwise each ask again, one after another,
 * each perhaps waiting for a time-out. Only the problem's kind and message are kept; the message
 * names the secret, never a value.
 *
 * <p>Memory stays bounded whatever secret ids the resources name: fetches take one of a fixed
 * number of locks, and expired values and failures are swept out at most once per lifetime.
 */
public final class CachingSecretsManagerReader implements SecretsManagerReader {

  /** How long a failure is kept when the constructor is not told. */
  public static final Duration DEFAULT_FAILURE_LIFETIME = Duration.ofSeconds(10);
  /**
   * Locks for fetches. Two secrets that share one only fetch one after the other; 64 keeps that
   * rare for the few secrets fetched at once, and costs the same for ten or a million secret ids.
   */
  private static final int LOCK_STRIPES = 64;

  private record Key(String secretId, String region) {
  }

  private record Entry(String value, long fetchedAtMillis) {
    @Override
    public String toString() {
      return "Entry[<redacted>]";
    }
  }

  private record Failure(SecretProblem.Kind kind, String message, long failedAtMillis) {
  }

  private final SecretsManagerReader delegate;
  private final long lifetimeMillis;
  private final long failureLifetimeMillis;
  private final Clock clock;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Map<Key, Failure> failures = new ConcurrentHashMap<>();
  private final Object[] locks = new Object[LOCK_STRIPES];
  private final AtomicLong lastSweepMillis;

  public CachingSecretsManagerReader(SecretsManagerReader delegate, Duration lifetime, Clock clock) {
    this(delegate, lifetime, DEFAULT_FAILURE_LIFETIME, clock);
  }

  /** @param failureLifetime how long a failure is rethrown without asking again; at most {@code lifetime} */
  public CachingSecretsManagerReader(SecretsManagerReader delegate, Duration lifetime, Duration failureLifetime,
      Clock clock) {
    this.delegate = delegate;
    this.lifetimeMillis = lifetime.toMillis();
    this.failureLifetimeMillis = Math.min(failureLifetime.toMillis(), lifetimeMillis);
    this.clock = clock;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
    this.lastSweepMillis = new AtomicLong(clock.millis());
  }

  @Override
  public String read(String secretId, String region) throws SecretProblem {
    Key key = new Key(secretId, region);
    String value = cached(key);
    if (value != null) {
      return value;
    }
    // One fetch per secret at a time: a fleet reconciled at once must not fetch it a hundred times.
    synchronized (lockFor(key)) {
      value = cached(key);
      if (value != null) {
        return value;
      }
      try {
        value = delegate.read(secretId, region);
      } catch (SecretProblem e) {
        long now = clock.millis();
        entries.remove(key);
        failures.put(key, new Failure(e.kind(), e.getMessage(), now));
        sweepIfDue(now);
        throw e;
      }
      long now = clock.millis();
      failures.remove(key);
      entries.put(key, new Entry(value, now));
      sweepIfDue(now);
      return value;
    }
  }

  /** The fresh value, or null when there is none; a fresh failure is thrown again. */
  private String cached(Key key) throws SecretProblem {
    long now = clock.millis();
    Entry entry = entries.get(key);
    if (entry != null && fresh(entry.fetchedAtMillis(), lifetimeMillis, now)) {
      return entry.value();
    }
    Failure failure = failures.get(key);
    if (failure != null && fresh(failure.failedAtMillis(), failureLifetimeMillis, now)) {
      // A new exception per reader: one instance thrown on many threads would share its stack and suppressed list.
      throw new SecretProblem(failure.kind(), failure.message());
    }
    return null;
  }

  private static boolean fresh(long sinceMillis, long lifetimeMillis, long now) {
    return now - sinceMillis < lifetimeMillis;
  }

  /** Removes what has expired, at most once per lifetime, so the maps hold only what was read lately. */
  private void sweepIfDue(long now) {
    long last = lastSweepMillis.get();
    // Either way: a clock stepped back must not stop the sweeping for as long.
    if (Math.abs(now - last) < lifetimeMillis || !lastSweepMillis.compareAndSet(last, now)) {
      return;
    }
    // Removal is by key and value: a value fetched again meanwhile is not removed.
    entries.values().removeIf(entry -> !fresh(entry.fetchedAtMillis(), lifetimeMillis, now));
    failures.values().removeIf(failure -> !fresh(failure.failedAtMillis(), failureLifetimeMillis, now));
  }

  /** The lock a secret is fetched under: one of a fixed few, however many secrets there are. */
  Object lockFor(String secretId, String region) {
    return lockFor(new Key(secretId, region));
  }

  private Object lockFor(Key key) {
    int hash = key.hashCode();
    return locks[Math.floorMod(hash ^ (hash >>> 16), locks.length)];
  }

  /**
   * One GetSecretValue that is neither answered from nor kept in the cache: for root keys, which
   * the operator holds only for the request that needs them.
   */
  public String readUncached(String secretId, String region) throws SecretProblem {
    return delegate.read(secretId, region);
  }

  /** Forget a value, or a failure: the next read fetches it again. */
  public void invalidate(String secretId, String region) {
    Key key = new Key(secretId, region);
    entries.remove(key);
    failures.remove(key);
  }

  /** Values and failures held, fresh or not yet swept. */
  int size() {
    return entries.size() + failures.size();
  }
}

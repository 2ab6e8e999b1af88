package io.bucketprotection.operator.secrets;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each Secrets Manager value for a bounded time, so many buckets sharing one secret cost
 * one GetSecretValue per lifetime, not one per reconcile. {@link #invalidate} drops a value when
 * S3 refuses what it held (a rotated secret), so the next read fetches it again.
 */
public final class CachingSecretsManagerReader implements SecretsManagerReader {

  private record Key(String secretId, String region) {
  }

  private record Entry(String value, long fetchedAtMillis) {
    @Override
    public String toString() {
      return "Entry[<redacted>]";
    }
  }

  private final SecretsManagerReader delegate;
  private final Duration lifetime;
  private final Clock clock;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Map<Key, Object> locks = new ConcurrentHashMap<>();

  public CachingSecretsManagerReader(SecretsManagerReader delegate, Duration lifetime, Clock clock) {
    this.delegate = delegate;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  @Override
  public String read(String secretId, String region) throws SecretProblem {
    Key key = new Key(secretId, region);
    Entry fresh = freshEntry(key);
    if (fresh != null) {
      return fresh.value();
    }
    // One fetch per secret at a time: a fleet reconciled at once must not fetch it a hundred times.
    synchronized (locks.computeIfAbsent(key, k -> new Object())) {
      fresh = freshEntry(key);
      if (fresh != null) {
        return fresh.value();
      }
      String value = delegate.read(secretId, region);
      entries.put(key, new Entry(value, clock.millis()));
      return value;
    }
  }

  private Entry freshEntry(Key key) {
    Entry entry = entries.get(key);
    return entry != null && clock.millis() - entry.fetchedAtMillis() < lifetime.toMillis() ? entry : null;
  }

  /** Forget a value: the next read fetches it again. */
  public void invalidate(String secretId, String region) {
    entries.remove(new Key(secretId, region));
  }

  int size() {
    return (int) entries.values().stream().filter(Objects::nonNull).count();
  }
}

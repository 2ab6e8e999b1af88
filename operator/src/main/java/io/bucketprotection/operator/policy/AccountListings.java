package io.bucketprotection.operator.policy;

import io.bucketprotection.operator.spec.Account;
import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.spec.AccountSettings;
import io.bucketprotection.operator.spec.ObserverIdentity;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One listing per account per interval, shared by every policy on that account. The interval is
 * the shortest scanInterval among the account's policies, and never under {@link #MIN_INTERVAL};
 * after a failed listing the next try comes {@link #RETRY} later (or at the interval, if
 * shorter). While one policy's reconcile lists an account, the others do not wait on it: they
 * are told {@link Answer#busy()} and come back a moment later, holding no thread.
 *
 * <p>An account is keyed as Tenancy bound it: its identity (an S3Account's includes its
 * namespace, so a namespace only ever sees listings of its own S3Accounts, or of a
 * ClusterS3Account that admits it) and every setting the listing is signed and sent with
 * (endpoint, region, keys, observer). A changed account is a new key, listed anew.
 */
final class AccountListings {

  static final Duration MIN_INTERVAL = Duration.ofMinutes(1);
  static final Duration RETRY = Duration.ofMinutes(1);

  /** What a listing depends on. */
  record Key(AccountId id, URI endpoint, String region, SecretSource credentials,
      ObserverIdentity observer) {

    static Key of(Account account) {
      AccountSettings settings = account.settings();
      return new Key(account.id(), settings.endpoint(), settings.region(), settings.credentials(),
          settings.observer());
    }
  }

  /**
   * A listing of an account: the buckets of the last listing that succeeded (null before any),
   * how many pages it took, when the last try began, and why it failed (null when it did not).
   */
  record Listing(List<BucketLister.ListedBucket> buckets, int pages, Instant at, Verdict failure) {

    String outcome() {
      return failure == null ? "Succeeded" : "Failed: " + failure.reason().name();
    }
  }

  /** The result of one try, as the caller made it: buckets, or the failure. */
  record Attempt(List<BucketLister.ListedBucket> buckets, int pages, Verdict failure) {

    static Attempt listed(BucketLister.Listing listing) {
      return new Attempt(listing.buckets(), listing.pages(), null);
    }

    static Attempt failed(Verdict failure) {
      return new Attempt(null, 0, failure);
    }
  }

  /** Lists the account now; empty when it cannot start now (its endpoint has no free slot). */
  interface Lister {
    Optional<Attempt> list();
  }

  /**
   * @param listing the account's current listing; null only when busy
   * @param busy the account is being listed by another reconcile, or could not be listed now:
   *     ask again in a moment
   * @param interval the account's interval: when its listing is due again
   */
  record Answer(Listing listing, boolean busy, Duration interval) {

    Duration untilDue(Instant now) {
      Duration left = Duration.between(now, listing.at().plus(listing.failure() == null ? interval
          : min(RETRY, interval)));
      return left.isNegative() || left.isZero() ? Duration.ofSeconds(1) : left;
    }
  }

  private static final class Entry {
    final Map<String, Duration> policies = new HashMap<>();
    Listing latest;
    boolean listing;

    Duration interval() {
      Duration shortest = null;
      for (Duration d : policies.values()) {
        shortest = shortest == null || d.compareTo(shortest) < 0 ? d : shortest;
      }
      return shortest == null || shortest.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : shortest;
    }

    boolean fresh(Instant now) {
      if (latest == null) {
        return false;
      }
      Duration interval = interval();
      return now.isBefore(latest.at().plus(latest.failure() == null ? interval : min(RETRY, interval)));
    }
  }

  private final Map<Key, Entry> entries = new HashMap<>();
  /** Policy uid -> the account it last used. */
  private final Map<String, Key> policies = new HashMap<>();

  /**
   * The listing of the policy {@code uid}'s account: the shared one while it is fresh, else one
   * made now by {@code lister} (by this caller alone; others are told busy meanwhile).
   */
  Answer listing(String uid, Key key, Duration scanInterval, Instant now, Lister lister) {
    Entry entry;
    synchronized (this) {
      entry = join(uid, key, scanInterval);
      if (entry.fresh(now)) {
        return new Answer(entry.latest, false, entry.interval());
      }
      if (entry.listing) {
        return new Answer(null, true, entry.interval());
      }
      entry.listing = true;
    }
    Optional<Attempt> attempt = Optional.empty();
    try {
      attempt = lister.list();
    } finally {
      synchronized (this) {
        entry.listing = false;
        attempt.ifPresent(a -> entry.latest = new Listing(
            // A failed listing keeps the last good buckets: a failure never deletes a child.
            a.buckets() != null ? a.buckets() : entry.latest == null ? null : entry.latest.buckets(),
            a.buckets() != null ? a.pages() : 0, now, a.failure()));
      }
    }
    synchronized (this) {
      return attempt.isEmpty() ? new Answer(null, true, entry.interval())
          : new Answer(entry.latest, false, entry.interval());
    }
  }

  /** A deleted policy: its account is forgotten once no policy uses it. */
  synchronized void forget(String uid) {
    Key key = policies.remove(uid);
    if (key != null) {
      leave(uid, key);
    }
  }

  /** Accounts with a listing kept (for tests). */
  synchronized int accounts() {
    return entries.size();
  }

  private Entry join(String uid, Key key, Duration scanInterval) {
    Key previous = policies.put(uid, key);
    if (previous != null && !previous.equals(key)) {
      leave(uid, previous);
    }
    Entry entry = entries.computeIfAbsent(key, k -> new Entry());
    entry.policies.put(uid, scanInterval);
    return entry;
  }

  private void leave(String uid, Key key) {
    Entry entry = entries.get(key);
    if (entry != null) {
      entry.policies.remove(uid);
      if (entry.policies.isEmpty() && !entry.listing) {
        entries.remove(key);
      }
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}

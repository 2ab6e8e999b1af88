package io.bucketprotection.operator.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.spec.AccountId;
import io.bucketprotection.operator.decide.Reason;
import io.bucketprotection.operator.decide.Verdict;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.secrets.SecretSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The sharing rules of account listings, without S3 or Kubernetes: each case a sentence. */
class AccountListingsTest {

  private static final Instant T0 = Instant.parse("2026-12-07T05:00:00Z");
  private static final URI ENDPOINT = URI.create("https://s3.example.test");
  private static final AccountListings.Key CLUSTER = new AccountListings.Key(AccountId.cluster("shared"), ENDPOINT,
      null, new SecretSource.KubernetesSecret("system", "keys", null), null);
  private static final List<BucketLister.ListedBucket> BUCKETS = List.of(new BucketLister.ListedBucket("a", null));

  private final AccountListings listings = new AccountListings();
  private final AtomicInteger calls = new AtomicInteger();

  private AccountListings.Lister succeeds() {
    return () -> {
      calls.incrementAndGet();
      return Optional.of(AccountListings.Attempt.listed(new BucketLister.Listing(BUCKETS, 1)));
    };
  }

  private AccountListings.Lister fails() {
    return () -> {
      calls.incrementAndGet();
      return Optional.of(AccountListings.Attempt.failed(Verdict.problem(Reason.ListingTooLarge, "too large", null)));
    };
  }

  @Test
  void policiesOfOneAccountShareOneListingWithinTheShortestInterval() {
    listings.listing("p1", CLUSTER, Duration.ofMinutes(10), T0, succeeds());
    listings.listing("p2", CLUSTER, Duration.ofMinutes(2), T0.plusSeconds(30), succeeds());
    assertEquals(1, calls.get(), "the second policy uses the first one's listing");
    AccountListings.Answer answer = listings.listing("p1", CLUSTER, Duration.ofMinutes(10), T0.plusSeconds(119),
        succeeds());
    assertEquals(1, calls.get(), "within the shortest interval (2m)");
    assertEquals(Duration.ofMinutes(2), answer.interval());
    listings.listing("p1", CLUSTER, Duration.ofMinutes(10), T0.plusSeconds(120), succeeds());
    assertEquals(2, calls.get(), "due at the shortest interval, whichever policy asks");
  }

  @Test
  void theIntervalIsNeverUnderAMinute() {
    AccountListings.Answer answer = listings.listing("p1", CLUSTER, Duration.ofSeconds(5), T0, succeeds());
    assertEquals(Duration.ofMinutes(1), answer.interval());
    listings.listing("p1", CLUSTER, Duration.ofSeconds(5), T0.plusSeconds(59), succeeds());
    assertEquals(1, calls.get());
  }

  @Test
  void anotherAccountOrTheSameNameInAnotherNamespaceIsListedApart() {
    AccountListings.Key namespaced = new AccountListings.Key(AccountId.namespaced("team", "shared"), ENDPOINT, null,
        new SecretSource.KubernetesSecret("team", "keys", null), null);
    AccountListings.Key otherNamespace = new AccountListings.Key(AccountId.namespaced("other", "shared"), ENDPOINT,
        null, new SecretSource.KubernetesSecret("other", "keys", null), null);
    listings.listing("p1", CLUSTER, Duration.ofMinutes(1), T0, succeeds());
    listings.listing("p2", namespaced, Duration.ofMinutes(1), T0, succeeds());
    listings.listing("p3", otherNamespace, Duration.ofMinutes(1), T0, succeeds());
    assertEquals(3, calls.get());
  }

  @Test
  void aChangedAccountIsANewKeyListedAnew() {
    listings.listing("p1", CLUSTER, Duration.ofMinutes(1), T0, succeeds());
    AccountListings.Key rotated = new AccountListings.Key(CLUSTER.id(), ENDPOINT, null,
        new SecretSource.KubernetesSecret("system", "new-keys", null), null);
    listings.listing("p1", rotated, Duration.ofMinutes(1), T0.plusSeconds(1), succeeds());
    assertEquals(2, calls.get());
    assertEquals(1, listings.accounts(), "the old key is forgotten once no policy uses it");
  }

  @Test
  void aFailedListingKeepsTheLastGoodBucketsAndIsTriedAgainAfterAMinute() {
    listings.listing("p1", CLUSTER, Duration.ofMinutes(10), T0, succeeds());
    AccountListings.Answer failed = listings.listing("p1", CLUSTER, Duration.ofMinutes(10), T0.plusSeconds(600),
        fails());
    assertEquals(BUCKETS, failed.listing().buckets(), "a failure never loses what was listed");
    assertEquals(Reason.ListingTooLarge, failed.listing().failure().reason());
    assertEquals(Duration.ofMinutes(1), failed.untilDue(T0.plusSeconds(600)));
    listings.listing("p1", CLUSTER, Duration.ofMinutes(10), T0.plusSeconds(659), succeeds());
    assertEquals(2, calls.get());
    AccountListings.Answer again = listings.listing("p1", CLUSTER, Duration.ofMinutes(10), T0.plusSeconds(660),
        succeeds());
    assertEquals(3, calls.get());
    assertNull(again.listing().failure());
  }

  @Test
  void aListingThatCannotStartChangesNothingAndSaysBusy() {
    AccountListings.Answer answer = listings.listing("p1", CLUSTER, Duration.ofMinutes(1), T0, Optional::empty);
    assertTrue(answer.busy());
    listings.listing("p1", CLUSTER, Duration.ofMinutes(1), T0, succeeds());
    assertEquals(1, calls.get(), "tried again at once when asked again");
  }

  @Test
  void whileOneReconcileListsTheOthersAreToldBusyAndDoNotList() throws Exception {
    CountDownLatch listing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread first = new Thread(() -> listings.listing("p1", CLUSTER, Duration.ofMinutes(1), T0, () -> {
      listing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return succeeds().list();
    }));
    first.start();
    listing.await();
    assertTrue(listings.listing("p2", CLUSTER, Duration.ofMinutes(1), T0, succeeds()).busy());
    release.countDown();
    first.join();
    assertEquals(BUCKETS, listings.listing("p2", CLUSTER, Duration.ofMinutes(1), T0, succeeds()).listing().buckets());
    assertEquals(1, calls.get());
  }
}

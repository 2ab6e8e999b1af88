package io.bucketprotection.operator.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.ListingS3Server;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * A listing is bounded, at the wire: a server that never stops paginating, or that sends more
 * buckets in one page than a listing may hold, or a page too large to keep, ends the listing with
 * LISTING_TOO_LARGE (never a truncated listing that would look like buckets gone), after a
 * bounded number of requests and bytes. A server that lists as AWS does still lists everything.
 * The page bound is seen at its real value (200); the bucket and byte bounds at a hundredth and
 * less of theirs (a listing of 100,000 buckets takes seconds on a shared machine), and the real
 * values are checked apart. PolicyListingsMockApiTest sees the real page bound through a policy.
 */
class ListingBoundsTest {

  private ListingS3Server server;
  private AwsBucketStore store;
  private BucketAddress account;

  @BeforeEach
  void start() throws Exception {
    server = ListingS3Server.start();
    store = new AwsBucketStore("us-east-1", Set.of(), kind -> false, 4, AnonymousCredentialsProvider.create());
    store.listingLimits(new ListingBudget.Limits(1_000, ListingBudget.MAX_PAGES, 1L << 20, 100_000));
    account = BucketAddress.account(server.endpoint(), "us-east-1",
        new S3Credentials("AKIDLISTINGBOUNDS001", "listing-bounds-secret-0123456789", null));
  }

  @AfterEach
  void stop() {
    store.close();
    server.close();
  }

  @Test
  void theBoundsAreAHundredThousandBuckets200Pages32MiBAndAMillionTags() {
    assertEquals(new ListingBudget.Limits(100_000, 200, 32L << 20, 1_000_000), ListingBudget.Limits.DEFAULT);
  }

  @Test
  void aServerThatListsAsAwsDoesListsEverythingPageByPage() throws Exception {
    store.listingLimits(ListingBudget.Limits.DEFAULT);
    server.buckets(ListingS3Server.names("fine-", 2_500));
    BucketLister.Listing listing = store.listBuckets(account);
    assertEquals(2_500, listing.buckets().size());
    assertEquals(3, listing.pages());
    assertEquals(3, server.requests());
  }

  @Test
  void endlessPagesAreCutOffAtThePageBound() {
    server.mode(ListingS3Server.Mode.ENDLESS_PAGES);
    BucketStoreException e = assertThrows(BucketStoreException.class, () -> store.listBuckets(account),
        "a listing that never ends must fail, not come back cut short");
    assertEquals("LISTING_TOO_LARGE", e.kind().name(), e.getMessage());
    assertEquals(200, server.requests(), "the page bound, at the wire");
    assertTrue(e.getMessage().contains("200 pages"), e.getMessage());
  }

  @Test
  void onePageWithMoreBucketsThanTheBoundIsRefused() {
    server.mode(ListingS3Server.Mode.ONE_PAGE).buckets(ListingS3Server.names("many-", 1_001));
    BucketStoreException e = assertThrows(BucketStoreException.class, () -> store.listBuckets(account));
    assertEquals("LISTING_TOO_LARGE", e.kind().name(), e.getMessage());
    assertTrue(e.getMessage().contains("1000 buckets"), e.getMessage());
    assertEquals(1, server.requests());
  }

  @Test
  void aPageOfTinyElementsIsCutOffByItsTags() {
    store.listingLimits(new ListingBudget.Limits(1_000, ListingBudget.MAX_PAGES, 1L << 20, 2_000));
    server.mode(ListingS3Server.Mode.ONE_PAGE).buckets(ListingS3Server.names("t-", 900));
    BucketStoreException e = assertThrows(BucketStoreException.class, () -> store.listBuckets(account));
    assertEquals("LISTING_TOO_LARGE", e.kind().name(), e.getMessage());
    assertTrue(e.getMessage().contains("2000 XML tags"), e.getMessage());
  }

  @Test
  void oneBucketFewerThanTheBoundIsListed() throws Exception {
    server.mode(ListingS3Server.Mode.ONE_PAGE).buckets(ListingS3Server.names("many-", 1_000));
    assertEquals(1_000, store.listBuckets(account).buckets().size());
  }

  @Test
  void aPageTooLargeToKeepIsCutOffWhileItArrives() {
    server.mode(ListingS3Server.Mode.HUGE_PAGE).hugePageBytes(64L << 20);
    BucketStoreException e = assertThrows(BucketStoreException.class, () -> store.listBuckets(account));
    assertEquals("LISTING_TOO_LARGE", e.kind().name(), e.getMessage());
    assertEquals(1, server.requests(), "not retried");
    assertTrue(e.getMessage().contains("1048576 bytes"), e.getMessage());
    assertFalse(server.hugePageFinished(), "the client stopped reading the page");
  }
}

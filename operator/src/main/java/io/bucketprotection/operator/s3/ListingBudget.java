package io.bucketprotection.operator.s3;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The bounds of one ListBuckets run, against an endpoint that lists too much or never stops (it
 * ignores max-buckets, or hands out continuation tokens for ever). Every endpoint a policy lists is
 * an admin's, yet its answers are still input: without bounds one listing could hold the heap.
 *
 * <ul>
 *   <li>{@value #MAX_BUCKETS} buckets: ten times AWS's default quota of 10,000 buckets an account, and the
 *       most the operator keeps for one account;</li>
 *   <li>{@value #MAX_PAGES} pages: 100,000 buckets take 100 pages of 1,000; twice that leaves room for
 *       a server whose pages hold fewer than asked, and stops one that never ends after 200
 *       requests;</li>
 *   <li>32 MiB and {@value #MAX_TAGS} XML tags of answers, counted while they arrive, before the SDK
 *       parses them into a tree: a real bucket costs at most about 200 bytes and 8 tags (63-character
 *       name, creation date, region), so 100,000 fit, while a page that ignores max-buckets, or pads
 *       itself, is cut off while it streams instead of being parsed whole. RadosGW sends every
 *       bucket in one page, so the bound is for the listing, not the page.</li>
 * </ul>
 * Past any of them the listing fails with {@link S3ErrorKind#LISTING_TOO_LARGE}: a listing cut
 * short would look like buckets gone.
 */
final class ListingBudget {

  static final int MAX_BUCKETS = 100_000;
  static final int MAX_PAGES = 200;
  static final long MAX_BYTES = 32L << 20;
  static final long MAX_TAGS = 1_000_000;

  /** The bounds; tests use smaller ones to see each bound at work in a moment. */
  record Limits(int buckets, int pages, long bytes, long tags) {
    static final Limits DEFAULT = new Limits(MAX_BUCKETS, MAX_PAGES, MAX_BYTES, MAX_TAGS);
  }

  /** Carries a listing's budget on each of its requests, for {@link #INTERCEPTOR}. */
  static final ExecutionAttribute<ListingBudget> ATTRIBUTE = new ExecutionAttribute<>("bpo.listingBudget");

  /** Counts the answers of requests that carry a budget; leaves every other request alone. */
  static final ExecutionInterceptor INTERCEPTOR = new ExecutionInterceptor() {
    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
        ExecutionAttributes attributes) {
      ListingBudget budget = attributes.getAttribute(ATTRIBUTE);
      // Buffered above the count: a parser reading byte by byte would otherwise pay for each.
      return budget == null ? context.responseBody()
          : context.responseBody().map(body -> new BufferedInputStream(budget.counted(body), 64 * 1024));
    }
  };

  /** Thrown out of the SDK call once the budget is spent, so it is not taken for a network failure and retried. */
  static final class Exceeded extends RuntimeException {
    Exceeded(String message) {
      super(message, null, false, false);
    }
  }

  private final Limits limits;
  private long bytes;
  private long tags;
  private volatile String exceeded;

  ListingBudget(Limits limits) {
    this.limits = limits;
  }

  /** Why the budget was spent, or null. */
  String exceeded() {
    return exceeded;
  }

  /** After a page: the buckets kept so far, and the pages read. */
  void check(int buckets, int pages) {
    if (buckets > limits.buckets()) {
      throw spent("more than " + limits.buckets() + " buckets listed");
    }
    if (pages >= limits.pages()) {
      throw spent("the server was still paginating after " + limits.pages() + " pages");
    }
  }

  Exceeded spent(String why) {
    exceeded = why;
    return new Exceeded(why);
  }

  private InputStream counted(InputStream body) {
    return new FilterInputStream(body) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          count(b == '<' ? 1 : 0, 1);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        int opened = 0;
        for (int i = offset; i < offset + n; i++) {
          if (buffer[i] == '<') {
            opened++;
          }
        }
        if (n > 0) {
          count(opened, n);
        }
        return n;
      }
    };
  }

  private void count(int opened, int read) throws IOException {
    bytes += read;
    tags += opened;
    if (bytes > limits.bytes() || tags > limits.tags()) {
      exceeded = bytes > limits.bytes() ? "the answers passed " + limits.bytes() + " bytes"
          : "the answers passed " + limits.tags() + " XML tags";
      // An IOException ends the SDK's read of the body; the call then fails, and the listing
      // reads why from exceeded().
      throw new IOException("listing bound reached");
    }
  }
}

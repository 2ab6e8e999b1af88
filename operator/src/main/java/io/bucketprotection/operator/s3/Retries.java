package io.bucketprotection.operator.s3;

import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one quick second attempt of an S3 call that is safe to repeat (a read, or a write without an
 * MFA code). The SDK clients retry nothing themselves (S3ClientCache): a request carrying a code
 * must never be sent twice, and only the caller knows which requests carry one, so a call with a
 * code never comes here.
 */
final class Retries {

  private static final Logger LOG = LoggerFactory.getLogger(Retries.class);
  /**
   * Two attempts, so a silent endpoint holds a thread for at most two attempt timeouts
   * (docs/security.md "Timeouts").
   */
  private static final int ATTEMPTS = 2;
  private static final long FIRST_BACKOFF_MILLIS = 200;

  /** One attempt; SDK exceptions are mapped by the caller's mapper. */
  interface S3Call<T> {
    T call();
  }

  private final Predicate<S3ErrorKind> retriedAtOnce;

  /**
   * @param retriedAtOnce failures worth a quick second attempt (transient ones); the reason table
   *     decides which
   */
  Retries(Predicate<S3ErrorKind> retriedAtOnce) {
    this.retriedAtOnce = retriedAtOnce;
  }

  /** With the mapping of a request that carried no MFA code. */
  <T> T run(String operation, BucketAddress bucket, S3Call<T> call) throws BucketStoreException {
    return run(operation, bucket, e -> S3ErrorMapper.map(e, false), call);
  }

  /**
   * Each attempt leases its client anew (the lease is taken inside {@code call}): a back-off
   * sleep then holds no client, and an evicted one is not kept open through it.
   *
   * @param mapper how this call's failures read (a pinned read tells a gone version apart)
   */
  <T> T run(String operation, BucketAddress bucket, Function<SdkException, BucketStoreException> mapper,
      S3Call<T> call) throws BucketStoreException {
    long backoff = FIRST_BACKOFF_MILLIS;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.call();
      } catch (SdkException e) {
        BucketStoreException mapped = mapper.apply(e);
        if (!retriedAtOnce.test(mapped.kind()) || attempt == ATTEMPTS) {
          throw mapped;
        }
        LOG.debug("{} on {} failed ({}), attempt {} of {}", operation, bucket.describe(),
            mapped.getMessage(), attempt, ATTEMPTS);
        sleep(backoff);
        backoff *= 4;
      }
    }
  }

  private static void sleep(long millis) throws BucketStoreException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BucketStoreException(S3ErrorKind.S3_SERVER_ERROR, "Interrupted", 0, "Interrupted while retrying");
    }
  }
}

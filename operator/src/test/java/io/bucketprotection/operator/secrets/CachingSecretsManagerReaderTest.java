package io.bucketprotection.operator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingSecretsManagerReaderTest {

  @Test
  void oneFetchPerLifetimeHoweverManyReadersAndAgainAfterInvalidate() throws Exception {
    AtomicInteger fetches = new AtomicInteger();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader((id, region) -> {
      fetches.incrementAndGet();
      try {
        Thread.sleep(20); // a slow fetch: concurrent readers must wait for it, not repeat it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return "value-" + fetches.get();
    }, Duration.ofMinutes(5), clock);

    ExecutorService pool = Executors.newFixedThreadPool(16);
    for (int i = 0; i < 200; i++) {
      pool.submit(() -> cache.read("shared", null));
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    assertEquals(1, fetches.get(), "200 buckets sharing one secret cost one GetSecretValue");

    clock.set(Instant.ofEpochSecond(1000 + 299));
    assertEquals("value-1", cache.read("shared", null));
    clock.set(Instant.ofEpochSecond(1000 + 300));
    assertEquals("value-2", cache.read("shared", null));
    assertEquals(2, fetches.get());

    cache.invalidate("shared", null);
    assertEquals("value-3", cache.read("shared", null));
    assertEquals("value-3", cache.read("shared", null));
    assertEquals(3, fetches.get());
  }

  private static final String MISSING = "Secrets Manager secret team/db-password does not exist";

  /** Fails for secret ids starting with "missing", answers for the others; counts every call. */
  private static final class FlakySecretsManager implements SecretsManagerReader {
    final AtomicInteger calls = new AtomicInteger();
    volatile long delayMillis;

    @Override
    public String read(String secretId, String region) throws SecretProblem {
      calls.incrementAndGet();
      if (delayMillis > 0) {
        try {
          Thread.sleep(delayMillis); // a slow answer, as when waiting for a time-out
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (secretId.startsWith("missing")) {
        throw new SecretProblem(SecretProblem.Kind.SECRET_NOT_FOUND, MISSING);
      }
      return "value-of-" + secretId;
    }
  }

  private static SecretProblem readFails(CachingSecretsManagerReader cache, String secretId) {
    return assertThrows(SecretProblem.class, () -> cache.read(secretId, null));
  }

  @Test
  void aFailureIsRememberedForItsShortLifetimeAndThrownAgainAlike() throws Exception {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofMinutes(5),
        Duration.ofSeconds(10), clock);
    for (int i = 0; i < 1000; i++) {
      SecretProblem problem = readFails(cache, "missing");
      assertEquals(SecretProblem.Kind.SECRET_NOT_FOUND, problem.kind());
      assertEquals(MISSING, problem.getMessage());
    }
    assertEquals(1, secretsManager.calls.get(), "a thousand buckets sharing a missing secret ask once");

    clock.set(Instant.ofEpochSecond(1009));
    readFails(cache, "missing");
    assertEquals(1, secretsManager.calls.get());
    clock.set(Instant.ofEpochSecond(1010));
    readFails(cache, "missing");
    assertEquals(2, secretsManager.calls.get(), "after its lifetime a failure is asked about again");
  }

  @Test
  void theThreeArgumentCacheRemembersAFailureForTenSeconds() {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofMinutes(5), clock);
    readFails(cache, "missing");
    clock.set(Instant.ofEpochSecond(1009));
    readFails(cache, "missing");
    assertEquals(1, secretsManager.calls.get());
    clock.set(Instant.ofEpochSecond(1010));
    readFails(cache, "missing");
    assertEquals(2, secretsManager.calls.get());
  }

  @Test
  void aFailureIsNeverKeptLongerThanAValue() {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofSeconds(5),
        Duration.ofMinutes(1), clock);
    readFails(cache, "missing");
    clock.set(Instant.ofEpochSecond(1005));
    readFails(cache, "missing");
    assertEquals(2, secretsManager.calls.get());
  }

  @Test
  void invalidateForgetsAFailure() {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofMinutes(5), clock);
    readFails(cache, "missing");
    cache.invalidate("missing", null);
    readFails(cache, "missing");
    assertEquals(2, secretsManager.calls.get());
  }

  @Test
  void concurrentReadersOfAFailingSecretAskOnce() throws Exception {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    secretsManager.delayMillis = 50;
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofMinutes(5), clock);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<String>> reads = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      reads.add(pool.submit(() -> cache.read("missing", null)));
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    for (Future<String> read : reads) {
      ExecutionException failed = assertThrows(ExecutionException.class, read::get);
      SecretProblem problem = (SecretProblem) failed.getCause();
      assertEquals(SecretProblem.Kind.SECRET_NOT_FOUND, problem.kind());
      assertEquals(MISSING, problem.getMessage());
    }
    assertEquals(1, secretsManager.calls.get());
  }

  @Test
  void aValueFetchedAfterAFailureReplacesIt() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader((id, region) -> {
      if (calls.incrementAndGet() == 1) {
        throw new SecretProblem(SecretProblem.Kind.UNAVAILABLE, "Secrets Manager did not answer for " + id);
      }
      return "value";
    }, Duration.ofMinutes(5), clock);
    assertEquals(SecretProblem.Kind.UNAVAILABLE, readFails(cache, "shared").kind());
    clock.set(Instant.ofEpochSecond(1010));
    assertEquals("value", cache.read("shared", null));
    assertEquals("value", cache.read("shared", null));
    assertEquals(2, calls.get());
    assertEquals(1, cache.size());
  }

  @Test
  void expiredValuesAndFailuresAreSweptOut() throws Exception {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofMinutes(5), clock);
    for (int i = 0; i < 100; i++) {
      cache.read("secret-" + i, null);
      readFails(cache, "missing-" + i);
    }
    assertEquals(200, cache.size());
    clock.set(Instant.ofEpochSecond(1000 + 300));
    cache.read("secret-new", null);
    assertEquals(1, cache.size(), "only the value just read is held");
  }

  @Test
  void theSweepKeepsFreshValues() throws Exception {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofMinutes(5), clock);
    cache.read("old", null);
    clock.set(Instant.ofEpochSecond(1000 + 200));
    cache.read("recent", null);
    clock.set(Instant.ofEpochSecond(1000 + 300));
    cache.read("new", null); // sweeps: "old" has expired, "recent" has not
    assertEquals(2, cache.size());
    assertEquals("value-of-recent", cache.read("recent", null));
    assertEquals(3, secretsManager.calls.get());
  }

  @Test
  void tenThousandSecretIdsShareAFixedFewLocks() throws Exception {
    FlakySecretsManager secretsManager = new FlakySecretsManager();
    MutableClock clock = new MutableClock(Instant.ofEpochSecond(1000));
    CachingSecretsManagerReader cache = new CachingSecretsManagerReader(secretsManager, Duration.ofMinutes(5), clock);
    Set<Object> locks = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < 10_000; i++) {
      String id = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:churn-" + i;
      cache.read(id, null);
      locks.add(cache.lockFor(id, null));
    }
    assertTrue(locks.size() <= 64, "locks in use: " + locks.size());
    assertTrue(locks.size() > 1, "secrets are spread over the locks, not all behind one");
    assertEquals(cache.lockFor("a", "eu-west-1"), cache.lockFor("a", "eu-west-1"), "one secret, one lock");
  }
}

package io.bucketprotection.operator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.testsupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
}

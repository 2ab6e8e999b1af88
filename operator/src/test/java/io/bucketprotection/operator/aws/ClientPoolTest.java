package io.bucketprotection.operator.aws;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's promises: bounded, least recently used goes first, never closed under a call. */
class ClientPoolTest {

  private static final long WAIT_SECONDS = 10;

  /** Stands in for an SDK client: refuses to work once closed, as a closed SDK client would. */
  private final class FakeClient implements AutoCloseable {
    final String key;
    private volatile boolean closed;

    FakeClient(String key) {
      this.key = key;
    }

    FakeClient use() {
      if (closed) {
        throw new IllegalStateException("client for " + key + " used after close");
      }
      Thread.yield(); // widens the window in which a wrong close would land mid-call
      if (closed) {
        throw new IllegalStateException("client for " + key + " closed during a call");
      }
      return this;
    }

    boolean closed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
      live.decrementAndGet();
    }
  }

  private final List<FakeClient> built = new CopyOnWriteArrayList<>();
  /** Clients built and not yet closed. */
  private final AtomicInteger live = new AtomicInteger();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() throws InterruptedException {
    threads.shutdownNow();
    assertTrue(threads.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
  }

  private FakeClient build(String key) {
    FakeClient client = new FakeClient(key);
    live.incrementAndGet();
    built.add(client);
    return client;
  }

  private FakeClient use(ClientPool<String, FakeClient> pool, String key) {
    return pool.call(key, () -> build(key), FakeClient::use);
  }

  @Test
  void theSameKeyGetsTheSameClient() {
    ClientPool<String, FakeClient> pool = new ClientPool<>(4);
    FakeClient first = use(pool, "a");
    assertSame(first, use(pool, "a"));
    assertNotSame(first, use(pool, "b"));
    assertEquals(2, built.size());
    assertEquals(2, pool.size());
  }

  @Test
  void neverHoldsMoreThanItsCapacity() {
    ClientPool<String, FakeClient> pool = new ClientPool<>(3);
    for (int i = 0; i < 10; i++) {
      use(pool, "key-" + i);
      assertTrue(pool.size() <= 3, "size " + pool.size());
    }
    assertEquals(3, pool.size());
    assertEquals(7, pool.evicted());
    assertEquals(7, built.stream().filter(FakeClient::closed).count());
  }

  @Test
  void theLeastRecentlyUsedKeyGoesFirstAndUseKeepsAKey() {
    ClientPool<String, FakeClient> pool = new ClientPool<>(2);
    FakeClient a = use(pool, "a");
    FakeClient b = use(pool, "b");
    use(pool, "a"); // a is now more recent than b
    use(pool, "c");
    assertTrue(b.closed(), "b was the least recently used");
    assertFalse(a.closed());
    assertSame(a, use(pool, "a"), "a kept its client");
    FakeClient bAgain = use(pool, "b");
    assertNotSame(b, bAgain, "b is built again after it was evicted");
    assertEquals(4, built.size());
  }

  @Test
  void anEvictedIdleClientIsClosedAtOnce() {
    ClientPool<String, FakeClient> pool = new ClientPool<>(1);
    FakeClient a = use(pool, "a");
    assertFalse(a.closed());
    use(pool, "b");
    assertTrue(a.closed());
    assertEquals(1, pool.evicted());
  }

  @Test
  void anEvictedClientInUseIsClosedOnlyWhenItsCallReturns() throws Exception {
    ClientPool<String, FakeClient> pool = new ClientPool<>(1);
    // Pooled before the slow call: its lease is taken on a client already there. (The close
    // test below covers a lease on a client the call builds itself.)
    FakeClient a = use(pool, "a");
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Future<FakeClient> slowCall = threads.submit(() -> pool.call("a", () -> build("a"), client -> {
      inCall.countDown();
      await(finish);
      return client.use();
    }));
    assertTrue(inCall.await(WAIT_SECONDS, TimeUnit.SECONDS));

    use(pool, "b"); // evicts a while the slow call is still inside it
    assertEquals(1, pool.evicted());
    assertEquals(1, pool.size());
    assertFalse(a.closed(), "closed under a call in progress");

    finish.countDown();
    assertSame(a, slowCall.get(WAIT_SECONDS, TimeUnit.SECONDS), "the call finished on its client");
    assertTrue(a.closed(), "the last release closes an evicted client");
  }

  /** A streamed object body keeps its client: eviction closes the client when the stream's lease ends. */
  @Test
  void anEvictedClientHeldByALeaseIsClosedOnlyWhenTheLeaseIsAndOnlyOnce() {
    ClientPool<String, FakeClient> pool = new ClientPool<>(1);
    ClientPool.Lease<FakeClient> lease = pool.lease("a", () -> build("a"));
    FakeClient a = lease.client();
    assertSame(a, use(pool, "a"), "a lease shares the pooled client");

    use(pool, "b");
    assertEquals(1, pool.evicted());
    assertFalse(a.closed(), "closed under a lease");
    a.use();

    lease.close();
    assertTrue(a.closed(), "the lease's end closes the evicted client");
    lease.close();
    assertEquals(1, live.get(), "b stays open and a was closed once");
  }

  @Test
  void aClientIsBuiltWithoutBlockingCallsOnOtherKeys() throws Exception {
    ClientPool<String, FakeClient> pool = new ClientPool<>(4);
    FakeClient b = use(pool, "b");
    CountDownLatch building = new CountDownLatch(1);
    CountDownLatch finishBuild = new CountDownLatch(1);
    Future<FakeClient> slowBuild = threads.submit(() -> pool.call("a", () -> {
      building.countDown();
      await(finishBuild);
      return build("a");
    }, FakeClient::use));
    assertTrue(building.await(WAIT_SECONDS, TimeUnit.SECONDS));

    // Shorter than the build's own wait, so a pool building under its lock fails here, by name.
    Future<FakeClient> other = threads.submit(() -> use(pool, "b"));
    FakeClient got = assertDoesNotThrow(() -> other.get(WAIT_SECONDS / 2, TimeUnit.SECONDS),
        "a call on b waited for a's build");
    assertSame(b, got);

    finishBuild.countDown();
    assertEquals("a", slowBuild.get(WAIT_SECONDS, TimeUnit.SECONDS).key);
  }

  @Test
  void twoCallsBuildingTheSameKeyShareOneClientAndCloseTheOther() throws Exception {
    ClientPool<String, FakeClient> pool = new ClientPool<>(4);
    CountDownLatch bothBuilding = new CountDownLatch(2);
    List<Future<FakeClient>> calls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      calls.add(threads.submit(() -> pool.call("a", () -> {
        bothBuilding.countDown();
        await(bothBuilding);
        return build("a");
      }, FakeClient::use)));
    }
    FakeClient first = calls.get(0).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertSame(first, calls.get(1).get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertEquals(2, built.size());
    assertEquals(1, built.stream().filter(FakeClient::closed).count(), "the loser is closed");
    assertFalse(first.closed());
    assertEquals(1, pool.size());
  }

  @Test
  void aFailedBuildLeavesNothingBehind() {
    ClientPool<String, FakeClient> pool = new ClientPool<>(2);
    assertThrows(IllegalArgumentException.class, () -> pool.call("a", () -> {
      throw new IllegalArgumentException("no such region");
    }, FakeClient::use));
    assertEquals(0, pool.size());
    use(pool, "a");
    assertEquals(1, pool.size());
  }

  @Test
  void manyThreadsOnManyKeysStayWithinCapacityAndNeverUseAClosedClient() throws Exception {
    int capacity = 4;
    int threadCount = 16;
    ClientPool<String, FakeClient> pool = new ClientPool<>(capacity);
    AtomicInteger mostPooled = new AtomicInteger();
    AtomicInteger mostLive = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      workers.add(threads.submit(() -> {
        await(start);
        for (int i = 0; i < 2_000; i++) {
          String key = "key-" + ThreadLocalRandom.current().nextInt(40);
          pool.call(key, () -> build(key), client -> {
            mostPooled.accumulateAndGet(pool.size(), Math::max);
            mostLive.accumulateAndGet(live.get(), Math::max);
            return client.use();
          });
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> worker : workers) {
      worker.get(60, TimeUnit.SECONDS); // rethrows a use of a closed client
    }
    assertTrue(mostPooled.get() <= capacity, "pool held " + mostPooled.get());
    // Beyond the pool, only clients still held by a call (or just built by one) may be open.
    assertTrue(mostLive.get() <= capacity + threadCount, "open clients " + mostLive.get());
    assertEquals(capacity, pool.size());
    assertEquals(capacity, built.stream().filter(c -> !c.closed()).count(),
        "every client out of the pool is closed once its calls returned");
    assertTrue(pool.evicted() > 0);
    pool.close();
    assertTrue(built.stream().allMatch(FakeClient::closed));
  }

  @Test
  void closeClosesIdleClientsNowAndBusyOnesWhenTheirCallsReturn() throws Exception {
    ClientPool<String, FakeClient> pool = new ClientPool<>(4);
    FakeClient a = use(pool, "a");
    FakeClient b = use(pool, "b");
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Future<FakeClient> busy = threads.submit(() -> pool.call("c", () -> build("c"), client -> {
      inCall.countDown();
      await(finish);
      return client.use();
    }));
    assertTrue(inCall.await(WAIT_SECONDS, TimeUnit.SECONDS));
    FakeClient c = built.get(2);

    pool.close();
    assertTrue(a.closed());
    assertTrue(b.closed());
    assertFalse(c.closed(), "closed under a call in progress");
    assertEquals(0, pool.size());

    finish.countDown();
    assertSame(c, busy.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(c.closed());
    assertThrows(IllegalStateException.class, () -> use(pool, "a"));
    assertEquals(3, built.size(), "a closed pool builds nothing");
  }

  @Test
  void aCapacityBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ClientPool<String, FakeClient>(0));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out waiting for the other thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

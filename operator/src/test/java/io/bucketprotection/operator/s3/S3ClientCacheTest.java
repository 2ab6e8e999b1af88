package io.bucketprotection.operator.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bucketprotection.operator.http.HttpResponses;
import io.bucketprotection.operator.decide.FailureVerdicts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace user can rotate their credentials Secret without end: each new key pair is a new
 * S3 client. The real SDK against a local server shows the clients stay within the pool's bound
 * and every call still succeeds.
 */
class S3ClientCacheTest {

  private static final int CAPACITY = 4;
  private static final String VERSIONING_ENABLED = "<VersioningConfiguration"
      + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status></VersioningConfiguration>";
  private static final Pattern ACCESS_KEY = Pattern.compile("Credential=([^/]+)/");

  private final List<String> accessKeys = new CopyOnWriteArrayList<>();
  private final List<String> mfaHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger mostClientsDuringARequest = new AtomicInteger();
  private final AtomicReference<AwsBucketStore> storeUnderTest = new AtomicReference<>();
  private volatile int putStatus = 200;
  private HttpServer server;
  private ExecutorService serverThreads;
  private AwsBucketStore store;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serverThreads = Executors.newFixedThreadPool(8);
    server.setExecutor(serverThreads);
    server.createContext("/", this::handle);
    server.start();
    store = new AwsBucketStore("us-east-1", Set.of(), FailureVerdicts::isTransient, CAPACITY);
    storeUnderTest.set(store);
  }

  @AfterEach
  void stop() {
    store.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    // Sampled while the client that sent this request is leased: the pool's bound holds then too.
    mostClientsDuringARequest.accumulateAndGet(storeUnderTest.get().clientCount(), Math::max);
    Matcher key = ACCESS_KEY.matcher(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
    accessKeys.add(key.find() ? key.group(1) : "unsigned");
    exchange.getResponseHeaders().add("x-amz-request-id", "pool-test");
    if ("PUT".equals(exchange.getRequestMethod())) {
      String mfa = exchange.getRequestHeaders().getFirst("x-amz-mfa");
      if (mfa != null) {
        mfaHeaders.add(mfa);
      }
      HttpResponses.respond(exchange, putStatus, putStatus == 200 ? ""
          : "<Error><Code>InternalError</Code><Message>try again</Message></Error>", "application/xml");
      return;
    }
    HttpResponses.respond(exchange, 200, VERSIONING_ENABLED, "application/xml");
  }

  private BucketAddress bucketWithKeys(int n) {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    S3Credentials keys = new S3Credentials(String.format("AKIDPOOLTEST%08d", n), "pool-test-secret-key-" + n, null);
    return new BucketAddress(endpoint, "us-east-1", "rotated", keys);
  }

  @Test
  void fiftyRotatedKeyPairsAllSucceedThroughFourClients() throws Exception {
    for (int n = 0; n < 50; n++) {
      assertEquals(new BucketState(VersioningStatus.ENABLED, false), store.observe(bucketWithKeys(n)).state());
      assertTrue(store.clientCount() <= CAPACITY, "clients after key pair " + n + ": " + store.clientCount());
    }
    assertEquals(CAPACITY, store.clientCount());
    assertEquals(50 - CAPACITY, store.evictedClients());
    assertEquals(50, accessKeys.stream().distinct().count(), "each call signed with its own keys");
    assertTrue(mostClientsDuringARequest.get() <= CAPACITY, "clients: " + mostClientsDuringARequest.get());
  }

  @Test
  void concurrentCallsOnFiftyKeyPairsAllSucceedWithinTheBound() throws Exception {
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<BucketState>> calls = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        for (int n = 0; n < 50; n++) {
          BucketAddress bucket = bucketWithKeys(n);
          calls.add(callers.submit(() -> store.observe(bucket).state()));
        }
      }
      for (Future<BucketState> call : calls) {
        assertEquals(new BucketState(VersioningStatus.ENABLED, false), call.get(60, TimeUnit.SECONDS));
      }
    } finally {
      callers.shutdownNow();
    }
    assertEquals(200, accessKeys.size(), "one request per call: none failed and was retried");
    assertTrue(mostClientsDuringARequest.get() <= CAPACITY, "clients: " + mostClientsDuringARequest.get());
    assertTrue(store.clientCount() <= CAPACITY);
  }

  @Test
  void keyPairsWithinTheCapacityKeepTheirClients() throws Exception {
    for (int round = 0; round < 10; round++) {
      for (int n = 0; n < CAPACITY; n++) {
        store.observe(bucketWithKeys(n));
      }
    }
    assertEquals(CAPACITY, store.clientCount());
    assertEquals(0, store.evictedClients());
  }

  @Test
  void writesGoThroughThePoolAndOnlyTheOnesWithoutAnMfaCodeAreResent() throws Exception {
    BucketState enabled = new BucketState(VersioningStatus.ENABLED, true);
    store.putVersioning(bucketWithKeys(1), enabled, Optional.of(new MfaToken("arn:aws:iam::1:mfa/root", "123456")));
    assertEquals(List.of("arn:aws:iam::1:mfa/root 123456"), mfaHeaders);

    putStatus = 500;
    accessKeys.clear();
    assertThrows(BucketStoreException.class, () -> store.putVersioning(bucketWithKeys(2), enabled,
        Optional.of(new MfaToken("arn:aws:iam::1:mfa/root", "654321"))));
    assertEquals(1, accessKeys.size(), "a request carrying an MFA code is never resent");

    accessKeys.clear();
    assertThrows(BucketStoreException.class, () -> store.putVersioning(bucketWithKeys(3),
        new BucketState(VersioningStatus.ENABLED, false), Optional.empty()));
    assertEquals(2, accessKeys.size(), "a write without a code is tried twice");
  }
}

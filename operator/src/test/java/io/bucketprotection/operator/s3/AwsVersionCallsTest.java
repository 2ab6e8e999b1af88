package io.bucketprotection.operator.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bucketprotection.operator.aws.AwsHttp;
import io.bucketprotection.operator.decide.FailureVerdicts;
import io.bucketprotection.operator.http.HttpResponses;
import io.bucketprotection.operator.s3.VersionStore.DeleteReceipt;
import io.bucketprotection.operator.s3.VersionStore.Deleted;
import io.bucketprotection.operator.s3.VersionStore.Failed;
import io.bucketprotection.operator.s3.VersionStore.ObjectStamp;
import io.bucketprotection.operator.s3.VersionStore.ObjectVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link AwsBucketStore}'s version calls put on the wire and read back, against a local
 * server: the exact DeleteObjects (every version with its id, Quiet=false, the code, the expected
 * owner, root's keys), that it is never resent, that S3's error messages go nowhere, and that a
 * manifest's body is streamed. RgwDeleteObjectsTest shows the same calls against RadosGW.
 */
class AwsVersionCallsTest {

  private static final String ROOT_KEY_ID = "AKIDROOTVERSIONS0001";
  private static final String OWNER = "123456789012";
  private static final MfaToken TOKEN = new MfaToken("arn:aws:iam::123456789012:mfa/root", "123456");
  /** Echoes what a server might put in an error message: it must reach no receipt. */
  private static final String ERROR_MESSAGE = "message quoting the object's content";

  /** One request as the server saw it. */
  private record Seen(String method, String query, Map<String, List<String>> headers, String body) {
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  @FunctionalInterface
  private interface Answer {
    void answer(HttpExchange exchange) throws Exception;
  }

  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private volatile Answer answer;
  private HttpServer server;
  private ExecutorService serverThreads;
  private AwsBucketStore store;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    server.createContext("/", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawQuery(),
          Map.copyOf(exchange.getRequestHeaders()), body));
      try {
        answer.answer(exchange);
      } catch (Exception e) {
        exchange.sendResponseHeaders(599, -1);
      } finally {
        exchange.close();
      }
    });
    server.start();
    store = new AwsBucketStore("us-east-1", Set.of(), FailureVerdicts::isTransient);
  }

  @AfterEach
  void stop() {
    store.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private BucketAddress bucket(Signer.Role role) {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    S3Credentials keys = new S3Credentials(role == Signer.Role.ROOT ? ROOT_KEY_ID : "AKIDOBSERVERVERSIONS",
        "versions-test-secret-key-0123456789abcd", null);
    return new BucketAddress(endpoint, "us-east-1", "b", new Signer.Keys(keys, role, "test account"), OWNER);
  }

  private static void xml(HttpExchange exchange, int status, String body) throws IOException {
    HttpResponses.respond(exchange, status, body, "application/xml");
  }

  @Test
  void aDeletionSendsEveryVersionWithItsIdNotQuietWithTheCodeAndTheOwnerSignedByRoot() throws Exception {
    answer = exchange -> xml(exchange, 200, "<DeleteResult>"
        + "<Deleted><Key>a</Key><VersionId>v1</VersionId></Deleted>"
        + "<Deleted><Key>a</Key><DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>m1</DeleteMarkerVersionId>"
        + "</Deleted>"
        + "<Error><Key>b</Key><VersionId>v2</VersionId><Code>InternalError</Code><Message>" + ERROR_MESSAGE
        + "</Message></Error></DeleteResult>");
    List<ObjectVersion> versions = List.of(new ObjectVersion("a", "v1"), new ObjectVersion("a", "m1"),
        new ObjectVersion("b", "v2"));

    DeleteReceipt receipt = store.deleteVersions(bucket(Signer.Role.ROOT), versions, Optional.of(TOKEN));

    assertEquals(1, seen.size());
    Seen request = seen.get(0);
    assertEquals("POST", request.method());
    assertEquals("delete", request.query());
    assertEquals(TOKEN.headerValue(), request.header("x-amz-mfa"));
    assertEquals(OWNER, request.header("x-amz-expected-bucket-owner"));
    assertTrue(request.header("Authorization").contains("Credential=" + ROOT_KEY_ID + "/"), "root's keys sign");
    assertNotNull(request.header("x-amz-checksum-crc32"), "S3 requires a checksum of a DeleteObjects");
    assertTrue(request.body().contains("<Quiet>false</Quiet>"), request.body());
    for (ObjectVersion v : versions) {
      assertTrue(request.body().contains("<Object><Key>" + v.key() + "</Key><VersionId>" + v.versionId()
          + "</VersionId></Object>"), request.body());
    }
    // Request ids: RgwDeleteObjectsTest (the JDK server capitalises header names, and the SDK's
    // response metadata looks them up in lower case only).
    assertEquals(List.of(new Deleted("a", "v1", false), new Deleted("a", "m1", true)), receipt.deleted());
    assertEquals(List.of(new Failed("b", "v2", "InternalError")), receipt.failed());
    assertFalse(receipt.toString().contains("quoting"), "S3's error message is not kept: " + receipt);
  }

  @Test
  void aDeletionIsSentOnceWithOrWithoutACodeAndARefusalReadsByTheCodeItCarried() {
    answer = exchange -> xml(exchange, 500, "<Error><Code>InternalError</Code><Message>m</Message></Error>");
    List<ObjectVersion> one = List.of(new ObjectVersion("a", "v1"));
    BucketStoreException withCode = assertThrows(BucketStoreException.class,
        () -> store.deleteVersions(bucket(Signer.Role.ROOT), one, Optional.of(TOKEN)));
    assertEquals(S3ErrorKind.S3_SERVER_ERROR, withCode.kind());
    assertEquals(1, seen.size(), "a transient failure, yet a request carrying a code is never resent");
    assertThrows(BucketStoreException.class, () -> store.deleteVersions(bucket(Signer.Role.ROOT), one, Optional.empty()));
    assertEquals(2, seen.size(), "nor one without: the caller decides");

    // RadosGW's answer to a missing, wrong or spent code: a bare 403.
    answer = exchange -> exchange.sendResponseHeaders(403, -1);
    assertEquals(S3ErrorKind.MFA_REJECTED, assertThrows(BucketStoreException.class,
        () -> store.deleteVersions(bucket(Signer.Role.ROOT), one, Optional.of(TOKEN))).kind());
    assertEquals(S3ErrorKind.ACCESS_DENIED, assertThrows(BucketStoreException.class,
        () -> store.deleteVersions(bucket(Signer.Role.ROOT), one, Optional.empty())).kind());
  }

  /**
   * A server answers a DeleteObjects as it deletes (RadosGW: headers at once, about 4 s for 1,000
   * versions). An answer that takes longer than other calls may is still read whole, since cutting
   * it short loses the receipt of versions deleted with a spent code; and root's keys still sign.
   */
  @Test
  void aDeletionAnsweredSlowlyButSteadilyIsReadPastTheCallTimeout() throws Exception {
    int entries = (int) (AwsHttp.ATTEMPT_TIMEOUT.toMillis() / 700) + 2;
    answer = exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/xml");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write("<DeleteResult>".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < entries; i++) {
        out.flush();
        Thread.sleep(700);
        out.write(("<Deleted><Key>k" + i + "</Key><VersionId>v</VersionId></Deleted>").getBytes(StandardCharsets.UTF_8));
      }
      out.write("</DeleteResult>".getBytes(StandardCharsets.UTF_8));
    };
    List<ObjectVersion> batch = IntStream.range(0, entries).mapToObj(i -> new ObjectVersion("k" + i, "v")).toList();
    long start = System.nanoTime();
    DeleteReceipt receipt = store.deleteVersions(bucket(Signer.Role.ROOT), batch, Optional.of(TOKEN));
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(entries, receipt.deleted().size());
    assertTrue(millis > AwsHttp.ATTEMPT_TIMEOUT.toMillis(), "answered in " + millis + " ms");
    assertTrue(seen.get(0).header("Authorization").contains("Credential=" + ROOT_KEY_ID + "/"), "root's keys sign");
  }

  @Test
  void aBatchOfNoneOrMoreThanAThousandOrAVersionWithoutItsIdIsRefusedBeforeAnyRequest() {
    List<ObjectVersion> tooMany = IntStream.rangeClosed(0, VersionStore.MAX_BATCH)
        .mapToObj(i -> new ObjectVersion("k" + i, "v")).toList();
    for (List<ObjectVersion> batch : List.of(List.<ObjectVersion>of(), tooMany,
        List.of(new ObjectVersion("a", null)))) {
      assertThrows(IllegalArgumentException.class,
          () -> store.deleteVersions(bucket(Signer.Role.ROOT), batch, Optional.of(TOKEN)));
    }
    assertEquals(0, seen.size());
  }

  @Test
  void aStampIsTheETagAsSentAndTheVersion() throws Exception {
    answer = exchange -> {
      exchange.getResponseHeaders().add("ETag", "\"0123abcd\"");
      exchange.getResponseHeaders().add("x-amz-version-id", "v7");
      exchange.sendResponseHeaders(200, -1);
    };
    assertEquals(new ObjectStamp("\"0123abcd\"", "v7"), store.stat(bucket(Signer.Role.OBSERVER), "manifest.csv"));
    Seen head = seen.get(0);
    assertEquals("HEAD", head.method());
    assertEquals(OWNER, head.header("x-amz-expected-bucket-owner"));

    answer = exchange -> exchange.sendResponseHeaders(200, -1);
    assertEquals(S3ErrorKind.S3_SERVER_ERROR, assertThrows(BucketStoreException.class,
        () -> store.stat(bucket(Signer.Role.OBSERVER), "manifest.csv")).kind(), "no ETag, nothing to pin");
  }

  /**
   * The body is handed over while the server is still sending it (so it is never read whole
   * first), and reading it may take longer than the SDK's call timeout: only silence ends it.
   */
  @Test
  void aManifestIsStreamedAsPinnedAndMayBeReadForLongerThanTheCallTimeout() throws Exception {
    byte[] first = "bucket,key,version\n".getBytes(StandardCharsets.UTF_8);
    int chunks = (int) (AwsHttp.ATTEMPT_TIMEOUT.toMillis() / 700) + 2;
    byte[] chunk = "b,k,v\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    CountDownLatch firstRead = new CountDownLatch(1);
    answer = exchange -> {
      exchange.getResponseHeaders().add("ETag", "\"e1\"");
      exchange.sendResponseHeaders(200, first.length + (long) chunks * chunk.length);
      OutputStream out = exchange.getResponseBody();
      out.write(first);
      out.flush();
      if (!firstRead.await(10, TimeUnit.SECONDS)) {
        return;
      }
      for (int i = 0; i < chunks; i++) {
        Thread.sleep(700);
        out.write(chunk);
        out.flush();
      }
    };
    long start = System.nanoTime();
    List<byte[]> read = new ArrayList<>();
    try (InputStream body = store.open(bucket(Signer.Role.OBSERVER), "manifest.csv", new ObjectStamp("\"e1\"", "v1"))) {
      read.add(body.readNBytes(first.length));
      firstRead.countDown();
      read.add(body.readAllBytes());
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertArrayEquals(first, read.get(0));
    assertEquals(chunks * chunk.length, read.get(1).length);
    assertTrue(millis > AwsHttp.ATTEMPT_TIMEOUT.toMillis(), "read for " + millis + " ms");
    Seen get = seen.get(0);
    assertEquals("GET", get.method());
    assertTrue(Arrays.asList(get.query().split("&")).contains("versionId=v1"), get.query());
    assertEquals("\"e1\"", get.header("If-Match"));
    assertEquals(OWNER, get.header("x-amz-expected-bucket-owner"));
  }

  @Test
  void aStampWithoutAVersionSendsOnlyIfMatchAndAChangedObjectIsObjectChanged() {
    answer = exchange -> xml(exchange, 412, "<Error><Code>PreconditionFailed</Code></Error>");
    BucketStoreException changed = assertThrows(BucketStoreException.class,
        () -> store.open(bucket(Signer.Role.OBSERVER), "manifest.csv", new ObjectStamp("\"e1\"", null)));
    assertEquals(S3ErrorKind.MANIFEST_CHANGED, changed.kind());
    assertEquals(1, seen.size(), "a changed object is not read again");
    assertTrue(seen.get(0).query() == null || !seen.get(0).query().contains("versionId"), seen.get(0).query());
    assertEquals("\"e1\"", seen.get(0).header("If-Match"));
  }

  /**
   * A version is looked up with one HEAD naming its id, signed by the observer; the answers AWS gives
   * (200, 404, 405 with x-amz-delete-marker for a delete marker's version) are what was found, and
   * any other is a failure mapped as every call's. RgwCheckTest shows RadosGW 16's answers.
   */
  @Test
  void aVersionIsLookedUpWithOneHeadAndItsAnswerSaysWhetherItIsThereAMarkerOrMissing() throws Exception {
    ObjectVersion version = new ObjectVersion("dir/a b.txt", "v/1");
    answer = exchange -> exchange.sendResponseHeaders(200, -1);
    assertEquals(VersionStore.Presence.PRESENT, store.headVersion(bucket(Signer.Role.OBSERVER), version));
    Seen head = seen.get(0);
    assertEquals("HEAD", head.method());
    assertEquals("versionId=v%2F1", head.query());
    assertEquals(OWNER, head.header("x-amz-expected-bucket-owner"));
    assertTrue(head.header("Authorization").contains("Credential=AKIDOBSERVERVERSIONS/"), "the observer signs");

    answer = exchange -> {
      exchange.getResponseHeaders().add("x-amz-delete-marker", "true");
      exchange.sendResponseHeaders(405, -1);
    };
    assertEquals(VersionStore.Presence.DELETE_MARKER, store.headVersion(bucket(Signer.Role.OBSERVER), version));
    answer = exchange -> exchange.sendResponseHeaders(404, -1);
    assertEquals(VersionStore.Presence.MISSING, store.headVersion(bucket(Signer.Role.OBSERVER), version));
    assertEquals(3, seen.size(), "a missing version is an answer, not a failure to retry");

    answer = exchange -> exchange.sendResponseHeaders(405, -1);
    assertEquals(S3ErrorKind.REQUEST_REJECTED, assertThrows(BucketStoreException.class,
        () -> store.headVersion(bucket(Signer.Role.OBSERVER), version)).kind(), "a 405 that names no marker");
    answer = exchange -> exchange.sendResponseHeaders(403, -1);
    assertEquals(S3ErrorKind.ACCESS_DENIED, assertThrows(BucketStoreException.class,
        () -> store.headVersion(bucket(Signer.Role.OBSERVER), version)).kind());
  }
}

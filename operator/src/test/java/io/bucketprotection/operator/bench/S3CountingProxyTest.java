package io.bucketprotection.operator.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.bucketprotection.operator.testsupport.FakeStsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleResponse;

/**
 * The benchmark's S3 proxy must be transparent (the server sees the request the client signed:
 * Host, every header, the body) and count every request once, on kept-alive connections, whatever
 * the response framing (Content-Length, chunked, none for HEAD).
 */
class S3CountingProxyTest {

  private record Seen(String method, String uri, String host, String mfa, String custom, byte[] body) {
  }

  /** Two key pairs, as two tenants (or the operator and a tenant) would sign with. */
  private static final AwsBasicCredentials KEY_A = AwsBasicCredentials.create("AKIAKEYA000000000001", "secret-a-never-on-the-wire");
  private static final AwsBasicCredentials KEY_B = AwsBasicCredentials.create("AKIAKEYB000000000002", "secret-b-never-on-the-wire");

  private HttpServer upstream;
  private S3CountingProxy proxy;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      var h = exchange.getRequestHeaders();
      seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), h.getFirst("Host"),
          h.getFirst("x-amz-mfa"), h.getFirst("X-Custom"), body));
      String query = exchange.getRequestURI().getRawQuery();
      byte[] answer = ("answer to " + exchange.getRequestMethod() + " " + exchange.getRequestURI()).getBytes(
          StandardCharsets.UTF_8);
      if ("HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(200, -1);
      } else if ("lifecycle".equals(query)) {
        exchange.sendResponseHeaders(404, answer.length);
        exchange.getResponseBody().write(answer);
      } else if (exchange.getRequestURI().getPath().startsWith("/chunked")) {
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < 3; i++) {
          out.write(answer);
          out.flush();
        }
      } else {
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
      }
      exchange.close();
    });
    upstream.start();
    proxy = S3CountingProxy.start(URI.create("http://127.0.0.1:" + upstream.getAddress().getPort()));
  }

  @AfterEach
  void stop() {
    proxy.close();
    upstream.stop(0);
  }

  private record Answer(int status, byte[] body) {
  }

  private Answer send(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) proxy.endpoint().resolve(pathAndQuery).toURL().openConnection();
    c.setRequestMethod(method);
    headers.forEach(c::setRequestProperty);
    if (body != null) {
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    byte[] answer = in == null ? new byte[0] : in.readAllBytes();
    if (in != null) {
      in.close();
    }
    return new Answer(status, answer);
  }

  @Test
  void forwardsHostHeadersAndBodyUnchangedAndCountsEveryRequestOnOneConnection() throws IOException {
    String host = "127.0.0.1:" + proxy.endpoint().getPort();
    byte[] xml = "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"
        .getBytes(StandardCharsets.UTF_8);

    assertEquals(200, send("GET", "/bucket-a?versioning", Map.of("X-Custom", "one"), null).status());
    assertEquals(200, send("PUT", "/bucket-a?versioning", Map.of("x-amz-mfa", "serial 123456"), xml).status());
    assertEquals(200, send("PUT", "/bucket-b?versioning", Map.of(), xml).status());
    Answer lifecycle = send("GET", "/bucket-a?lifecycle", Map.of(), null);
    assertEquals(404, lifecycle.status());
    assertEquals("answer to GET /bucket-a?lifecycle", new String(lifecycle.body(), StandardCharsets.UTF_8));
    Answer chunked = send("GET", "/chunked/key", Map.of(), null);
    assertEquals("answer to GET /chunked/key".repeat(3), new String(chunked.body(), StandardCharsets.UTF_8));
    assertEquals(200, send("HEAD", "/bucket-a", Map.of(), null).status());
    assertEquals(200, send("GET", "/bucket-b?versioning", Map.of(), null).status());

    assertEquals(7, seen.size());
    for (Seen s : seen) {
      assertEquals(host, s.host(), "the server sees the Host the client signed");
    }
    assertEquals("one", seen.get(0).custom());
    assertEquals("serial 123456", seen.get(1).mfa());
    assertArrayEquals(xml, seen.get(1).body());
    assertEquals("/bucket-a?versioning", seen.get(1).uri());

    S3CountingProxy.Counts counts = proxy.snapshot();
    assertEquals(2, counts.requests(S3CountingProxy.GET_VERSIONING));
    assertEquals(1, counts.requests(S3CountingProxy.PUT_VERSIONING_MFA));
    assertEquals(1, counts.requests(S3CountingProxy.PUT_VERSIONING));
    assertEquals(1, counts.requests(S3CountingProxy.GET_LIFECYCLE));
    assertEquals(2, counts.otherRequests());
    assertEquals(1, counts.getsOf("bucket-a"));
    assertEquals(1, counts.getsOf("bucket-b"));
    assertEquals(Map.of("2xx", 6L, "4xx", 1L), counts.responsesByClass());
    assertEquals(1, counts.connections(), "kept alive: one connection for every request");
  }

  @Test
  void recordsWhichChecksumHeadersARequestCarriedByKindNeverTheirValues() throws IOException {
    byte[] xml = "<Delete><Object><Key>k</Key><VersionId>v</VersionId></Object></Delete>"
        .getBytes(StandardCharsets.UTF_8);
    send("POST", "/bucket-a?delete", Map.of("x-amz-mfa", "serial 123456", "x-amz-checksum-crc32", "AAAAAA==",
        "x-amz-sdk-checksum-algorithm", "CRC32"), xml);
    send("POST", "/bucket-a?delete", Map.of("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="), xml);
    send("PUT", "/bucket-a/key", Map.of("x-amz-trailer", "x-amz-checksum-crc32c",
        "x-amz-sdk-checksum-algorithm", "not an algorithm"), xml);
    send("GET", "/bucket-a?versioning", Map.of(), null);

    assertEquals(Map.of(
        S3CountingProxy.DELETE_OBJECTS_MFA + " x-amz-checksum-crc32", 1L,
        S3CountingProxy.DELETE_OBJECTS_MFA + " x-amz-sdk-checksum-algorithm: CRC32", 1L,
        S3CountingProxy.DELETE_OBJECTS + " content-md5", 1L,
        "other PUT x-amz-trailer: x-amz-checksum-crc32c", 1L,
        "other PUT x-amz-sdk-checksum-algorithm: (other)", 1L), proxy.checksumHeaders());
    assertFalse(proxy.checksumHeaders().toString().contains("AAAAAA=="), "a checksum's value is not kept");
  }

  @Test
  void kindsLookOnlyAtMethodQueryNamesAndTheMfaHeadersPresence() {
    assertEquals(S3CountingProxy.GET_VERSIONING, S3CountingProxy.classify("GET", "/b?versioning", Map.of()));
    assertEquals(S3CountingProxy.GET_VERSIONING, S3CountingProxy.classify("GET", "/b/?versioning=", Map.of()));
    assertEquals(S3CountingProxy.PUT_VERSIONING_MFA,
        S3CountingProxy.classify("PUT", "/b?versioning", Map.of("x-amz-mfa", "x")));
    assertEquals("other PUT", S3CountingProxy.classify("PUT", "/b", Map.of()));
    assertEquals(S3CountingProxy.LIST_BUCKETS, S3CountingProxy.classify("GET", "/?max-buckets=1000", Map.of()));
    assertEquals(S3CountingProxy.LIST_BUCKETS, S3CountingProxy.classify("GET", "/", Map.of()));
    assertEquals("other GET ?list-type", S3CountingProxy.classify("GET", "/b?list-type=2&prefix=x", Map.of()));
    assertEquals("b", S3CountingProxy.bucketOf("/b/?versioning"));
  }

  private S3Client s3(AwsBasicCredentials key) {
    return S3Client.builder()
        .endpointOverride(proxy.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(key))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1)))
        .build();
  }

  private static String sigV4(AwsBasicCredentials key) {
    return "AWS4-HMAC-SHA256 Credential=" + key.accessKeyId() + "/20261128/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=0123abcd";
  }

  @Test
  void countsEveryRequestUnderTheAccessKeyThatSignedIt() throws IOException {
    S3CountingProxy.Counts start = proxy.snapshot();
    try (S3Client a = s3(KEY_A); S3Client b = s3(KEY_B)) {
      // The real SDK's SigV4 Authorization header.
      a.getObject(r -> r.bucket("bucket-a").key("reports/one.txt"), ResponseTransformer.toBytes());
      a.getObject(r -> r.bucket("bucket-a").key("reports/two.txt"), ResponseTransformer.toBytes());
      b.getObject(r -> r.bucket("bucket-b").key("k"), ResponseTransformer.toBytes());
    }
    S3CountingProxy.Counts afterSdk = proxy.snapshot();

    // A presigned URL: the key is in X-Amz-Credential, there is no Authorization header.
    try (S3Presigner presigner = S3Presigner.builder().endpointOverride(proxy.endpoint()).region(Region.US_EAST_1)
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .credentialsProvider(StaticCredentialsProvider.create(KEY_B)).build()) {
      URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
          .getObjectRequest(g -> g.bucket("bucket-b").key("shared/file"))).url().toURI();
      assertTrue(url.getRawQuery().contains("X-Amz-Credential=" + KEY_B.accessKeyId() + "%2F"), url.getRawQuery());
      assertEquals(200, send("GET", url.getRawPath() + "?" + url.getRawQuery(), Map.of(), null).status());
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
    byte[] delete = "<Delete><Object><Key>k</Key><VersionId>v1</VersionId></Object></Delete>"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(200, send("POST", "/bucket-a?delete", Map.of("Authorization", sigV4(KEY_A)), delete).status());
    assertEquals(200, send("POST", "/bucket-a?delete",
        Map.of("Authorization", sigV4(KEY_A), "x-amz-mfa", "SERIAL-VALUE 654321"), delete).status());
    assertEquals(200, send("GET", "/bucket-a?versioning", Map.of("Authorization", sigV4(KEY_B)), null).status());
    assertEquals(200, send("GET", "/bucket-a/public.txt", Map.of(), null).status());

    S3CountingProxy.Counts counts = proxy.snapshot();
    assertEquals(Map.of(S3CountingProxy.GET_OBJECT, 2L), afterSdk.minus(start).requestsSignedBy(KEY_A.accessKeyId()));
    assertEquals(Map.of(S3CountingProxy.GET_OBJECT, 2L, S3CountingProxy.DELETE_OBJECTS, 1L,
        S3CountingProxy.DELETE_OBJECTS_MFA, 1L), counts.requestsSignedBy(KEY_A.accessKeyId()));
    assertEquals(Map.of(S3CountingProxy.GET_OBJECT, 2L, S3CountingProxy.GET_VERSIONING, 1L),
        counts.requestsSignedBy(KEY_B.accessKeyId()));
    assertEquals(Map.of(S3CountingProxy.GET_OBJECT, 1L), counts.requestsSignedBy(S3CountingProxy.ANONYMOUS));
    assertEquals(Set.of(KEY_A.accessKeyId(), KEY_B.accessKeyId(), S3CountingProxy.ANONYMOUS), counts.signingKeys());
    assertEquals(1, counts.requests(KEY_A.accessKeyId(), S3CountingProxy.DELETE_OBJECTS_MFA));
    assertEquals(0, counts.requests("AKIANOBODY", S3CountingProxy.GET_OBJECT));
    assertEquals(Map.of(), counts.requestsSignedBy("AKIANOBODY"));
    // The overall counts agree with the per-key ones.
    assertEquals(5, counts.requests(S3CountingProxy.GET_OBJECT));
    assertEquals(counts.totalRequests(), counts.byKey().values().stream()
        .flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum());
    // Named, but not the operator's: still "other" for the benchmark's and the checks' assertions.
    assertEquals(7, counts.otherRequests());

    // minus: a wave's counts by key, with keys and kinds that did not move left out.
    S3CountingProxy.Counts wave = counts.minus(afterSdk);
    assertEquals(Map.of(S3CountingProxy.DELETE_OBJECTS, 1L, S3CountingProxy.DELETE_OBJECTS_MFA, 1L),
        wave.requestsSignedBy(KEY_A.accessKeyId()));
    assertEquals(Map.of(S3CountingProxy.GET_OBJECT, 1L, S3CountingProxy.GET_VERSIONING, 1L),
        wave.requestsSignedBy(KEY_B.accessKeyId()));
    assertEquals(Set.of(KEY_A.accessKeyId(), KEY_B.accessKeyId(), S3CountingProxy.ANONYMOUS), wave.signingKeys());
    assertTrue(counts.minus(counts).byKey().isEmpty());

    // The x-amz-mfa value went upstream but is nowhere in the counts.
    assertEquals("SERIAL-VALUE 654321", seen.get(seen.size() - 3).mfa());
    assertFalse(counts.toString().contains("654321"));
    assertFalse(counts.toString().contains("secret-a"));
  }

  @Test
  void stsQueryRequestsAreNamedByTheirActionAndRelayedUnchanged() throws IOException {
    String role = "arn:aws:iam::123456789012:role/observer";
    try (FakeStsServer sts = new FakeStsServer();
        S3CountingProxy stsProxy = S3CountingProxy.start(sts.endpoint())) {
      sts.identity(KEY_A.accessKeyId(), "arn:aws:iam::123456789012:user/operator")
          .identity(KEY_B.accessKeyId(), "arn:aws:iam::123456789012:user/tenant")
          .allowAssume(KEY_A.accessKeyId(), role, "ext-1");
      AssumeRoleResponse session;
      try (StsClient a = sts(stsProxy, StaticCredentialsProvider.create(KEY_A));
          StsClient b = sts(stsProxy, StaticCredentialsProvider.create(KEY_B))) {
        a.getCallerIdentity();
        session = a.assumeRole(r -> r.roleArn(role).roleSessionName("observer-1").externalId("ext-1"));
        b.getCallerIdentity();
        b.getCallerIdentity();
      }
      String sessionKey = session.credentials().accessKeyId();
      try (StsClient asRole = sts(stsProxy, StaticCredentialsProvider.create(AwsSessionCredentials.create(
          sessionKey, session.credentials().secretAccessKey(), session.credentials().sessionToken())))) {
        assertEquals("arn:aws:sts::123456789012:assumed-role/observer/observer-1", asRole.getCallerIdentity().arn());
      }

      S3CountingProxy.Counts counts = stsProxy.snapshot();
      assertEquals(Map.of(S3CountingProxy.STS_GET_CALLER_IDENTITY, 1L, S3CountingProxy.STS_ASSUME_ROLE, 1L),
          counts.requestsSignedBy(KEY_A.accessKeyId()));
      assertEquals(Map.of(S3CountingProxy.STS_GET_CALLER_IDENTITY, 2L), counts.requestsSignedBy(KEY_B.accessKeyId()));
      assertEquals(Map.of(S3CountingProxy.STS_GET_CALLER_IDENTITY, 1L), counts.requestsSignedBy(sessionKey));
      assertEquals(Map.of("STS AssumeRole 2xx", 1L, "STS GetCallerIdentity 2xx", 4L), counts.responses());
      // The fake parsed every relayed form body as the SDK wrote it.
      assertEquals(new FakeStsServer.Request("AssumeRole", KEY_A.accessKeyId(), role, "observer-1", true),
          sts.requests().get(1));
      assertEquals(5, sts.requests().size());
      assertFalse(counts.toString().contains(session.credentials().sessionToken()));
    }
  }

  /** What a test's MFA tap was handed, and how many requests the server had seen by then. */
  private record Tapped(String key, String value, Instant at, String kind, int seenBefore) {
  }

  @Test
  void theMfaTapSeesTheValueAndKindOfEachRequestCarryingTheHeaderBeforeItIsForwarded() throws IOException {
    List<Tapped> tapped = new CopyOnWriteArrayList<>();
    proxy.tapMfa((key, value, at, kind) -> tapped.add(new Tapped(key, value, at, kind, seen.size())));
    byte[] xml = "<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete></VersioningConfiguration>"
        .getBytes(StandardCharsets.UTF_8);
    Instant before = Instant.now();

    assertEquals(200, send("PUT", "/bucket-a?versioning",
        Map.of("Authorization", sigV4(KEY_A), "x-amz-mfa", "SERIAL-A 123456"), xml).status());
    assertEquals(200, send("GET", "/bucket-a?versioning", Map.of("Authorization", sigV4(KEY_A)), null).status());
    assertEquals(200, send("PUT", "/bucket-b?versioning", Map.of("Authorization", sigV4(KEY_B)), xml).status());
    assertEquals(200, send("GET", "/bucket-b?versioning", Map.of("x-amz-mfa", "SERIAL-B 654321"), null).status());
    Instant after = Instant.now();

    assertEquals(4, seen.size());
    assertEquals(2, tapped.size(), "called for the two requests carrying x-amz-mfa, not for the two without");
    Tapped put = tapped.get(0);
    assertEquals(KEY_A.accessKeyId(), put.key());
    assertEquals("SERIAL-A 123456", put.value());
    assertEquals(S3CountingProxy.PUT_VERSIONING_MFA, put.kind());
    assertEquals(0, put.seenBefore(), "called before the request was forwarded");
    Tapped get = tapped.get(1);
    assertEquals(S3CountingProxy.ANONYMOUS, get.key());
    assertEquals("SERIAL-B 654321", get.value());
    assertEquals(S3CountingProxy.GET_VERSIONING, get.kind(), "a request that needs no MFA is tapped too");
    assertEquals(3, get.seenBefore(), "called before the request was forwarded");
    assertFalse(put.at().isBefore(before));
    assertFalse(get.at().isBefore(put.at()));
    assertFalse(get.at().isAfter(after));

    // Forwarded as sent; the proxy's own counts still hold no value.
    assertEquals("SERIAL-A 123456", seen.get(0).mfa());
    assertNull(seen.get(1).mfa());
    assertEquals("SERIAL-B 654321", seen.get(3).mfa());
    assertFalse(proxy.snapshot().toString().contains("123456"));
    assertFalse(proxy.snapshot().toString().contains("SERIAL-A"));

    proxy.tapMfa(null);
    assertEquals(200, send("PUT", "/bucket-a?versioning", Map.of("x-amz-mfa", "SERIAL-A 234567"), xml).status());
    assertEquals(2, tapped.size(), "a removed tap is not called");
  }

  @Test
  void aTapThatThrowsEndsItsConnectionWithoutForwardingTheRequest() throws IOException {
    proxy.tapMfa((key, value, at, kind) -> {
      throw new IllegalStateException("the test's tap refuses");
    });
    byte[] xml = "<VersioningConfiguration/>".getBytes(StandardCharsets.UTF_8);
    assertThrows(IOException.class, () -> send("PUT", "/bucket-a?versioning", Map.of("x-amz-mfa", "SERIAL 123456"), xml));
    assertEquals(200, send("PUT", "/bucket-a?versioning", Map.of(), xml).status(), "the proxy still relays");
    assertEquals(1, seen.size(), "only the request without x-amz-mfa reached the server");
    assertNull(seen.get(0).mfa());
  }

  private static StsClient sts(S3CountingProxy via,
      software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
    return StsClient.builder().endpointOverride(via.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder())
        .overrideConfiguration(o -> o.retryStrategy(b -> b.maxAttempts(1))).build();
  }

  @Test
  void namedKindsForObjectReadsMultiObjectDeletesAndSts() {
    Map<String, String> form = Map.of("content-type", "application/x-www-form-urlencoded; charset=utf-8");
    byte[] assume = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s"
        .getBytes(StandardCharsets.UTF_8);
    assertEquals(S3CountingProxy.STS_ASSUME_ROLE, S3CountingProxy.classify("POST", "/", form, assume));
    assertEquals(S3CountingProxy.STS_GET_CALLER_IDENTITY, S3CountingProxy.classify("POST", "/", form,
        "Version=2011-06-15&Action=GetCallerIdentity".getBytes(StandardCharsets.UTF_8)));
    assertEquals(S3CountingProxy.STS_GET_CALLER_IDENTITY,
        S3CountingProxy.classify("GET", "/?Action=GetCallerIdentity&Version=2011-06-15", Map.of(), null));
    assertEquals("other POST", S3CountingProxy.classify("POST", "/", form,
        "Action=CreateUser&Version=2010-05-08&UserName=x".getBytes(StandardCharsets.UTF_8)), "IAM is not STS");
    assertEquals(S3CountingProxy.DELETE_OBJECTS, S3CountingProxy.classify("POST", "/b?delete", Map.of()));
    assertEquals(S3CountingProxy.DELETE_OBJECTS, S3CountingProxy.classify("POST", "/b?delete=", Map.of()));
    assertEquals(S3CountingProxy.DELETE_OBJECTS_MFA,
        S3CountingProxy.classify("POST", "/b?delete", Map.of("x-amz-mfa", "x")));
    assertEquals(S3CountingProxy.GET_OBJECT, S3CountingProxy.classify("GET", "/b/k", Map.of()));
    assertEquals(S3CountingProxy.GET_OBJECT, S3CountingProxy.classify("GET", "/b/dir/k?versionId=3", Map.of()));
    assertEquals(S3CountingProxy.GET_OBJECT,
        S3CountingProxy.classify("GET", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=A%2Fx", Map.of()));
    assertEquals("other GET ?acl", S3CountingProxy.classify("GET", "/b/k?acl", Map.of()));
    assertEquals("other GET", S3CountingProxy.classify("GET", "/b/", Map.of()), "ListObjects (v1) is no object read");
    assertEquals("other GET ?uploads", S3CountingProxy.classify("GET", "/b?uploads", Map.of()));

    assertEquals("AKIDX", S3CountingProxy.signingKey("/b?versioning", Map.of("authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDX/20261128/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=ab")));
    assertEquals("AKIDV2", S3CountingProxy.signingKey("/b", Map.of("authorization", "AWS AKIDV2:c2lnbmF0dXJl")));
    assertEquals("AKIDQ", S3CountingProxy.signingKey(
        "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDQ%2F20261128%2Fus-east-1%2Fs3%2Faws4_request",
        Map.of()));
    assertEquals(S3CountingProxy.ANONYMOUS, S3CountingProxy.signingKey("/b/k", Map.of()));
  }
}

package io.bucketprotection.operator.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's S3 proxy must be transparent (the server sees the request the client signed:
 * Host, every header, the body) and count every request once, on kept-alive connections, whatever
 * the response framing (Content-Length, chunked, none for HEAD).
 */
class S3CountingProxyTest {

  private record Seen(String method, String uri, String host, String mfa, String custom, byte[] body) {
  }

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
}

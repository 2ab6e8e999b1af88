package io.bucketprotection.operator.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An S3 endpoint over HTTP that answers ListBuckets only, and counts at the wire: every request,
 * the listings begun (a request without a continuation token) and the access key that signed
 * each. It lists as AWS does (max-buckets a page, a continuation token while more remain), or as a
 * hostile server would: endless pages, one page that ignores max-buckets, or a page too large to
 * keep.
 */
public final class ListingS3Server implements AutoCloseable {

  /** How the server answers. */
  public enum Mode {
    /** As AWS: honours max-buckets and continuation tokens. */
    PAGED,
    /** Every page holds one new bucket and a continuation token: the listing never ends. */
    ENDLESS_PAGES,
    /** One page with every bucket, whatever max-buckets says (as RadosGW does). */
    ONE_PAGE,
    /** One page of {@link #hugePageBytes} bytes of buckets, streamed, that the client should stop reading. */
    HUGE_PAGE
  }

  private static final String HEAD = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      + "<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      + "<Owner><ID>owner</ID><DisplayName>owner</DisplayName></Owner><Buckets>";

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private volatile Mode mode = Mode.PAGED;
  private volatile List<String> buckets = List.of();
  private volatile long hugePageBytes = 64L << 20;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger listings = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final AtomicBoolean hugePageFinished = new AtomicBoolean();
  private final List<String> signers = new CopyOnWriteArrayList<>();

  private ListingS3Server(HttpServer server) {
    this.server = server;
  }

  public static ListingS3Server start() throws IOException {
    // Without it each small answer waits for the client's delayed ACK (40 ms a page). Read once per
    // JVM, when the first JDK HTTP server starts: harmless for the others.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    ListingS3Server s3 = new ListingS3Server(http);
    http.createContext("/", s3::handle);
    http.setExecutor(s3.executor);
    http.start();
    return s3;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public ListingS3Server buckets(List<String> names) {
    this.buckets = List.copyOf(names);
    return this;
  }

  public ListingS3Server mode(Mode mode) {
    this.mode = mode;
    return this;
  }

  public ListingS3Server hugePageBytes(long bytes) {
    this.hugePageBytes = bytes;
    return this;
  }

  /** Requests received (every page). */
  public int requests() {
    return requests.get();
  }

  /** Listings begun: requests without a continuation token. */
  public int listings() {
    return listings.get();
  }

  /** The most requests in progress at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /** The access key id of each listing begun, in order. */
  public List<String> listingSigners() {
    return List.copyOf(signers);
  }

  /** Whether a huge page was ever sent to its end (the client read it all). */
  public boolean hugePageFinished() {
    return hugePageFinished.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      if (!"GET".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())) {
        send(exchange, 501, "<Error><Code>NotImplemented</Code><Message>only ListBuckets</Message></Error>");
        return;
      }
      String token = query.get("continuation-token");
      if (token == null) {
        listings.incrementAndGet();
        signers.add(accessKey(exchange.getRequestHeaders().getFirst("Authorization")));
      }
      int offset = token == null ? 0 : Integer.parseInt(token);
      switch (mode) {
        case PAGED -> {
          int max = Integer.parseInt(query.getOrDefault("max-buckets", "10000"));
          List<String> page = buckets.subList(Math.min(offset, buckets.size()), Math.min(offset + max, buckets.size()));
          String next = offset + max < buckets.size() ? String.valueOf(offset + max) : null;
          send(exchange, 200, page(page, next));
        }
        case ENDLESS_PAGES -> send(exchange, 200, page(List.of("endless-" + offset), String.valueOf(offset + 1)));
        case ONE_PAGE -> {
          exchange.getResponseHeaders().set("Content-Type", "application/xml");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(HEAD.getBytes(StandardCharsets.UTF_8));
            StringBuilder chunk = new StringBuilder();
            for (String name : buckets) {
              chunk.append(bucket(name));
              if (chunk.length() > 64 * 1024) {
                out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
                chunk.setLength(0);
              }
            }
            chunk.append("</Buckets></ListAllMyBucketsResult>");
            out.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
          }
        }
        case HUGE_PAGE -> {
          exchange.getResponseHeaders().set("Content-Type", "application/xml");
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(HEAD.getBytes(StandardCharsets.UTF_8));
            StringBuilder chunk = new StringBuilder();
            long sent = 0;
            for (int i = 0; sent < hugePageBytes; i++) {
              chunk.append(bucket("huge-" + i));
              if (chunk.length() > 64 * 1024) {
                byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                out.write(bytes);
                sent += bytes.length;
                chunk.setLength(0);
              }
            }
            out.write("</Buckets></ListAllMyBucketsResult>".getBytes(StandardCharsets.UTF_8));
            hugePageFinished.set(true);
          } catch (IOException e) {
            // The client stopped reading: what a bounded client does.
          }
        }
        default -> throw new IllegalStateException();
      }
    } finally {
      inFlight.decrementAndGet();
      exchange.close();
    }
  }

  private static String bucket(String name) {
    return "<Bucket><Name>" + name + "</Name><CreationDate>2026-12-01T00:00:00.000Z</CreationDate></Bucket>";
  }

  private static String page(List<String> names, String next) {
    StringBuilder xml = new StringBuilder(HEAD);
    names.forEach(name -> xml.append(bucket(name)));
    xml.append("</Buckets>");
    if (next != null) {
      xml.append("<ContinuationToken>").append(next).append("</ContinuationToken>");
    }
    return xml.append("</ListAllMyBucketsResult>").toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw == null) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return query;
  }

  /** The access key id in a SigV4 Authorization header ("... Credential=AKID/date/region/s3/aws4_request, ..."). */
  private static String accessKey(String authorization) {
    if (authorization == null) {
      return null;
    }
    int at = authorization.indexOf("Credential=");
    if (at < 0) {
      return null;
    }
    int end = authorization.indexOf('/', at);
    return end < 0 ? null : authorization.substring(at + "Credential=".length(), end);
  }

  /** Names {@code prefix}00000, {@code prefix}00001, ... */
  public static List<String> names(String prefix, int count) {
    List<String> names = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      names.add(String.format("%s%05d", prefix, i));
    }
    return names;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

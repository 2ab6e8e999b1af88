package io.bucketprotection.operator.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A forwarding HTTP/1.1 proxy on 127.0.0.1 between the operator and an S3 server, counting every
 * request at the wire. Why: counting at the operator's own {@code BucketStore} interface cannot see
 * what the SDK does below it (retries, redirects, extra calls); every request that leaves the
 * operator passes here.
 *
 * <p>It is a byte relay, not an HTTP client. The request line, every header (Host included) and
 * the body go upstream exactly as received, so a SigV4 signature, which the operator computed for
 * the proxy's Host, still verifies at RadosGW (RadosGW checks the Host it receives). It parses only
 * what it must: where each message ends on a kept-alive connection (Content-Length or chunked), the
 * method and query to classify the request, and the response status. The {@code x-amz-mfa} header
 * is tested for presence only; its value is never kept or printed.
 *
 * <p>Overhead: each client connection gets one upstream connection, kept alive as long as the
 * client keeps its own, and two pooled threads (requests up, responses down), so the proxy adds a
 * loopback hop and a buffer copy, not a connection set-up per request.
 */
public final class S3CountingProxy implements AutoCloseable {

  public static final String GET_VERSIONING = "GetBucketVersioning";
  public static final String PUT_VERSIONING = "PutBucketVersioning without x-amz-mfa";
  public static final String PUT_VERSIONING_MFA = "PutBucketVersioning with x-amz-mfa";
  public static final String GET_LIFECYCLE = "GetBucketLifecycleConfiguration";
  /** GET on the service ("/"): one page of ListBuckets. */
  public static final String LIST_BUCKETS = "ListBuckets";
  /** Prefix of every request kind the operator is not expected to send ("other HEAD", "other PUT"). */
  public static final String OTHER = "other";

  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final int BUFFER = 16 * 1024;

  /** One request on its way: what to count its response under, and whether the response has a body. */
  private record Exchange(String kind, boolean head) {
  }

  /** A parsed message head: the raw bytes (forwarded as they are), the first line, lower-cased headers. */
  private record Head(byte[] raw, String firstLine, Map<String, String> headers) {
  }

  private final ServerSocket listener;
  private final InetSocketAddress upstream;
  private final ExecutorService pool;
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> responses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> getsPerBucket = new ConcurrentHashMap<>();
  private final LongAdder connections = new LongAdder();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private S3CountingProxy(ServerSocket listener, InetSocketAddress upstream) {
    this.listener = listener;
    this.upstream = upstream;
    AtomicInteger threads = new AtomicInteger();
    this.pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "s3-proxy-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts a proxy on an ephemeral loopback port, forwarding to {@code upstream} (http://host:port). */
  public static S3CountingProxy start(URI upstream) throws IOException {
    ServerSocket listener = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
    int port = upstream.getPort() > 0 ? upstream.getPort() : 80;
    S3CountingProxy proxy = new S3CountingProxy(listener, new InetSocketAddress(upstream.getHost(), port));
    proxy.pool.execute(proxy::acceptLoop);
    return proxy;
  }

  /** The URL to give the operator as its S3 endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Everything counted so far. */
  public Counts snapshot() {
    return new Counts(copy(requests), copy(responses), copy(getsPerBucket), connections.sum());
  }

  private static Map<String, Long> copy(Map<String, LongAdder> counters) {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /**
   * Counts at one moment; {@link #minus} gives those of a wave.
   *
   * @param requests by kind ({@link #GET_VERSIONING}, ..., "other METHOD [?subresource]")
   * @param responses by "kind status-class" ("GetBucketVersioning 2xx"); "kind none" for a request
   *     whose connection closed before its response
   * @param getsPerBucket GetBucketVersioning requests by bucket (path-style addressing)
   * @param connections client connections accepted
   */
  public record Counts(Map<String, Long> requests, Map<String, Long> responses, Map<String, Long> getsPerBucket,
      long connections) {

    public Counts minus(Counts before) {
      return new Counts(subtract(requests, before.requests), subtract(responses, before.responses),
          subtract(getsPerBucket, before.getsPerBucket), connections - before.connections);
    }

    private static Map<String, Long> subtract(Map<String, Long> now, Map<String, Long> before) {
      Map<String, Long> delta = new TreeMap<>();
      now.forEach((k, v) -> {
        long d = v - before.getOrDefault(k, 0L);
        if (d != 0) {
          delta.put(k, d);
        }
      });
      return delta;
    }

    public long requests(String kind) {
      return requests.getOrDefault(kind, 0L);
    }

    public long totalRequests() {
      return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Requests of a kind the operator is not expected to send. */
    public long otherRequests() {
      return requests.entrySet().stream().filter(e -> e.getKey().startsWith(OTHER))
          .mapToLong(Map.Entry::getValue).sum();
    }

    /** Responses by status class over all kinds: "2xx" -> n, ..., "none" -> requests left unanswered. */
    public Map<String, Long> responsesByClass() {
      Map<String, Long> byClass = new TreeMap<>();
      responses.forEach((k, v) -> byClass.merge(k.substring(k.lastIndexOf(' ') + 1), v, Long::sum));
      return byClass;
    }

    public long responses(String kind, String statusClass) {
      return responses.getOrDefault(kind + " " + statusClass, 0L);
    }

    /** Responses that were not 2xx (3xx redirects, 4xx, 5xx, none). */
    public long responsesNot2xx() {
      return responsesByClass().entrySet().stream().filter(e -> !"2xx".equals(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }

    public long getsOf(String bucket) {
      return getsPerBucket.getOrDefault(bucket, 0L);
    }

    /** As reported in the benchmark's JSON. */
    public Map<String, Object> report() {
      Map<String, Object> r = new java.util.LinkedHashMap<>();
      r.put("requestsByKind", requests);
      r.put("responsesByStatusClass", responsesByClass());
      r.put("responsesByKind", responses);
      r.put("connectionsOpened", connections);
      return r;
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      connections.increment();
      pool.execute(() -> serve(client));
    }
  }

  /** One client connection: requests relayed here, responses on a second pooled thread. */
  private void serve(Socket client) {
    Socket server = new Socket();
    open.add(client);
    open.add(server);
    try {
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      server.connect(upstream, 5_000);
      BlockingQueue<Exchange> inFlight = new LinkedBlockingQueue<>();
      pool.execute(() -> relayResponses(server, client, inFlight));
      relayRequests(client, server, inFlight);
      // The client will send nothing more; let the server finish and close its side.
      server.shutdownOutput();
    } catch (IOException e) {
      closeBoth(client, server);
    }
  }

  private void relayRequests(Socket client, Socket server, BlockingQueue<Exchange> inFlight) throws IOException {
    InputStream in = new BufferedInputStream(client.getInputStream(), BUFFER);
    OutputStream out = new BufferedOutputStream(server.getOutputStream(), BUFFER);
    while (true) {
      Head head = readHead(in);
      if (head == null) {
        return;
      }
      String[] line = head.firstLine().split(" ", 3);
      String method = line[0];
      String target = line.length > 1 ? line[1] : "/";
      String kind = classify(method, target, head.headers());
      requests.computeIfAbsent(kind, k -> new LongAdder()).increment();
      if (GET_VERSIONING.equals(kind)) {
        getsPerBucket.computeIfAbsent(bucketOf(target), k -> new LongAdder()).increment();
      }
      inFlight.add(new Exchange(kind, "HEAD".equals(method)));
      out.write(head.raw());
      if (head.headers().containsKey("expect")) {
        out.flush(); // the client waits for 100 Continue before it sends the body
      }
      copyBody(in, out, head.headers(), false);
      out.flush();
    }
  }

  private void relayResponses(Socket server, Socket client, BlockingQueue<Exchange> inFlight) {
    try {
      InputStream in = new BufferedInputStream(server.getInputStream(), BUFFER);
      OutputStream out = new BufferedOutputStream(client.getOutputStream(), BUFFER);
      while (true) {
        Head head = readHead(in);
        if (head == null) {
          return;
        }
        String[] line = head.firstLine().split(" ", 3);
        int status = line.length > 1 ? Integer.parseInt(line[1]) : 0;
        out.write(head.raw());
        if (status >= 100 && status < 200) {
          out.flush(); // an interim response (100 Continue): the final one follows
          continue;
        }
        Exchange exchange = inFlight.poll(30, TimeUnit.SECONDS);
        String kind = exchange == null ? OTHER + " unmatched response" : exchange.kind();
        responses.computeIfAbsent(kind + " " + (status / 100) + "xx", k -> new LongAdder()).increment();
        boolean noBody = (exchange != null && exchange.head()) || status == 204 || status == 304;
        if (!noBody) {
          copyBody(in, out, head.headers(), true);
        }
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the connection ended: what is still in flight got no answer
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Exchange left;
      while ((left = inFlight.poll()) != null) {
        responses.computeIfAbsent(left.kind() + " none", k -> new LongAdder()).increment();
      }
      closeBoth(client, server);
    }
  }

  /** The request's kind; only the method, the query's parameter names and the presence of x-amz-mfa are looked at. */
  static String classify(String method, String target, Map<String, String> headers) {
    int q = target.indexOf('?');
    Set<String> params = new java.util.HashSet<>();
    if (q >= 0) {
      for (String param : target.substring(q + 1).split("&")) {
        int eq = param.indexOf('=');
        params.add(eq < 0 ? param : param.substring(0, eq));
      }
    }
    if ("GET".equals(method) && params.contains("versioning")) {
      return GET_VERSIONING;
    }
    if ("PUT".equals(method) && params.contains("versioning")) {
      return headers.containsKey("x-amz-mfa") ? PUT_VERSIONING_MFA : PUT_VERSIONING;
    }
    if ("GET".equals(method) && params.contains("lifecycle")) {
      return GET_LIFECYCLE;
    }
    if ("GET".equals(method) && bucketOf(target).isEmpty()) {
      return LIST_BUCKETS;
    }
    String subresource = params.stream().filter(p -> !p.isEmpty()).sorted().findFirst().orElse(null);
    return OTHER + " " + method + (subresource == null ? "" : " ?" + subresource);
  }

  /** The bucket of a path-style target: "/bench-00001?versioning" -> "bench-00001". */
  static String bucketOf(String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    if (path.startsWith("http://") || path.startsWith("https://")) {
      path = URI.create(path).getRawPath();
    }
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    int slash = trimmed.indexOf('/');
    return slash < 0 ? trimmed : trimmed.substring(0, slash);
  }

  /** The head up to and including the blank line, or null on a clean end of stream before it starts. */
  private static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream(1024);
    int last4 = 0;
    while (last4 != 0x0D0A0D0A) {
      int b = in.read();
      if (b < 0) {
        if (raw.size() == 0) {
          return null;
        }
        throw new EOFException("connection ended inside a message head");
      }
      raw.write(b);
      if (raw.size() > MAX_HEAD_BYTES) {
        throw new IOException("message head larger than " + MAX_HEAD_BYTES + " bytes");
      }
      last4 = (last4 << 8) | b;
    }
    byte[] bytes = raw.toByteArray();
    String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return new Head(bytes, lines[0], headers);
  }

  /**
   * Copies one message body: by Content-Length, chunked, or (a response with neither) up to the
   * end of the connection. A request with neither has no body.
   */
  private static void copyBody(InputStream in, OutputStream out, Map<String, String> headers, boolean response)
      throws IOException {
    String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
    if (encoding.contains("chunked")) {
      copyChunked(in, out);
    } else if (headers.containsKey("content-length")) {
      copyExactly(in, out, Long.parseLong(headers.get("content-length")));
    } else if (response) {
      in.transferTo(out);
      out.flush();
      throw new EOFException("a response delimited by the end of the connection");
    }
  }

  private static void copyChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = copyLine(in, out);
      int semicolon = sizeLine.indexOf(';');
      long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
      if (size == 0) {
        // trailers, then the blank line
        while (!copyLine(in, out).isEmpty()) {
          // copied
        }
        return;
      }
      copyExactly(in, out, size);
      copyLine(in, out);
    }
  }

  /** Copies one CRLF-terminated line and returns it without the line end. */
  private static String copyLine(InputStream in, OutputStream out) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection ended inside a chunked body");
      }
      out.write(b);
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) b);
    }
  }

  private static void copyExactly(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[BUFFER];
    long left = length;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("connection ended inside a body");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private void closeBoth(Socket a, Socket b) {
    for (Socket s : new Socket[] {a, b}) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
      open.remove(s);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // already closed
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // already gone
      }
    }
    pool.shutdownNow();
  }
}

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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
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
 * method and query to classify the request, and the response status. The proxy itself tests the
 * {@code x-amz-mfa} header for presence only and never keeps or prints its value; the value goes
 * only to the {@link MfaTap} that the test owning the proxy may register ({@link #tapMfa}).
 *
 * <p>Each request is also counted under the access key id that signed it (the SigV4 credential
 * scope's first field, from the {@code Authorization} header or a presigned {@code X-Amz-Credential};
 * {@value #ANONYMOUS} when unsigned), so a test can tell the operator's own key from an assumed-role
 * session key or a tenant's key at the same endpoint. An access key id is an identifier, not a
 * secret; the secret key never crosses the wire, and nothing else of the Authorization header is kept.
 *
 * <p>A small form-encoded POST without {@code Expect: 100-continue} (the STS Query protocol, which
 * RadosGW serves at its S3 endpoint) is read whole before it is forwarded, to take its Action and
 * Version; the bytes forwarded are the bytes read, and the body is not kept.
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
  /** POST /bucket?delete (multi-object delete) without x-amz-mfa. */
  public static final String DELETE_OBJECTS = "DeleteObjects";
  /** POST /bucket?delete with x-amz-mfa: what an MFA-Delete bucket requires to delete versions. */
  public static final String DELETE_OBJECTS_MFA = "DeleteObjects with x-amz-mfa";
  /** GET /bucket/key (with at most versionId, partNumber, response-* and presigning parameters). */
  public static final String GET_OBJECT = "GetObject";
  /** Prefix of an STS Query request's kind: "STS AssumeRole", "STS GetCallerIdentity". */
  public static final String STS = "STS ";
  public static final String STS_ASSUME_ROLE = STS + "AssumeRole";
  public static final String STS_GET_CALLER_IDENTITY = STS + "GetCallerIdentity";
  /** Prefix of every request kind without a name of its own ("other HEAD", "other PUT"). */
  public static final String OTHER = "other";
  /** The signing key of a request that carries no SigV4 (or SigV2) credential. */
  public static final String ANONYMOUS = "anonymous";
  /**
   * The kinds the operator's S3 traffic consists of; {@link Counts#otherRequests()} counts every
   * other kind. The named kinds added for tests that act as users (GetObject, DeleteObjects, STS)
   * were "other ..." before they had names and still count there, so an operator that starts
   * sending them is still caught.
   */
  public static final Set<String> OPERATOR_KINDS =
      Set.of(GET_VERSIONING, PUT_VERSIONING, PUT_VERSIONING_MFA, GET_LIFECYCLE, LIST_BUCKETS);

  private static final int MAX_HEAD_BYTES = 64 * 1024;
  /** The largest form body read before forwarding to find its Action (STS bodies are well under 4 KiB). */
  private static final int MAX_PEEK_BYTES = 64 * 1024;
  private static final String STS_VERSION = "2011-06-15";
  private static final int BUFFER = 16 * 1024;

  /** One request on its way: what to count its response under, and whether the response has a body. */
  private record Exchange(String kind, boolean head) {
  }

  /**
   * Sees each request carrying {@code x-amz-mfa}, on the proxy's threads, just before it is forwarded:
   * its signing key ({@link #ANONYMOUS} if unsigned), the header's value ("serial code"), the time and
   * its kind. A tap that throws ends that client connection unforwarded, so the failure shows there.
   */
  @FunctionalInterface
  public interface MfaTap {
    void onMfa(String accessKeyId, String mfaHeaderValue, Instant receivedAt, String requestKind);
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
  private final Map<String, Map<String, LongAdder>> requestsByKey = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> checksumHeaders = new ConcurrentHashMap<>();
  private final LongAdder connections = new LongAdder();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile MfaTap mfaTap;
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

  /** Registers the one tap for later requests carrying x-amz-mfa ({@code null} removes it). */
  public void tapMfa(MfaTap tap) {
    this.mfaTap = tap;
  }

  /**
   * The checksum headers requests carried, by "kind header" ("DeleteObjects with x-amz-mfa
   * x-amz-checksum-crc32"): the names of x-amz-checksum-* and Content-MD5 (their values are not
   * kept), and the values of x-amz-sdk-checksum-algorithm and x-amz-trailer, which name an
   * algorithm or a header. Counted since the proxy started; subtract two readings for a wave.
   */
  public Map<String, Long> checksumHeaders() {
    return copy(checksumHeaders);
  }

  /** Everything counted so far. */
  public Counts snapshot() {
    Map<String, Map<String, Long>> byKey = new TreeMap<>();
    requestsByKey.forEach((key, kinds) -> byKey.put(key, copy(kinds)));
    return new Counts(copy(requests), copy(responses), copy(getsPerBucket), connections.sum(), immutable(byKey));
  }

  private static Map<String, Map<String, Long>> immutable(Map<String, Map<String, Long>> byKey) {
    Map<String, Map<String, Long>> copy = new TreeMap<>();
    byKey.forEach((key, kinds) -> copy.put(key, Collections.unmodifiableMap(kinds)));
    return Collections.unmodifiableMap(copy);
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
   * @param byKey requests by signing access key id ({@link #ANONYMOUS} for unsigned ones), then by kind
   */
  public record Counts(Map<String, Long> requests, Map<String, Long> responses, Map<String, Long> getsPerBucket,
      long connections, Map<String, Map<String, Long>> byKey) {

    public Counts minus(Counts before) {
      Map<String, Map<String, Long>> byKeyDelta = new TreeMap<>();
      byKey.forEach((key, kinds) -> {
        Map<String, Long> delta = subtract(kinds, before.byKey.getOrDefault(key, Map.of()));
        if (!delta.isEmpty()) {
          byKeyDelta.put(key, delta);
        }
      });
      return new Counts(subtract(requests, before.requests), subtract(responses, before.responses),
          subtract(getsPerBucket, before.getsPerBucket), connections - before.connections, immutable(byKeyDelta));
    }

    /** Requests signed by this access key id ({@link #ANONYMOUS} for unsigned ones), by kind; empty if none. */
    public Map<String, Long> requestsSignedBy(String accessKeyId) {
      return byKey.getOrDefault(accessKeyId, Map.of());
    }

    /** Requests of this kind signed by this access key id. */
    public long requests(String accessKeyId, String kind) {
      return requestsSignedBy(accessKeyId).getOrDefault(kind, 0L);
    }

    /** The access key ids that signed at least one request (and {@link #ANONYMOUS} if any was unsigned). */
    public Set<String> signingKeys() {
      return byKey.keySet();
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

    /** Requests of a kind the operator is not expected to send: any kind outside {@link #OPERATOR_KINDS}. */
    public long otherRequests() {
      return requests.entrySet().stream().filter(e -> !OPERATOR_KINDS.contains(e.getKey()))
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
      closeAll(client, server);
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
      byte[] form = peekableForm(method, head.headers()) ? readBody(in, head.headers()) : null;
      String kind = classify(method, target, head.headers(), form);
      String key = signingKey(target, head.headers());
      requests.computeIfAbsent(kind, k -> new LongAdder()).increment();
      requestsByKey.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).computeIfAbsent(kind, k -> new LongAdder())
          .increment();
      countChecksumHeaders(kind, head.headers());
      tap(key, head.headers().get("x-amz-mfa"), kind); // the test's tap, if any, before forwarding
      if (GET_VERSIONING.equals(kind)) {
        getsPerBucket.computeIfAbsent(bucketOf(target), k -> new LongAdder()).increment();
      }
      inFlight.add(new Exchange(kind, "HEAD".equals(method)));
      out.write(head.raw());
      if (form != null) {
        out.write(form);
      } else {
        if (head.headers().containsKey("expect")) {
          out.flush(); // the client waits for 100 Continue before it sends the body
        }
        copyBody(in, out, head.headers(), false);
      }
      out.flush();
    }
  }

  private void countChecksumHeaders(String kind, Map<String, String> headers) {
    headers.forEach((name, value) -> {
      String seen = null;
      if (name.startsWith("x-amz-checksum-") || "content-md5".equals(name)) {
        seen = name;
      } else if ("x-amz-sdk-checksum-algorithm".equals(name) || "x-amz-trailer".equals(name)) {
        // An algorithm's or a header's name; anything else a client sent is not kept.
        seen = name + ": " + (value.matches("[A-Za-z0-9-]{1,40}") ? value : "(other)");
      }
      if (seen != null) {
        checksumHeaders.computeIfAbsent(kind + " " + seen, k -> new LongAdder()).increment();
      }
    });
  }

  private void tap(String key, String mfa, String kind) throws IOException {
    MfaTap tap = mfaTap;
    if (tap != null && mfa != null) {
      try {
        tap.onMfa(key, mfa, Instant.now(), kind);
      } catch (RuntimeException | AssertionError e) {
        throw new IOException("the MFA tap failed", e); // serve() closes both sides, the request unforwarded
      }
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
      closeAll(client, server);
    }
  }

  /**
   * Whether to read a request's body before forwarding it, to find an STS Action: a POST with a
   * form-encoded body of known, small length, whose client does not wait for 100 Continue first.
   */
  private static boolean peekableForm(String method, Map<String, String> headers) {
    if (!"POST".equals(method) || headers.containsKey("expect") || headers.containsKey("transfer-encoding")) {
      return false;
    }
    String type = headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
    String length = headers.get("content-length");
    if (!type.startsWith("application/x-www-form-urlencoded") || length == null) {
      return false;
    }
    try {
      long n = Long.parseLong(length.trim());
      return n >= 0 && n <= MAX_PEEK_BYTES;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
    int length = Integer.parseInt(headers.get("content-length").trim());
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("connection ended inside a body");
    }
    return body;
  }

  /** The request's kind; only the method, the query's parameter names and the presence of x-amz-mfa are looked at. */
  static String classify(String method, String target, Map<String, String> headers) {
    return classify(method, target, headers, null);
  }

  /**
   * The request's kind. Looked at: the method, the query's parameter names, the presence of
   * x-amz-mfa, whether the path names a key, and of a form body (or query) only Action and Version.
   */
  static String classify(String method, String target, Map<String, String> headers, byte[] form) {
    int q = target.indexOf('?');
    Set<String> params = new java.util.HashSet<>();
    if (q >= 0) {
      for (String param : target.substring(q + 1).split("&")) {
        int eq = param.indexOf('=');
        params.add(eq < 0 ? param : param.substring(0, eq));
      }
    }
    String sts = stsAction(q < 0 ? null : target.substring(q + 1), form);
    if (sts != null) {
      return STS + sts;
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
    if ("POST".equals(method) && params.contains("delete")) {
      return headers.containsKey("x-amz-mfa") ? DELETE_OBJECTS_MFA : DELETE_OBJECTS;
    }
    if ("GET".equals(method) && hasKey(target) && params.stream().allMatch(S3CountingProxy::objectReadParam)) {
      return GET_OBJECT;
    }
    String subresource = params.stream().filter(p -> !p.isEmpty()).sorted().findFirst().orElse(null);
    return OTHER + " " + method + (subresource == null ? "" : " ?" + subresource);
  }

  /**
   * The Action of an STS Query request (form body, or query for a GET/presigned one) with
   * Version=2011-06-15, or null. IAM's Query actions (Version=2010-05-08) at the same endpoint are
   * not STS and stay "other".
   */
  private static String stsAction(String query, byte[] form) {
    Map<String, String> fields = new HashMap<>();
    if (query != null) {
      formFields(query, fields);
    }
    if (form != null) {
      formFields(new String(form, StandardCharsets.UTF_8), fields);
    }
    String action = fields.get("Action");
    if (action == null || !STS_VERSION.equals(fields.get("Version"))) {
      return null;
    }
    // An arbitrary client could send anything here; keep kinds to action-shaped names.
    return action.matches("[A-Za-z]{1,64}") ? action : "unknown action";
  }

  /** Only the Action and Version fields are decoded and kept; every other field is skipped unread. */
  private static void formFields(String encoded, Map<String, String> into) {
    for (String pair : encoded.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = pair.substring(0, eq);
      if ("Action".equals(name) || "Version".equals(name)) {
        into.put(name, decode(pair.substring(eq + 1)));
      }
    }
  }

  /** A form/query value decoded; a malformed escape is left as sent rather than ending the relay. */
  private static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return encoded;
    }
  }

  /** Query parameters a plain object read may carry: a version, a part, response overrides, a presigned signature. */
  private static boolean objectReadParam(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.isEmpty() || n.equals("x-id") || n.equals("versionid") || n.equals("partnumber") || n.startsWith("response-")
        || n.startsWith("x-amz-") || n.equals("awsaccesskeyid") || n.equals("signature") || n.equals("expires");
  }

  /** A request target's path without the query, the scheme and host, or the leading slash. */
  private static String pathOf(String target) {
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    if (path.startsWith("http://") || path.startsWith("https://")) {
      path = URI.create(path).getRawPath();
    }
    return path.startsWith("/") ? path.substring(1) : path;
  }

  /** Whether a path-style target names an object: "/bucket/key" yes, "/bucket" and "/bucket/" no. */
  static boolean hasKey(String target) {
    String trimmed = pathOf(target);
    int slash = trimmed.indexOf('/');
    return slash > 0 && slash < trimmed.length() - 1;
  }

  /**
   * The access key id that signed a request: SigV4's {@code Credential=AKID/...} in Authorization,
   * SigV2's {@code AWS AKID:signature}, or a presigned URL's {@code X-Amz-Credential} (SigV4) or
   * {@code AWSAccessKeyId} (SigV2); {@link #ANONYMOUS} without any. Nothing else is read from them.
   */
  static String signingKey(String target, Map<String, String> headers) {
    String authorization = headers.get("authorization");
    if (authorization != null) {
      int at = authorization.indexOf("Credential=");
      if (at >= 0) {
        int start = at + "Credential=".length();
        int end = authorization.indexOf('/', start);
        if (end > start) {
          return authorization.substring(start, end).trim();
        }
      } else if (authorization.startsWith("AWS ") && authorization.indexOf(':') > 4) {
        return authorization.substring(4, authorization.indexOf(':')).trim();
      }
    }
    int q = target.indexOf('?');
    if (q >= 0) {
      for (String param : target.substring(q + 1).split("&")) {
        int eq = param.indexOf('=');
        String name = eq < 0 ? param : param.substring(0, eq);
        if (eq > 0 && ("X-Amz-Credential".equalsIgnoreCase(name) || "AWSAccessKeyId".equals(name))) {
          String value = decode(param.substring(eq + 1));
          int slash = value.indexOf('/');
          String key = slash < 0 ? value : value.substring(0, slash);
          if (!key.isEmpty()) {
            return key;
          }
        }
      }
    }
    return ANONYMOUS;
  }

  /** The bucket of a path-style target: "/bench-00001?versioning" -> "bench-00001". */
  static String bucketOf(String target) {
    String trimmed = pathOf(target);
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

  private void closeAll(Socket... sockets) {
    for (Socket s : sockets) {
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
    closeAll(open.toArray(new Socket[0]));
    pool.shutdownNow();
  }
}

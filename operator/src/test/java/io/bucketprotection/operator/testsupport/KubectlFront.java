package io.bucketprotection.operator.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The CRUD mock API server as a real client such as kubectl needs to see it, in front of a
 * MockKubernetes: it serves API discovery ({@link ApiDiscovery}), turns kubectl's watches (an HTTP
 * response that streams one JSON event after another) into the WebSocket watches the mock serves
 * (it answers an HTTP watch with 400), and passes every other request on unchanged. Nothing here
 * decides anything the mock would answer itself. Two things an API server does that the mock does
 * not, for helm: it reports its version (/version; helm checks a chart's kubeVersion against it),
 * and a CustomResourceDefinition it created is soon Established (helm install waits for that).
 */
public final class KubectlFront implements AutoCloseable {

  private static final Pattern WATCH = Pattern.compile("(^|&)watch=(true|1)(&|$)");
  private static final String JSON = "application/json";
  /**
   * An OpenAPI v2 document with no schemas, in the protobuf kubectl asks for (gnostic's
   * openapi_v2.Document: swagger "2.0", info {title "Kubernetes", version "v1.32.0"}).
   */
  private static final byte[] OPENAPI_V2 = openApiV2();
  /** What /version says: the Kubernetes release the discovery documents describe. */
  private static final byte[] VERSION = """
      {"major": "1", "minor": "32", "gitVersion": "v1.32.0", "platform": "linux/amd64"}
      """.getBytes(StandardCharsets.UTF_8);
  private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  /** Events a watch has not written yet; the end of the mock's stream is this sentinel. */
  private static final String END = "";

  private final URI mock;
  private final MockKubernetes kubernetes;
  private final ApiDiscovery discovery;
  private final HttpServer server;
  private final ExecutorService threads;
  private final HttpClient http;
  private final Set<WebSocket> watches = ConcurrentHashMap.newKeySet();
  private final AtomicInteger watchesStarted = new AtomicInteger();
  private volatile boolean closed;

  public KubectlFront(MockKubernetes kubernetes) throws IOException {
    this.mock = URI.create(kubernetes.url());
    this.kubernetes = kubernetes;
    this.discovery = ApiDiscovery.forOperatorCrds();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "kubectl-front");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().executor(threads).connectTimeout(Duration.ofSeconds(5)).build();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  private static byte[] openApiV2() {
    java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
    protoString(info, 1, "Kubernetes");
    protoString(info, 2, "v1.32.0");
    java.io.ByteArrayOutputStream document = new java.io.ByteArrayOutputStream();
    protoString(document, 1, "2.0");
    document.write(2 << 3 | 2);
    document.write(info.size());
    document.writeBytes(info.toByteArray());
    return document.toByteArray();
  }

  /** A length-delimited protobuf field shorter than 128 bytes. */
  private static void protoString(java.io.ByteArrayOutputStream out, int field, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(field << 3 | 2);
    out.write(bytes.length);
    out.writeBytes(bytes);
  }

  /** The address to give kubectl. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** How many watches clients have opened so far (a waiting kubectl has one open). */
  public int watchesStarted() {
    return watchesStarted.get();
  }

  /** A kubeconfig whose one context is this server, with {@code namespace} as its default. */
  public Path writeKubeconfig(Path file, String namespace) throws IOException {
    return Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: mock",
        "  cluster:",
        "    server: " + url(),
        "users:",
        "- name: mock",
        "  user: {}",
        "contexts:",
        "- name: mock",
        "  context: {cluster: mock, user: mock, namespace: " + namespace + "}",
        "current-context: mock",
        ""));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      boolean get = "GET".equals(exchange.getRequestMethod());
      var document = get ? discovery.document(path) : java.util.Optional.<String>empty();
      if (document.isPresent()) {
        respond(exchange, 200, JSON, document.get().getBytes(StandardCharsets.UTF_8));
      } else if (get && path.equals("/openapi/v2")) {
        // An OpenAPI document with no schemas: kubectl apply validates against it (finding nothing
        // to check), as against a server whose kinds publish no schema; it refuses to apply without one.
        respond(exchange, 200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", OPENAPI_V2);
      } else if (get && path.equals("/version")) {
        respond(exchange, 200, JSON, VERSION);
      } else if (get && path.startsWith("/openapi/")) {
        // Not served here; kubectl carries on without them (as against a server that hides them).
        respond(exchange, 404, JSON, new byte[0]);
      } else if (get && query != null && WATCH.matcher(query).find()) {
        streamWatch(exchange, path + "?" + query);
      } else {
        forward(exchange, query == null ? path : path + "?" + query);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void forward(HttpExchange exchange, String pathAndQuery) throws IOException, InterruptedException {
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    byte[] body = exchange.getRequestBody().readAllBytes();
    if (contentType != null && contentType.contains("protobuf")) {
      // The mock reads JSON and YAML only (a protobuf body leaves it without an answer). helm's typed
      // client writes its release record, a Secret, in protobuf: pass that on as JSON; refuse the rest.
      if (!pathAndQuery.matches("/api/v1/namespaces/[^/]+/secrets(/[^/?]+)?([?].*)?")) {
        respond(exchange, 415, "text/plain", ("the mock takes JSON, not " + contentType + ": "
            + exchange.getRequestMethod() + " " + pathAndQuery).getBytes(StandardCharsets.UTF_8));
        return;
      }
      try {
        body = io.fabric8.kubernetes.client.utils.Serialization.asJson(ProtobufSecret.read(body))
            .getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        respond(exchange, 400, "text/plain", ("unreadable protobuf Secret: " + e).getBytes(StandardCharsets.UTF_8));
        return;
      }
      contentType = JSON;
    }
    body = foldStringData(exchange.getRequestMethod(), body);
    HttpRequest.Builder request = HttpRequest.newBuilder(mock.resolve(pathAndQuery))
        .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    if ("POST".equals(exchange.getRequestMethod()) && pathAndQuery.startsWith(CRDS) && response.statusCode() == 201) {
      establish(response.body());
    }
    // The mock names no content type; everything it answers is JSON.
    respond(exchange, response.statusCode(), response.headers().firstValue("Content-Type").orElse(JSON),
        response.body());
  }

  /** What the API server's CRD controller does once it serves a new CRD: Established and NamesAccepted. */
  private void establish(byte[] created) throws IOException {
    var crd = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(new String(created, StandardCharsets.UTF_8),
        io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
    kubernetes.client().apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
        .editStatus(c -> {
          var status = new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionStatusBuilder()
              .withAcceptedNames(c.getSpec().getNames())
              .addNewCondition().withType("NamesAccepted").withStatus("True").withReason("NoConflicts").endCondition()
              .addNewCondition().withType("Established").withStatus("True").withReason("InitialNamesAccepted")
              .endCondition().build();
          c.setStatus(status);
          return c;
        });
  }

  /**
   * A Secret created or replaced with stringData is stored with it folded into data, as a real API
   * server does (the mock keeps stringData as sent, and the operator reads data).
   */
  private static byte[] foldStringData(String method, byte[] body) throws IOException {
    if (body.length == 0 || !("POST".equals(method) || "PUT".equals(method))) {
      return body;
    }
    com.fasterxml.jackson.databind.JsonNode node;
    try {
      node = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().readTree(body);
    } catch (IOException e) {
      return body; // not JSON: the mock answers it as it does
    }
    if (!(node instanceof com.fasterxml.jackson.databind.node.ObjectNode secret) || !"Secret".equals(secret.path("kind").asText())
        || !secret.path("stringData").isObject()) {
      return body;
    }
    var data = secret.with("data");
    secret.get("stringData").fields().forEachRemaining(field -> data.put(field.getKey(),
        java.util.Base64.getEncoder().encodeToString(field.getValue().asText().getBytes(StandardCharsets.UTF_8))));
    secret.remove("stringData");
    return io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().writeValueAsBytes(secret);
  }

  private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /**
   * One watch: the mock's WebSocket frames (each a JSON watch event) written as a stream of JSON
   * objects, as a real API server writes them, until kubectl goes away or the mock ends the watch.
   */
  private void streamWatch(HttpExchange exchange, String pathAndQuery) throws IOException, InterruptedException {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    URI target = URI.create("ws://" + mock.getAuthority() + pathAndQuery);
    WebSocket socket;
    try {
      socket = http.newWebSocketBuilder().buildAsync(target, new WebSocket.Listener() {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
          partial.append(data);
          if (last) {
            events.add(partial.toString());
            partial.setLength(0);
          }
          webSocket.request(1);
          return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
          events.add(END);
          return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
          events.add(END);
        }
      }).get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      respond(exchange, 503, "text/plain", ("watch failed: " + e).getBytes(StandardCharsets.UTF_8));
      return;
    }
    watches.add(socket);
    watchesStarted.incrementAndGet();
    try {
      exchange.getResponseHeaders().set("Content-Type", JSON);
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.flush();
      while (!closed) {
        String event = events.poll(200, TimeUnit.MILLISECONDS);
        if (END.equals(event)) {
          break;
        }
        if (event != null) {
          out.write((event + "\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    } catch (IOException clientGone) {
      // kubectl has what it waited for, or gave up: nothing left to stream.
    } finally {
      watches.remove(socket);
      socket.abort();
    }
  }

  @Override
  public void close() {
    closed = true;
    watches.forEach(WebSocket::abort);
    server.stop(0);
    threads.shutdownNow();
  }
}

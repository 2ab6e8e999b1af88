package io.bucketprotection.operator.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bucketprotection.operator.http.HttpResponses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server speaking the documented Secrets Manager JSON protocol for GetSecretValue
 * (POST /, X-Amz-Target: secretsmanager.GetSecretValue, application/x-amz-json-1.1), with its
 * error shapes ({"__type": ..., "message": ...}, HTTP 400). Records each request's target,
 * Authorization header and body, so tests can check what the real SDK sent.
 */
public final class FakeSecretsManagerServer implements AutoCloseable {

  /** One request as received. */
  public record Request(String target, String authorization, String contentType, JsonNode body) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Map<String, String> errors = new ConcurrentHashMap<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(0);

  public FakeSecretsManagerServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public void putSecret(String secretId, String secretString) {
    secrets.put(secretId, secretString);
    errors.remove(secretId);
  }

  /** Answer requests for this secret with an error: ResourceNotFoundException, AccessDeniedException, DecryptionFailure... */
  public void failWith(String secretId, String errorType) {
    errors.put(secretId, errorType);
  }

  /** Keep every answer back until {@link #release()}: a slow Secrets Manager, as at a first start. */
  public void hold() {
    held = new java.util.concurrent.CountDownLatch(1);
  }

  public void release() {
    held.countDown();
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public long requestsFor(String secretId) {
    return requests.stream().filter(r -> secretId.equals(r.body().path("SecretId").asText())).count();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    requests.add(new Request(target, exchange.getRequestHeaders().getFirst("Authorization"),
        exchange.getRequestHeaders().getFirst("Content-Type"), body));
    try {
      held.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!"secretsmanager.GetSecretValue".equals(target)) {
      respond(exchange, 400, Map.of("__type", "UnknownOperationException", "message", "only GetSecretValue"));
      return;
    }
    String id = body.path("SecretId").asText();
    String error = errors.get(id);
    if (error != null) {
      respond(exchange, 400, Map.of("__type", error, "message", error + " for " + id));
      return;
    }
    String value = secrets.get(id);
    if (value == null) {
      respond(exchange, 400, Map.of("__type", "ResourceNotFoundException",
          "message", "Secrets Manager can't find the specified secret."));
      return;
    }
    respond(exchange, 200, Map.of("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + id,
        "Name", id, "SecretString", value, "VersionId", "v1", "VersionStages", List.of("AWSCURRENT"),
        "CreatedDate", 1.7E9));
  }

  private static void respond(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
    HttpResponses.respond(exchange, status, JSON.writeValueAsString(body), "application/x-amz-json-1.1");
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** The region in a SigV4 Authorization header's credential scope. */
  public static String signedRegion(String authorization) {
    // AWS4-HMAC-SHA256 Credential=AKID/20261128/us-east-1/secretsmanager/aws4_request, ...
    String scope = authorization.substring(authorization.indexOf("Credential=") + "Credential=".length());
    return scope.split("/")[2];
  }

  /** The service in a SigV4 Authorization header's credential scope. */
  public static String signedService(String authorization) {
    String scope = authorization.substring(authorization.indexOf("Credential=") + "Credential=".length());
    return scope.split("/")[3];
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}

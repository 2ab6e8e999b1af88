package io.bucketprotection.operator.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bucketprotection.operator.http.HttpResponses;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local endpoint that behaves like S3 for a bucket in another region: a request signed for any
 * region but {@code bucketRegion} gets 301 PermanentRedirect with x-amz-bucket-region; a request
 * signed for the right region gets a GetBucketVersioning answer. Records the signed region and
 * the x-amz-expected-bucket-owner header of every request.
 */
public final class RedirectingS3Server implements AutoCloseable {

  /** One request as received. */
  public record Request(String method, String path, String signedRegion, String expectedBucketOwner) {
  }

  private final HttpServer server;
  private final String bucketRegion;
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  public RedirectingS3Server(String bucketRegion) throws IOException {
    this.bucketRegion = bucketRegion;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String region = authorization == null ? null : FakeSecretsManagerServer.signedRegion(authorization);
    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(), region,
        exchange.getRequestHeaders().getFirst("x-amz-expected-bucket-owner")));
    exchange.getResponseHeaders().add("x-amz-request-id", "fake");
    String body;
    int status;
    if (!bucketRegion.equals(region)) {
      exchange.getResponseHeaders().add("x-amz-bucket-region", bucketRegion);
      status = 301;
      body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>PermanentRedirect</Code><Message>The bucket"
          + " you are attempting to access must be addressed using the specified endpoint.</Message></Error>";
    } else {
      status = 200;
      body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><VersioningConfiguration"
          + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Status>Enabled</Status>"
          + "<MfaDelete>Disabled</MfaDelete></VersioningConfiguration>";
    }
    HttpResponses.respond(exchange, status, body, "application/xml");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

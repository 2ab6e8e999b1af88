package io.bucketprotection.operator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request must arrive within the time limit: a client that sends half a request and waits
 * loses its connection, and with it the thread it held, so more slow clients than there are
 * threads delay an answer by about one limit instead of forever.
 */
class OperatorHttpServerTest {

  private static final Duration LIMIT = Duration.ofSeconds(1);

  @Test
  void aClientThatStopsHalfwayIsCutOffAtTheTimeLimit() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (OperatorHttpServer server = OperatorHttpServer.metrics(0, registry, LIMIT);
         Socket slow = halfARequest(server.port())) {
      long start = System.nanoTime();
      // Reading fails with a timeout (and the test with it) if the server keeps the connection.
      slow.setSoTimeout(15_000);
      int read;
      try {
        read = slow.getInputStream().read();
      } catch (SocketException reset) {
        read = -1;
      }
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      assertEquals(-1, read, "the server answered half a request");
      assertTrue(waited.compareTo(LIMIT.minusMillis(100)) >= 0, "cut off after " + waited + ", before the limit");
    }
  }

  @Test
  void moreSlowClientsThanThreadsDelayAScrapeByAboutOneLimit() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<Socket> slow = new ArrayList<>();
    try (OperatorHttpServer server = OperatorHttpServer.metrics(0, registry, LIMIT)) {
      for (int i = 0; i < OperatorHttpServer.THREADS + 20; i++) {
        slow.add(halfARequest(server.port()));
      }
      Thread.sleep(300);
      // Every thread is held and the scrape waits in the queue; without a limit it would wait for good.
      HttpResponse<String> scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/metrics")).timeout(Duration.ofSeconds(8)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, scrape.statusCode());
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  private static Socket halfARequest(int port) throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
    OutputStream out = socket.getOutputStream();
    out.write("GET /metrics HTTP/1.1\r\nHost: slow\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return socket;
  }
}

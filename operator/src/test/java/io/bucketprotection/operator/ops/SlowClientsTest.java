package io.bucketprotection.operator.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.http.OperatorHttpServer;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.bucketprotection.operator.testsupport.OperatorHarness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The probes answer while anyone who can reach the port holds connections open: 100 clients that
 * send half a request and wait must not keep the kubelet's /healthz from an answer.
 */
class SlowClientsTest {

  @Test
  void aHundredSlowConnectionsDoNotFailTheLivenessProbe() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<Socket> slow = new ArrayList<>();
    try (MockKubernetes kubernetes = new MockKubernetes();
         OperatorHarness operator = new OperatorHarness(kubernetes.client(), new FakeBucketStore(Clock.systemUTC()),
             OperatorConfig.fromEnvironment(Map.of()), Clock.systemUTC(), new OperatorMetrics(registry));
         OperatorHttpServer server = OperatorHttpServer.probes(0, operator.operator())) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest healthz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
          .timeout(Duration.ofSeconds(3)).build();
      await().atMost(Duration.ofSeconds(10)).until(() ->
          http.send(healthz, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
      for (int i = 0; i < 100; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        OutputStream out = socket.getOutputStream();
        out.write("GET /healthz HTTP/1.1\r\nHost: slow\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        slow.add(socket);
      }
      Thread.sleep(500);
      // The probe's own timeout is a few seconds: it must be answered within it.
      assertEquals(200, http.send(healthz, HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }
}

package io.bucketprotection.operator.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bucketprotection.operator.Main;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The operator as people start it (Main, in a JVM of its own, against the mock API server) serves
 * /metrics on BPO_METRICS_PORT and the probes on BPO_HTTP_PORT, each only there, so the
 * NetworkPolicy can let only Prometheus reach the metrics; slow clients on either port leave both
 * answering; a bad BPO_METRICS_PORT stops the start with a message naming the setting.
 */
class MetricsPortTest {

  private static MockKubernetes kubernetes;
  private static Process operator;
  private static Path log;
  private static int probePort;
  private static int metricsPort;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void startTheOperator() throws Exception {
    kubernetes = new MockKubernetes();
    probePort = freePort();
    do {
      metricsPort = freePort();
    } while (metricsPort == probePort);
    Map<String, String> env = new HashMap<>();
    env.put("KUBERNETES_MASTER", kubernetes.url());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("BPO_WATCH_NAMESPACES", "metrics-port");
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_ACCESS_KEY_ID", "AKIDMETRICSPORT00001");
    env.put("AWS_SECRET_ACCESS_KEY", "metrics-port-secret-0123456789");
    env.put("BPO_HTTP_PORT", String.valueOf(probePort));
    env.put("BPO_METRICS_PORT", String.valueOf(metricsPort));
    log = Files.createDirectories(Path.of("target", "metrics-port")).resolve("operator.log");
    operator = start(env, log);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
      assertTrue(operator.isAlive(), () -> "the operator ended: " + read(log));
      return status(probePort, "/healthz") == 200;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (operator != null) {
      operator.destroy();
      operator.waitFor(10, TimeUnit.SECONDS);
    }
    if (kubernetes != null) {
      kubernetes.close();
    }
  }

  @Test
  void metricsAnswerOnTheirOwnPortAndNotOnTheProbePort() throws Exception {
    HttpResponse<String> scrape = get(metricsPort, "/metrics");
    assertEquals(200, scrape.statusCode(), scrape.body());
    assertTrue(scrape.body().contains("bpo_mfa_devices"), "our series");
    assertTrue(scrape.body().contains("jvm_memory_used_bytes"), "Main's JVM series");
    assertEquals(404, status(probePort, "/metrics"), "/metrics on the probe port");
    assertEquals(200, status(probePort, "/readyz"));
    assertEquals(404, status(metricsPort, "/healthz"), "/healthz on the metrics port");
    assertEquals(404, status(metricsPort, "/readyz"), "/readyz on the metrics port");
  }

  /** A hundred clients that send half a request and wait, on each port: the kubelet and Prometheus still get answers. */
  @Test
  void aHundredSlowClientsOnEachPortLeaveBothAnswering() throws Exception {
    List<Socket> slow = new ArrayList<>();
    try {
      for (int port : new int[] {probePort, metricsPort}) {
        for (int i = 0; i < 100; i++) {
          Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
          OutputStream out = socket.getOutputStream();
          out.write("GET /metrics HTTP/1.1\r\nHost: slow\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          slow.add(socket);
        }
      }
      Thread.sleep(500);
      // Within a probe's and a scrape's own timeouts.
      assertEquals(200, HTTP.send(request(probePort, "/healthz").timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(200, HTTP.send(request(metricsPort, "/metrics").timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
      "0,     8080, BPO_METRICS_PORT must be between 1 and 65535",
      "70000, 8080, BPO_METRICS_PORT must be between 1 and 65535",
      "8080,  8080, BPO_METRICS_PORT must differ from BPO_HTTP_PORT (8080)",
      "9090,  9090, BPO_METRICS_PORT must differ from BPO_HTTP_PORT (9090)",
      "nine,  8080, BPO_METRICS_PORT must be a whole number"})
  void aBadMetricsPortIsRefused(String metrics, String probes, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        OperatorConfig.fromEnvironment(Map.of("BPO_METRICS_PORT", metrics, "BPO_HTTP_PORT", probes)));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @Test
  void mainRefusesToStartWithTheMetricsOnTheProbePort() throws Exception {
    Path refused = Path.of("target", "metrics-port", "refused.log");
    String port = String.valueOf(freePort());
    Process process = start(Map.of("BPO_HTTP_PORT", port, "BPO_METRICS_PORT", port,
        "KUBERNETES_MASTER", "http://127.0.0.1:1", "KUBERNETES_AUTH_TRYKUBECONFIG", "false"), refused);
    try {
      assertTrue(process.waitFor(20, TimeUnit.SECONDS), () -> "still running: " + read(refused));
      String output = read(refused);
      assertEquals(2, process.exitValue(), output);
      assertTrue(output.contains("Invalid configuration: BPO_METRICS_PORT must differ from BPO_HTTP_PORT (" + port + ")"),
          output);
    } finally {
      process.destroyForcibly();
    }
  }

  private static Process start(Map<String, String> env, Path output) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Main.class.getName())
        .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }

  private static HttpRequest.Builder request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(request(port, path).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The HTTP status, or -1 when nothing listens. */
  private static int status(int port, String path) throws Exception {
    try {
      return get(port, path).statusCode();
    } catch (ConnectException e) {
      return -1;
    }
  }
}

package io.bucketprotection.operator.http;

import static io.bucketprotection.operator.http.HttpResponses.respond;

import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * /healthz, /readyz and /metrics on one port, with the JDK's HTTP server (as JOSDK's samples do).
 *
 * <ul>
 *   <li>/healthz (liveness): the operator has started and every event source (informer) is
 *       healthy; 503 "starting" while it starts.</li>
 *   <li>/readyz (readiness): the operator has started and its event sources are healthy. A
 *       standby replica (not the leader) is ready too: it is ready to take over, and the
 *       PodDisruptionBudget counts it.</li>
 *   <li>/metrics: Prometheus text format.</li>
 * </ul>
 */
public final class OperatorHttpServer implements AutoCloseable {

  /** Threads for requests: far above what probes and scrapes need, a bound on what slow clients can hold. */
  static final int THREADS = 128;

  private final HttpServer server;

  private OperatorHttpServer(HttpServer server) {
    this.server = server;
  }

  /** @param port 0 picks a free port (tests) */
  public static OperatorHttpServer start(int port, Operator operator, PrometheusMeterRegistry registry)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    RuntimeInfo runtime = operator.getRuntimeInfo();
    server.createContext("/healthz", exchange -> {
      if (!runtime.isStarted()) {
        // Informers still syncing: the startup probe gives this time; liveness starts after it.
        respond(exchange, 503, "starting\n", "text/plain");
      } else if (runtime.allEventSourcesAreHealthy()) {
        respond(exchange, 200, "ok\n", "text/plain");
      } else {
        respond(exchange, 503, "unhealthy event sources: " + runtime.unhealthyEventSources().keySet() + "\n",
            "text/plain");
      }
    });
    server.createContext("/readyz", exchange -> {
      boolean ready = runtime.isStarted() && runtime.allEventSourcesAreHealthy();
      respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready\n", "text/plain");
    });
    server.createContext("/metrics", exchange -> respond(exchange, 200, registry.scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
    // The JDK server reads each request on an executor thread: a client that sends half a request
    // holds one until it gives up. Enough threads that a hundred such clients leave the probes an
    // answer (idle ones end after 30 s); the queue never refuses, which would stop the dispatcher.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "http-endpoints");
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true);
    server.setExecutor(executor);
    server.start();
    return new OperatorHttpServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

package io.bucketprotection.operator.http;

import static io.bucketprotection.operator.http.HttpResponses.respond;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The operator's two HTTP servers, with the JDK's HTTP server (as JOSDK's samples do), each on a
 * port of its own so that a NetworkPolicy can open them to different callers:
 *
 * <ul>
 *   <li>{@link #probes}: /healthz and /readyz, for the kubelet, whose probes come from the node
 *       and cannot be told apart by namespace, so anyone in the cluster may reach this port.
 *     <ul>
 *       <li>/healthz (liveness): the operator has started and every event source (informer) is
 *           healthy; 503 "starting" while it starts.</li>
 *       <li>/readyz (readiness): the operator has started and its event sources are healthy. A
 *           standby replica (not the leader) is ready too: it is ready to take over, and the
 *           PodDisruptionBudget counts it.</li>
 *     </ul>
 *   </li>
 *   <li>{@link #metrics}: /metrics in the Prometheus text format, for Prometheus only.</li>
 * </ul>
 *
 * <p>Any other path answers 404, so /metrics is not on the probe port and the probes are not on
 * the metrics port.
 */
public final class OperatorHttpServer implements AutoCloseable {

  /** Threads for requests: far above what probes and scrapes need, a bound on what slow clients can hold. */
  static final int THREADS = 128;

  /** A request must be read and answered within this; probes and scrapes take milliseconds. */
  static final Duration REQUEST_TIME_LIMIT = Duration.ofSeconds(10);

  private final HttpServer server;
  private final TimeLimitedExecutor executor;

  private OperatorHttpServer(HttpServer server, TimeLimitedExecutor executor) {
    this.server = server;
    this.executor = executor;
  }

  /** /healthz and /readyz. @param port 0 picks a free port (tests) */
  public static OperatorHttpServer probes(int port, Operator operator) throws IOException {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    HttpHandler healthz = exchange -> {
      if (!runtime.isStarted()) {
        // Informers still syncing: the startup probe gives this time; liveness starts after it.
        respond(exchange, 503, "starting\n", "text/plain");
      } else if (runtime.allEventSourcesAreHealthy()) {
        respond(exchange, 200, "ok\n", "text/plain");
      } else {
        respond(exchange, 503, "unhealthy event sources: " + runtime.unhealthyEventSources().keySet() + "\n",
            "text/plain");
      }
    };
    HttpHandler readyz = exchange -> {
      boolean ready = runtime.isStarted() && runtime.allEventSourcesAreHealthy();
      respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready\n", "text/plain");
    };
    return serve(port, "http-probes", Map.of("/healthz", healthz, "/readyz", readyz), REQUEST_TIME_LIMIT);
  }

  /** /metrics. @param port 0 picks a free port (tests) */
  public static OperatorHttpServer metrics(int port, PrometheusMeterRegistry registry) throws IOException {
    return metrics(port, registry, REQUEST_TIME_LIMIT);
  }

  static OperatorHttpServer metrics(int port, PrometheusMeterRegistry registry, Duration requestTimeLimit)
      throws IOException {
    return serve(port, "http-metrics", Map.of("/metrics", exchange -> respond(exchange, 200, registry.scrape(),
        "text/plain; version=0.0.4; charset=utf-8")), requestTimeLimit);
  }

  private static OperatorHttpServer serve(int port, String name, Map<String, HttpHandler> handlers,
      Duration requestTimeLimit) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    // A context matches by prefix: only the exact path answers, anything else is 404.
    handlers.forEach((path, handler) -> server.createContext(path, exchange -> {
      if (path.equals(exchange.getRequestURI().getPath())) {
        handler.handle(exchange);
      } else {
        respond(exchange, 404, "not found\n", "text/plain");
      }
    }));
    TimeLimitedExecutor executor = new TimeLimitedExecutor(name, requestTimeLimit);
    server.setExecutor(executor);
    server.start();
    return new OperatorHttpServer(server, executor);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.close();
  }

  /**
   * Runs the server's exchanges on at most {@link #THREADS} threads and interrupts any that has run
   * longer than the time limit.
   *
   * <p>The JDK server reads each request on an executor thread, from a channel in blocking mode: a
   * client that sends half a request holds a thread until it gives up. Interrupting a thread blocked
   * on a channel closes that channel (an {@code InterruptibleChannel}'s contract), which ends the
   * exchange and frees the thread. The JDK's own limit, {@code sun.net.httpserver.maxReqTime}, is a
   * system property read once per JVM, so it would bind every HTTP server in the process (and in
   * tests, whichever set it first); this limit belongs to these two servers only.
   *
   * <p>The queue never refuses (a refusal would stop the server's dispatcher thread); idle threads
   * end after 30 s.
   */
  private static final class TimeLimitedExecutor implements Executor, AutoCloseable {

    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService watchdog;
    private final Set<Running> running = ConcurrentHashMap.newKeySet();
    private final long limitNanos;

    /** One exchange on its thread; {@code done} is guarded by the object's lock. */
    private static final class Running {
      final Thread thread = Thread.currentThread();
      final long started = System.nanoTime();
      boolean done;
    }

    TimeLimitedExecutor(String name, Duration limit) {
      this.limitNanos = limit.toNanos();
      pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
      });
      pool.allowCoreThreadTimeOut(true);
      watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, name + "-time-limit");
        t.setDaemon(true);
        return t;
      });
      long period = Math.max(50, limit.toMillis() / 4);
      watchdog.scheduleWithFixedDelay(this::interruptOverdue, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void execute(Runnable exchange) {
      pool.execute(() -> {
        Running self = new Running();
        running.add(self);
        try {
          exchange.run();
        } finally {
          synchronized (self) {
            self.done = true;
          }
          running.remove(self);
          // An interrupt that came as the exchange ended must not reach the next one on this thread.
          Thread.interrupted();
        }
      });
    }

    private void interruptOverdue() {
      long now = System.nanoTime();
      for (Running exchange : running) {
        if (now - exchange.started > limitNanos) {
          synchronized (exchange) {
            if (!exchange.done) {
              exchange.thread.interrupt();
            }
          }
        }
      }
    }

    @Override
    public void close() {
      watchdog.shutdownNow();
      pool.shutdownNow();
    }
  }
}

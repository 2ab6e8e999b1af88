package io.bucketprotection.operator.bench;

import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every request the mock API server receives, kept for the whole run. Why: the mock hands out
 * each recorded request once ({@link MockKubernetes#drainRequests()} removes them), and its queue
 * holds whole bodies; a background thread drains it every 100 ms and keeps a small record of each
 * request, so a wave sees all of its requests (not only those after the last drain) and 10,000
 * Secret bodies are not held twice.
 *
 * <p>Requests are told apart by User-Agent: the benchmark's own client sends {@link #BENCHMARK_AGENT};
 * everything else is the operator's.
 */
public final class KubernetesRequestLog implements AutoCloseable {

  /** The User-Agent of the benchmark's own client ({@link MockKubernetes#newClient}). */
  public static final String BENCHMARK_AGENT = "bpo-benchmark";

  private static final Pattern STATUS = Pattern.compile(".*/bucketprotections/[^/]+/status");
  private static final Pattern ACCOUNT_STATUS = Pattern.compile(".*/(clusters3accounts|s3accounts)/[^/]+/status");
  private static final Pattern EVENTS = Pattern.compile(".*/events(/[^/]*)?");
  private static final Pattern KIND = Pattern.compile(".*/(namespaces/[^/]+/)?([a-z0-9]+)(/[^/]+)?(/status)?");

  /** One request, without its body. */
  public record Request(String method, String path, boolean byBenchmark) {
  }

  private final MockKubernetes kubernetes;
  private final List<Request> requests = new ArrayList<>();
  private final Thread drainer;
  private volatile boolean closed;

  private KubernetesRequestLog(MockKubernetes kubernetes) {
    this.kubernetes = kubernetes;
    this.drainer = new Thread(this::drainLoop, "k8s-request-log");
    this.drainer.setDaemon(true);
  }

  /** Starts keeping requests; what the mock recorded before (its own set-up) is dropped. */
  public static KubernetesRequestLog start(MockKubernetes kubernetes) throws InterruptedException {
    kubernetes.drainRequests();
    KubernetesRequestLog log = new KubernetesRequestLog(kubernetes);
    log.drainer.start();
    return log;
  }

  private void drainLoop() {
    while (!closed) {
      try {
        drainOnce();
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Synchronized: a mark must never see a newer batch appended before an older one. */
  private synchronized void drainOnce() throws InterruptedException {
    List<RecordedRequest> batch = kubernetes.drainRequests();
    List<Request> light = new ArrayList<>(batch.size());
    for (RecordedRequest r : batch) {
      String path = r.getPath() == null ? "" : r.getPath();
      light.add(new Request(r.getMethod(), path, BENCHMARK_AGENT.equals(r.getHeader("User-Agent"))));
    }
    synchronized (requests) {
      requests.addAll(light);
    }
  }

  /** A point in the log; {@link #since} returns what came after it. */
  public int mark() throws InterruptedException {
    drainOnce();
    synchronized (requests) {
      return requests.size();
    }
  }

  /** The requests received since {@code mark}, everything up to this moment included. */
  public List<Request> since(int mark) throws InterruptedException {
    drainOnce();
    synchronized (requests) {
      return new ArrayList<>(requests.subList(mark, requests.size()));
    }
  }

  /**
   * Requests by who sent them and what they are. The operator's: "statusPatches" (BucketProtection
   * status), "accountStatusPatches", "eventsCreated", "otherWrites" and "reads" (GET: lists and
   * watches). The benchmark's: "benchmark creates &lt;resource&gt;" and "benchmark reads".
   */
  public static Map<String, Long> classify(List<Request> requests) {
    Map<String, Long> kinds = new TreeMap<>();
    for (Request r : requests) {
      kinds.merge(kind(r), 1L, Long::sum);
    }
    return kinds;
  }

  static String kind(Request r) {
    String path = r.path();
    int q = path.indexOf('?');
    String bare = q < 0 ? path : path.substring(0, q);
    if (r.byBenchmark()) {
      if ("GET".equals(r.method())) {
        return "benchmark reads";
      }
      var m = KIND.matcher(bare);
      String resource = m.matches() ? m.group(2) : bare;
      return "benchmark " + ("POST".equals(r.method()) ? "creates " : r.method() + " ") + resource;
    }
    if ("GET".equals(r.method())) {
      return "operator reads";
    }
    if (STATUS.matcher(bare).matches()) {
      return "operator statusPatches";
    }
    if (ACCOUNT_STATUS.matcher(bare).matches()) {
      return "operator accountStatusPatches";
    }
    if ("POST".equals(r.method()) && EVENTS.matcher(bare).matches()) {
      return "operator eventsCreated";
    }
    return "operator otherWrites";
  }

  /** The operator's requests by kind, zeros included, for asserting and reporting. */
  public static Map<String, Long> operatorCounts(List<Request> requests) {
    Map<String, Long> all = classify(requests);
    Map<String, Long> counts = new LinkedHashMap<>();
    for (String kind : List.of("statusPatches", "eventsCreated", "accountStatusPatches", "otherWrites", "reads")) {
      counts.put(kind, all.getOrDefault("operator " + kind, 0L));
    }
    return counts;
  }

  /** The benchmark's own requests by kind. */
  public static Map<String, Long> benchmarkCounts(List<Request> requests) {
    Map<String, Long> counts = new TreeMap<>();
    classify(requests).forEach((k, v) -> {
      if (k.startsWith("benchmark ")) {
        counts.put(k.substring("benchmark ".length()), v);
      }
    });
    return counts;
  }

  /** A few of the operator's writes that are neither status patches nor events, to say what they were. */
  public static List<String> otherWriteSamples(List<Request> requests, int max) {
    List<String> samples = new ArrayList<>();
    for (Request r : requests) {
      if (samples.size() < max && "operator otherWrites".equals(kind(r))) {
        samples.add(r.method() + " " + r.path());
      }
    }
    return samples;
  }

  /** Everything the operator wrote, by kind: what a wave reports under "kubernetes". */
  public static Map<String, Object> report(List<Request> requests) {
    Map<String, Object> r = new LinkedHashMap<>();
    Map<String, Long> operator = operatorCounts(requests);
    Map<String, Long> writes = new LinkedHashMap<>(operator);
    writes.remove("reads");
    r.put("operatorWrites", writes);
    r.put("operatorWritesTotal", writes.values().stream().mapToLong(Long::longValue).sum());
    r.put("operatorReads", operator.get("reads"));
    r.put("byTheBenchmark", benchmarkCounts(requests));
    List<String> samples = otherWriteSamples(requests, 5);
    if (!samples.isEmpty()) {
      r.put("operatorOtherWriteSamples", samples);
    }
    return r;
  }

  @Override
  public void close() {
    closed = true;
    drainer.interrupt();
  }
}

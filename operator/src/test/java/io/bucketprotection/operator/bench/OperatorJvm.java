package io.bucketprotection.operator.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator in a JVM of its own, started with the Deployment's heap settings: for the figures
 * that a shared JVM would blur (memory, threads) or that must hold for a process (it never
 * restarts). Reads RSS and threads from /proc, the heap after a full GC through jcmd, and asks
 * /healthz like the liveness probe does.
 */
public final class OperatorJvm implements AutoCloseable {

  /** Used only when the manifest cannot be read. */
  static final List<String> FALLBACK_JVM_OPTIONS = Benchmark.OPERATOR_JVM_OPTIONS;

  /**
   * The JVM options of the operator's Deployment, read from its JAVA_TOOL_OPTIONS in
   * deploy/manifests/core/deployment.yaml, so the figures are measured with what is shipped even
   * when the manifest changes.
   */
  public static List<String> deploymentJvmOptions() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path manifest = dir.resolve("deploy/manifests/core/deployment.yaml");
      if (Files.isRegularFile(manifest)) {
        try (var in = Files.newInputStream(manifest)) {
          io.fabric8.kubernetes.api.model.apps.Deployment deployment = io.fabric8.kubernetes.client.utils.Serialization
              .unmarshal(in, io.fabric8.kubernetes.api.model.apps.Deployment.class);
          return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> "JAVA_TOOL_OPTIONS".equals(e.getName()))
              .map(e -> List.of(e.getValue().trim().split("\\s+")))
              .findFirst().orElse(FALLBACK_JVM_OPTIONS);
        } catch (IOException | RuntimeException e) {
          return FALLBACK_JVM_OPTIONS;
        }
      }
    }
    return FALLBACK_JVM_OPTIONS;
  }

  /**
   * The heap after a full GC.
   *
   * @param liveMiB the live set: the total of jcmd GC.class_histogram, which runs a full GC and
   *     counts only reachable objects (exact: nothing allocated after the GC is in it)
   * @param usedMiB both generations' "used" from jcmd GC.heap_info right after jcmd GC.run (the
   *     earlier method of docs/performance.md; it also counts what was allocated since that GC)
   * @param metaspaceUsedMiB metaspace used
   * @param largestClassesKiB the classes with the most live bytes
   */
  public record Heap(double liveMiB, double usedMiB, double metaspaceUsedMiB, Map<String, Long> largestClassesKiB) {
  }

  private final Process process;
  private final int httpPort;
  private final int metricsPort;
  private final Path log;

  private OperatorJvm(Process process, int httpPort, int metricsPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.metricsPort = metricsPort;
    this.log = log;
  }

  /**
   * Starts {@code java <Deployment options> <launch...>} with {@code env} added to this process's
   * environment, and BPO_HTTP_PORT and BPO_METRICS_PORT set to free ports (the Deployment serves its
   * probes and metrics too, so the footprint includes those servers).
   *
   * @param launch e.g. ["-jar", jar] or ["-cp", classpath, mainClass]
   */
  public static OperatorJvm start(List<String> launch, Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(deploymentJvmOptions());
    command.addAll(launch);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    int port = freePort();
    int metricsPort;
    do {
      metricsPort = freePort();
    } while (metricsPort == port);
    builder.environment().putAll(env);
    builder.environment().put("BPO_HTTP_PORT", String.valueOf(port));
    builder.environment().put("BPO_METRICS_PORT", String.valueOf(metricsPort));
    return new OperatorJvm(builder.start(), port, metricsPort, log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** The HTTP status of /healthz (what the liveness probe asks), or -1 when nothing answers. */
  public int healthz() {
    try {
      HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + httpPort + "/healthz")
          .openConnection();
      connection.setConnectTimeout(2_000);
      connection.setReadTimeout(5_000);
      int status = connection.getResponseCode();
      connection.disconnect();
      return status;
    } catch (IOException e) {
      return -1;
    }
  }

  /** The value of one Prometheus sample on /metrics (e.g. {@code name{label="v"}}), or -1 when absent. */
  public double metric(String sample) {
    try {
      HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + metricsPort + "/metrics")
          .openConnection();
      connection.setConnectTimeout(2_000);
      connection.setReadTimeout(10_000);
      try (var in = connection.getInputStream()) {
        for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
          if (line.startsWith(sample + " ")) {
            return Double.parseDouble(line.substring(sample.length() + 1).trim());
          }
        }
      } finally {
        connection.disconnect();
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  /** Live threads of the process (/proc/PID/status Threads), or -1 when it is gone. */
  public int threads() {
    return (int) procStatus("Threads");
  }

  public double rssMiB() {
    return procStatus("VmRSS") / 1024.0;
  }

  public double peakRssMiB() {
    return procStatus("VmHWM") / 1024.0;
  }

  private long procStatus(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** What the operator really keeps: the live set after a full GC, and GC.heap_info after GC.run. */
  public Heap heapAfterFullGc() throws IOException, InterruptedException {
    String histogram = jcmd("GC.class_histogram");
    Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(histogram);
    double liveMiB = total.find() ? round(Long.parseLong(total.group(1)) / 1024.0 / 1024.0) : -1;
    Map<String, Long> top = new java.util.LinkedHashMap<>();
    Matcher m = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)").matcher(histogram);
    while (m.find() && top.size() < 12) {
      top.put(m.group(2), Long.parseLong(m.group(1)) / 1024);
    }
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    return new Heap(liveMiB, round(sumKb(info, "generation\\s+total \\d+K, used (\\d+)K") / 1024.0),
        round(sumKb(info, "Metaspace\\s+used (\\d+)K") / 1024.0), top);
  }

  /**
   * Live threads by name, digits folded ("pool-4-thread-N" -> count), from jcmd Thread.print: says
   * which pool a thread count comes from.
   */
  public Map<String, Integer> threadsByName() throws IOException, InterruptedException {
    Map<String, Integer> byName = new java.util.TreeMap<>();
    Matcher m = Pattern.compile("(?m)^\"(.*?)\" ").matcher(jcmd("Thread.print"));
    while (m.find()) {
      byName.merge(m.group(1).replaceAll("\\d+", "N"), 1, Integer::sum);
    }
    return byName;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(process.pid()), command)
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd " + command + " did not finish in 120 s");
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  private static long sumKb(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  /** Lines of the operator's log that contain {@code text}. */
  public long logLinesContaining(String text) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.filter(l -> l.contains(text)).count();
    } catch (java.io.UncheckedIOException e) {
      return -1;
    }
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}

package io.bucketprotection.operator.docs;

import io.bucketprotection.operator.Main;
import io.bucketprotection.operator.testsupport.MockKubernetes;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What a cluster does with the operator's Deployment once kubectl has created it, on an API server
 * that runs no pods: starts each replica as an operator process (the test's classpath, the
 * Deployment's container environment with the downward API filled in, its own free ports instead
 * of 8080/8081, the API server's address instead of the in-cluster one), and, once every replica
 * answers /readyz as the readiness probe asks it, reports the Deployment available, so that
 * `kubectl rollout status` sees what it would see on a cluster.
 */
final class DeploymentRunner implements AutoCloseable {

  private static final String NAMESPACE = "bucket-protection-system";
  private static final String NAME = "bucket-protection-operator";

  private final MockKubernetes kubernetes;
  private final Path logs;
  private final List<Process> processes = new CopyOnWriteArrayList<>();
  private final List<Path> logFiles = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean closed;
  private volatile String failure = "";

  private DeploymentRunner(MockKubernetes kubernetes, Path logs) {
    this.kubernetes = kubernetes;
    this.logs = logs;
    this.thread = new Thread(this::run, "deployment-runner");
    thread.setDaemon(true);
  }

  static DeploymentRunner watch(MockKubernetes kubernetes, Path logs) {
    DeploymentRunner runner = new DeploymentRunner(kubernetes, logs);
    runner.thread.start();
    return runner;
  }

  int started() {
    return processes.size();
  }

  /** The last lines of each replica's log, for a failure message. */
  String logTail() {
    StringBuilder tail = new StringBuilder(failure);
    for (Path file : logFiles) {
      try {
        List<String> lines = Files.readAllLines(file);
        tail.append("== ").append(file.getFileName()).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))).append('\n');
      } catch (IOException e) {
        tail.append("== ").append(file.getFileName()).append(": ").append(e.getMessage()).append('\n');
      }
    }
    return tail.toString();
  }

  private void run() {
    try {
      Deployment deployment = null;
      while (!closed && deployment == null) {
        deployment = kubernetes.client().apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
        Thread.sleep(200);
      }
      if (deployment == null) {
        return;
      }
      int replicas = deployment.getSpec().getReplicas();
      List<Integer> probePorts = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        probePorts.add(start(deployment, NAME + "-" + i));
      }
      for (int port : probePorts) {
        awaitReady(port);
      }
      kubernetes.client().apps().deployments().inNamespace(NAMESPACE).withName(NAME).editStatus(d -> {
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
            .withAvailableReplicas(replicas).addNewCondition().withType("Available").withStatus("True")
            .withReason("MinimumReplicasAvailable").endCondition().build());
        return d;
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      failure = "could not run the Deployment: " + e + "\n";
    }
  }

  /** Starts one replica; returns its probe port. */
  private int start(Deployment deployment, String podName) throws IOException {
    var container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
        String field = var.getValueFrom().getFieldRef().getFieldPath();
        env.put(var.getName(), field.equals("metadata.namespace") ? NAMESPACE
            : field.equals("metadata.name") ? podName : "127.0.0.1");
      } else {
        env.put(var.getName(), var.getValue());
      }
    }
    int probes = freePort();
    int metrics = freePort();
    env.put("BPO_HTTP_PORT", String.valueOf(probes));
    env.put("BPO_METRICS_PORT", String.valueOf(metrics));
    env.put("KUBERNETES_MASTER", kubernetes.url());
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("JAVA_TOOL_OPTIONS", env.getOrDefault("JAVA_TOOL_OPTIONS", "")
        .replace("-Djava.io.tmpdir=/tmp", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir")));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    if (container.getArgs() != null) {
      command.addAll(container.getArgs());
    }
    Path log = logs.resolve(podName + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("KUBE") || k.startsWith("BPO_"));
    builder.environment().putAll(env);
    processes.add(builder.start());
    logFiles.add(log);
    return probes;
  }

  private void awaitReady(int port) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!closed && System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("a replica never answered /readyz with 200 on port " + port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Stops every replica as the kubelet does: SIGTERM, then SIGKILL for those still running after
   * the Deployment's terminationGracePeriodSeconds.
   *
   * @return how many replicas ended by themselves within the grace period
   */
  int stop(int gracePeriodSeconds) throws InterruptedException {
    closed = true;
    thread.interrupt();
    processes.forEach(Process::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(gracePeriodSeconds);
    int ended = 0;
    for (Process process : processes) {
      if (process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        ended++;
      } else {
        process.destroyForcibly().waitFor();
      }
    }
    return ended;
  }

  @Override
  public void close() throws InterruptedException {
    if (processes.stream().anyMatch(Process::isAlive) || !closed) {
      stop(30);
    }
  }
}

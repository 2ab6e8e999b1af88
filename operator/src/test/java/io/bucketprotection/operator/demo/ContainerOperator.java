package io.bucketprotection.operator.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The operator as a container of its image, started with podman instead of in-process: what
 * hack/test-image.sh proves the image with. The container runs the way the Deployment runs the
 * pod (read-only root filesystem, uid/gid 65532, no capabilities, no privilege escalation) on the
 * host network, where the demo's RadosGW and Kubernetes API listen.
 *
 * <p>Credentials reach it as inherited environment variables ({@code --env NAME} with the value in
 * podman's own environment), so they never appear on a command line, in {@code ps} or in a log.
 */
final class ContainerOperator implements AutoCloseable {

  /** The flags that make the container run as the Deployment's pod does. */
  static final List<String> HARDENING = List.of("--read-only", "--user", "65532:65532", "--cap-drop=ALL",
      "--security-opt", "no-new-privileges");
  /** The limits this kind of machine allows; without them podman asks for more and is refused. */
  static final List<String> MACHINE_LIMITS = List.of("--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000");

  private final List<String> podman;
  private final String name;
  private final Process process;

  private ContainerOperator(List<String> podman, String name, Process process) {
    this.podman = podman;
    this.name = name;
    this.process = process;
  }

  /**
   * {@code podman run} for the operator: {@code settings} become {@code --env NAME=VALUE},
   * {@code secretNames} bare {@code --env NAME} (the value comes from podman's environment).
   */
  static List<String> runCommand(List<String> podman, String image, String name, Map<String, String> settings,
      Set<String> secretNames) {
    List<String> command = new ArrayList<>(podman);
    command.addAll(List.of("run", "--rm", "--name", name, "--network=host"));
    command.addAll(HARDENING);
    command.addAll(MACHINE_LIMITS);
    new TreeMap<>(settings).forEach((key, value) -> command.addAll(List.of("--env", key + "=" + value)));
    secretNames.stream().sorted().forEach(key -> command.addAll(List.of("--env", key)));
    command.add(image);
    return command;
  }

  /** The image to run: a tarball ({@code *.tar}) is loaded first and its name read from podman's answer. */
  static String imageName(List<String> podman, String image) throws IOException, InterruptedException {
    if (!image.endsWith(".tar")) {
      return image;
    }
    List<String> load = new ArrayList<>(podman);
    load.addAll(List.of("load", "-i", Path.of(image).toAbsolutePath().toString()));
    Process process = new ProcessBuilder(load).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IOException("podman load -i " + image + " failed:\n" + output);
    }
    return loadedName(output);
  }

  /** The image podman load names in its last "Loaded image: NAME" line. */
  static String loadedName(String loadOutput) throws IOException {
    return loadOutput.lines().filter(l -> l.startsWith("Loaded image")).reduce((a, b) -> b)
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .orElseThrow(() -> new IOException("podman load named no image:\n" + loadOutput));
  }

  /** Starts the container; its output goes to this process's (the operator's log and audit lines). */
  static ContainerOperator start(List<String> podman, String image, Map<String, String> settings,
      Map<String, String> secrets) throws IOException {
    String name = "bpo-image-test-" + ProcessHandle.current().pid();
    ProcessBuilder builder = new ProcessBuilder(runCommand(podman, image, name, settings, secrets.keySet()))
        .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(secrets);
    return new ContainerOperator(podman, name, builder.start());
  }

  boolean isRunning() {
    return process.isAlive();
  }

  /** The container's exit code; only once it stopped. */
  int exitCode() {
    return process.exitValue();
  }

  /** Stops the container (SIGTERM, the operator's shutdown hook, then SIGKILL after 10 s); --rm removes it. */
  @Override
  public void close() {
    List<String> stop = new ArrayList<>(podman);
    stop.addAll(List.of("stop", "--ignore", "-t", "10", name));
    try {
      new ProcessBuilder(stop).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor(30, TimeUnit.SECONDS);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

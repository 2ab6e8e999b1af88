package io.bucketprotection.operator.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The Helm chart in deploy/helm/, run through the real helm (hack/install-helm.sh puts it on PATH).
 * Each values file is rendered once per test JVM and shared between the tests that read it.
 */
public final class HelmChart {

  public static final Path CHART = Path.of("../deploy/helm/bucket-protection-operator");
  public static final Path TEST_VALUES = Path.of("../deploy/helm/test-values");
  /** The release the renders are made as: the names and namespace deploy/ uses. */
  public static final String RELEASE = "bucket-protection-operator";
  public static final String NAMESPACE = "bucket-protection-system";

  private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();

  private HelmChart() {
  }

  /** What one helm run printed (stdout and stderr together) and its exit code. */
  public record Run(int exitCode, String output) {
  }

  /** {@code helm ARGS...} in the repository's root; never throws for a non-zero exit. */
  public static Run helm(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("helm"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("..").toFile()).redirectErrorStream(true);
    // No user's helm configuration or repositories: the chart has no dependencies to fetch.
    Path home = Path.of("target", "helm-home").toAbsolutePath();
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("config").toString());
    builder.environment().put("HELM_CACHE_HOME", home.resolve("cache").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("data").toString());
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("helm " + args + " did not end within 60 s:\n" + out);
    }
    return new Run(process.exitValue(), out);
  }

  /**
   * {@code helm template} of the chart with the CRDs, as release {@link #RELEASE} in {@link #NAMESPACE},
   * with the values file {@code deploy/helm/test-values/NAME.yaml}; rendered once, then shared.
   */
  public static String render(String valuesName) {
    return RENDERED.computeIfAbsent(valuesName, name -> {
      try {
        Run run = helm(List.of("template", RELEASE, "deploy/helm/bucket-protection-operator", "--namespace", NAMESPACE,
            "--include-crds", "--values", "deploy/helm/test-values/" + name + ".yaml"));
        if (run.exitCode() != 0) {
          throw new IllegalStateException("helm template with test-values/" + name + ".yaml failed:\n" + run.output());
        }
        return run.output();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }
}

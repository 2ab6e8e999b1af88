package io.bucketprotection.operator;

import io.bucketprotection.operator.check.CheckCommand;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.http.OperatorHttpServer;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.secrets.AwsSecretsManagerReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the operator. The cluster is found the usual fabric8 way (kubeconfig, in-cluster
 * service account, or KUBERNETES_MASTER); settings come from environment variables or the
 * matching flags (docs/reference/configuration.md). With {@code check} as the first argument it runs the
 * read-only {@link CheckCommand} instead, and exits with its code.
 */
public final class Main {

  private Main() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && CheckCommand.NAME.equals(args[0])) {
      // The read-only check for CI: no operator, no Kubernetes client.
      System.exit(CheckCommand.fromMain(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironmentAndArgs(System.getenv(), args);
    } catch (IllegalArgumentException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Before the first logger exists: logback.xml reads these (flags may have set them).
    System.setProperty("LOG_LEVEL", config.logLevel());
    System.setProperty("LOG_FORMAT", config.logFormat());
    Logger log = LoggerFactory.getLogger(Main.class);

    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    KubernetesClient client = new KubernetesClientBuilder().build();
    AwsBucketStore store = BucketProtectionOperator.awsBucketStore(config);
    AwsSecretsManagerReader secretsManager = new AwsSecretsManagerReader(config.defaultRegion(),
        config.secretsManagerEndpoint());
    Operator operator = BucketProtectionOperator.create(config, client, store, secretsManager,
        new OperatorMetrics(registry), Clock.systemUTC());
    // Two ports, so that the NetworkPolicy can let the kubelet reach the probes and only Prometheus the metrics.
    OperatorHttpServer probes = config.httpPort() > 0 ? OperatorHttpServer.probes(config.httpPort(), operator) : null;
    OperatorHttpServer metrics = config.httpPort() > 0
        ? OperatorHttpServer.metrics(config.metricsPort(), registry) : null;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.stop();
      if (probes != null) {
        probes.close();
        metrics.close();
      }
      store.close();
      secretsManager.close();
      client.close();
    }, "shutdown"));
    log.info("Starting bucket-protection-operator: namespaces={}, label selector={}, default region={},"
            + " default endpoint={}, default check interval={}, reconcile threads={}, leader election={},"
            + " probe port={}, metrics port={}",
        config.namespaces().isEmpty() ? "all" : config.namespaces(),
        config.labelSelector() == null ? "none" : config.labelSelector(), config.defaultRegion(),
        config.defaultEndpoint() == null ? "AWS" : config.defaultEndpoint(), config.defaultCheckInterval(),
        config.reconcileThreads(), config.leaderElection() == null ? "off"
            : config.leaderElection().leaseNamespace() + "/" + config.leaderElection().leaseName(),
        config.httpPort() > 0 ? config.httpPort() : "off", config.httpPort() > 0 ? config.metricsPort() : "off");
    operator.start();
  }
}

package io.bucketprotection.operator;

import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.s3.AwsBucketStore;
import io.bucketprotection.operator.secrets.AwsSecretsManagerReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the operator. The cluster is found the usual fabric8 way (kubeconfig, in-cluster
 * service account, or KUBERNETES_MASTER); settings come from environment variables.
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) {
    OperatorConfig config;
    try {
      config = OperatorConfig.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      LOG.error("Invalid configuration: {}", e.getMessage());
      System.exit(2);
      return;
    }
    KubernetesClient client = new KubernetesClientBuilder().build();
    AwsBucketStore store = new AwsBucketStore(config.defaultRegion(), config.contentMd5Endpoints());
    AwsSecretsManagerReader secretsManager = new AwsSecretsManagerReader(config.defaultRegion(),
        config.secretsManagerEndpoint());
    Operator operator = BucketProtectionOperator.create(config, client, store, secretsManager, Clock.systemUTC());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.stop();
      store.close();
      secretsManager.close();
      client.close();
    }, "shutdown"));
    LOG.info("Starting bucket-protection-operator: namespaces={}, default region={}, default endpoint={},"
            + " default check interval={}, reconcile threads={}",
        config.namespaces().isEmpty() ? "all" : config.namespaces(), config.defaultRegion(),
        config.defaultEndpoint() == null ? "AWS" : config.defaultEndpoint(),
        config.defaultCheckInterval(), config.reconcileThreads());
    operator.start();
  }
}

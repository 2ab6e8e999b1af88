package io.bucketprotection.operator.bench;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.http.OperatorHttpServer;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.bucketprotection.operator.secrets.AwsSecretsManagerReader;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;

/**
 * The operator as {@code Main} wires it (configuration from the environment and flags, JVM memory
 * metrics, /healthz and /readyz on BPO_HTTP_PORT, /metrics on BPO_METRICS_PORT), but with the in-memory fake S3
 * instead of the AWS SDK: for measuring 10,000 resources without 10,000 RGW buckets, with the same
 * footprint as the shipped process apart from the S3 client. Run in its own JVM by the benchmark,
 * with the Deployment's JVM options.
 */
public final class FakeS3OperatorMain {

  private FakeS3OperatorMain() {
  }

  public static void main(String[] args) throws IOException {
    OperatorConfig config = OperatorConfig.fromEnvironmentAndArgs(System.getenv(), args);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    FakeBucketStore store = new FakeBucketStore(Clock.systemUTC());
    store.createBucketsOnFirstUse();
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = BucketProtectionOperator.create(config, client, store,
        new AwsSecretsManagerReader(config.defaultRegion(), config.secretsManagerEndpoint()),
        new OperatorMetrics(registry), Clock.systemUTC());
    if (config.httpPort() > 0) {
      OperatorHttpServer.probes(config.httpPort(), operator);
      OperatorHttpServer.metrics(config.metricsPort(), registry);
    }
    operator.start();
  }
}

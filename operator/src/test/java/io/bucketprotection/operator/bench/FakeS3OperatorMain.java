package io.bucketprotection.operator.bench;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.bucketprotection.operator.secrets.AwsSecretsManagerReader;
import io.bucketprotection.operator.testsupport.FakeBucketStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;

/**
 * The operator exactly as {@code Main} wires it, but with the in-memory fake S3 instead of the
 * AWS SDK: for measuring the memory of 10,000 resources without 10,000 RGW buckets. Run in its
 * own JVM by the benchmark, with the Deployment's heap settings.
 */
public final class FakeS3OperatorMain {

  private FakeS3OperatorMain() {
  }

  public static void main(String[] args) {
    OperatorConfig config = OperatorConfig.fromEnvironment(System.getenv());
    FakeBucketStore store = new FakeBucketStore(Clock.systemUTC());
    store.createBucketsOnFirstUse();
    KubernetesClient client = new KubernetesClientBuilder().build();
    BucketProtectionOperator.create(config, client, store,
        new AwsSecretsManagerReader(config.defaultRegion(), config.secretsManagerEndpoint()),
        new OperatorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)), Clock.systemUTC()).start();
  }
}

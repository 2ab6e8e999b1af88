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
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.util.List;

/**
 * The operator as {@code Main} wires it (configuration from the environment and flags, JVM memory
 * metrics, /healthz and /readyz on BPO_HTTP_PORT, /metrics on BPO_METRICS_PORT), but with the in-memory fake S3
 * instead of the AWS SDK: for measuring 10,000 resources without 10,000 RGW buckets, with the same
 * footprint as the shipped process apart from the S3 client. Run in its own JVM by the benchmark,
 * with the Deployment's JVM options. {@code BENCH_FAKE_S3_BUCKETS=N} makes the fake S3 hold N buckets
 * named {@code BENCH_FAKE_S3_PREFIX} (default {@code bench-}) and five digits, for policies to list;
 * the fake's own count of its calls is served on /metrics as {@code bench_fake_s3_calls{operation}}
 * (ListBuckets counted per page), so the benchmark counts the S3 calls where they arrive.
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
    int buckets = Integer.parseInt(System.getenv().getOrDefault("BENCH_FAKE_S3_BUCKETS", "0"));
    String prefix = System.getenv().getOrDefault("BENCH_FAKE_S3_PREFIX", "bench-");
    for (int i = 0; i < buckets; i++) {
      store.createBucket(String.format("%s%05d", prefix, i));
    }
    for (String operation : List.of("ListBuckets", "GetBucketVersioning", "PutBucketVersioning")) {
      Gauge.builder("bench_fake_s3_calls", store, s -> s.calls(operation)).tag("operation", operation)
          .register(registry);
    }
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

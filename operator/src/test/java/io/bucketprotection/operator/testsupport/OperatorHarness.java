package io.bucketprotection.operator.testsupport;

import io.bucketprotection.operator.BucketProtectionOperator;
import io.bucketprotection.operator.api.BucketProtection;
import io.bucketprotection.operator.config.OperatorConfig;
import io.bucketprotection.operator.metrics.OperatorMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.bucketprotection.operator.s3.BucketLister;
import io.bucketprotection.operator.s3.BucketStore;
import io.bucketprotection.operator.secrets.AwsSecretsManagerReader;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The real operator assembly, started against a mock API server with a given bucket store. */
public final class OperatorHarness implements AutoCloseable {

  private final KubernetesClient client;
  private final AwsSecretsManagerReader secretsManager;
  private final Operator operator;

  public OperatorHarness(KubernetesClient client, BucketStore store, OperatorConfig config) {
    this(client, store, config, Clock.systemUTC());
  }

  public OperatorHarness(KubernetesClient client, BucketStore store, OperatorConfig config, Clock clock) {
    this(client, store, config, clock, new OperatorMetrics(new SimpleMeterRegistry()));
  }

  public OperatorHarness(KubernetesClient client, BucketStore store, OperatorConfig config, Clock clock,
      OperatorMetrics metrics) {
    this.client = client;
    this.secretsManager = new AwsSecretsManagerReader(config.defaultRegion(), config.secretsManagerEndpoint());
    this.operator = BucketProtectionOperator.create(config, client, store, secretsManager, metrics, clock);
    operator.start();
  }

  /** With the policies' ListBuckets given apart from the bucket calls (a real S3 client, for counting at the wire). */
  public OperatorHarness(KubernetesClient client, BucketStore store, BucketLister lister, OperatorConfig config,
      Clock clock) {
    this.client = client;
    this.secretsManager = new AwsSecretsManagerReader(config.defaultRegion(), config.secretsManagerEndpoint());
    this.operator = BucketProtectionOperator.create(config, client, store, lister, secretsManager,
        new OperatorMetrics(new SimpleMeterRegistry()), clock);
    operator.start();
  }

  public Operator operator() {
    return operator;
  }

  public BucketProtection get(String namespace, String name) {
    return client.resources(BucketProtection.class).inNamespace(namespace).withName(name).get();
  }

  /** Creates the resource, and its Namespace first (as on a real cluster, where it must exist). */
  public BucketProtection create(BucketProtection resource) {
    String namespace = resource.getMetadata().getNamespace();
    if (client.namespaces().withName(namespace).get() == null) {
      client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
          .withNewMetadata().withName(namespace).endMetadata().build()).create();
    }
    return client.resource(resource).create();
  }

  /**
   * Waits until the resource's Ready condition carries {@code reason}, and returns it. On a timeout
   * the failure names the reason and message last seen, so a red run says what happened instead.
   */
  public BucketProtection awaitReason(String namespace, String name, String reason, Duration timeout) {
    return Resources.awaitReason(client, namespace, name, reason, timeout);
  }

  /**
   * Waits until Ready is True, Applied or InSync: a write the test proves otherwise (bucket state,
   * PUT counts). Under load a reconcile can apply, lose its status patch to a newer version of the
   * object, and report InSync on its retry.
   */
  public BucketProtection awaitConverged(String namespace, String name, Duration timeout) {
    return Resources.awaitReason(client, namespace, name, Resources.CONVERGED, timeout);
  }

  /** Waits until the operator has found the account usable (its Ready condition). */
  public void awaitAccountReady(io.bucketprotection.operator.api.ClusterS3Account account) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
      var current = client.resources(io.bucketprotection.operator.api.ClusterS3Account.class)
          .withName(account.getMetadata().getName()).get();
      return current != null && current.getStatus() != null && current.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    });
  }

  /** Events about one object (the mock ignores field selectors, so filter here). */
  public List<Event> events(String namespace, String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** Waits for an event with {@code reason} about one object: it stays when the status has moved on. */
  public Event awaitEvent(String namespace, String name, String reason, Duration timeout) {
    return org.awaitility.Awaitility.await().atMost(timeout).until(() -> events(namespace, name).stream()
        .filter(e -> reason.equals(e.getReason())).findFirst(), java.util.Optional::isPresent).orElseThrow();
  }

  public List<String> eventReasons(String namespace, String name) {
    return events(namespace, name).stream().map(e -> e.getType() + "/" + e.getReason()).toList();
  }

  @Override
  public void close() {
    operator.stop();
    secretsManager.close();
  }
}

package io.bucketprotection.operator.secrets;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes Secrets from an informer: a reconcile never costs an API GET, and a change to a
 * referenced Secret (a fixed seed, rotated keys) triggers the resources that use it.
 *
 * <p>It is wired in with everything else, but JOSDK creates event sources only when the
 * controller registers, so the informer is attached then, by
 * {@link #createEventSource}; no reconcile runs before that.
 */
public final class InformerSecretLookup implements SecretLookup {

  private volatile InformerEventSource<Secret, ?> informer;

  /**
   * @param toPrimaries which resources to reconcile when a Secret changes
   * @param namespaces where to watch Secrets; empty for every namespace
   */
  public <P extends HasMetadata> InformerEventSource<Secret, P> createEventSource(EventSourceContext<P> context,
      SecondaryToPrimaryMapper<Secret> toPrimaries, Set<String> namespaces) {
    InformerEventSourceConfiguration.Builder<Secret> builder = InformerEventSourceConfiguration
        .from(Secret.class, context.getPrimaryResourceClass())
        .withName("secrets")
        .withSecondaryToPrimaryMapper(toPrimaries);
    if (namespaces.isEmpty()) {
      builder.withWatchAllNamespaces();
    } else {
      builder.withNamespaces(namespaces);
    }
    InformerEventSourceConfiguration<Secret> configuration = builder.build();
    InformerEventSource<Secret, P> source = new InformerEventSource<>(configuration, context);
    informer = source;
    return source;
  }

  @Override
  public Optional<Secret> find(String namespace, String name) {
    InformerEventSource<Secret, ?> source = informer;
    if (source == null) {
      throw new IllegalStateException("the Secret informer is attached when the controller registers");
    }
    return source.get(new ResourceID(name, namespace));
  }
}

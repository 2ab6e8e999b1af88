package io.bucketprotection.operator.secrets;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Kubernetes Secrets from an informer: a reconcile never costs an API GET, and a change to a
 * referenced Secret (a fixed seed, rotated keys) triggers the resources that use it. Only Secrets
 * labelled {@value SecretLookup#LABEL} are cached: the Helm releases, certificates and other
 * Secrets of the watched namespaces never enter the operator's memory.
 *
 * <p>When a referenced Secret is not in the cache, one GET (at most one per Secret every
 * {@link #RECHECK}, one a second per namespace, and at most {@link #GETS_PER_SECOND} in all) tells whether it exists without
 * the label, so its user is told "add the label" instead of "create it". The value it returns is
 * never read.
 *
 * <p>It is wired in with everything else, but JOSDK creates event sources only when the
 * controller registers, so the informer is attached then, by {@link #createEventSource}; no
 * reconcile runs before that.
 */
public final class InformerSecretLookup implements SecretLookup {

  static final Duration RECHECK = Duration.ofSeconds(30);
  static final int GETS_PER_SECOND = 5;
  private static final int REMEMBERED = 1024;

  private record Checked(boolean exists, long atMillis) {
  }

  private final Clock clock;
  private volatile InformerEventSource<Secret, ?> informer;
  private volatile KubernetesClient client;
  /** "namespace/name" -> the last existence check, bounded (oldest forgotten first). */
  private final Map<String, Checked> checked = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Checked> eldest) {
      return size() > REMEMBERED;
    }
  };
  /** Namespace -> when its last existence GET went: one a second each, so no tenant takes the whole budget. */
  private final Map<String, Long> lastGetByNamespace = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > REMEMBERED;
    }
  };
  private long windowStartMillis;
  private int getsInWindow;

  public InformerSecretLookup(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param toPrimaries which resources to reconcile when a Secret changes
   * @param namespaces where to watch Secrets; empty for every namespace
   */
  public <P extends HasMetadata> InformerEventSource<Secret, P> createEventSource(EventSourceContext<P> context,
      SecondaryToPrimaryMapper<Secret> toPrimaries, Set<String> namespaces) {
    InformerEventSourceConfiguration.Builder<Secret> builder = InformerEventSourceConfiguration
        .from(Secret.class, context.getPrimaryResourceClass())
        .withName("secrets")
        .withLabelSelector(LABEL)
        // Root-keys Secrets are kept as metadata only: their changes still wake their users.
        .withItemStore(new RootKeysStrippingStore())
        .withSecondaryToPrimaryMapper(toPrimaries);
    if (namespaces.isEmpty()) {
      builder.withWatchAllNamespaces();
    } else {
      builder.withNamespaces(namespaces);
    }
    InformerEventSource<Secret, P> source = new InformerEventSource<>(builder.build(), context);
    client = context.getClient();
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

  @Override
  public Optional<Secret> fetchUncached(String namespace, String name) {
    KubernetesClient api = client;
    if (api == null) {
      throw new IllegalStateException("the Secret informer is attached when the controller registers");
    }
    try {
      return Optional.ofNullable(api.secrets().inNamespace(namespace).withName(name).get());
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("reading Secret " + namespace + "/" + name + " failed with HTTP " + e.getCode());
    }
  }

  @Override
  public boolean existsUnlabelled(String namespace, String name) {
    String key = namespace + "/" + name;
    long now = clock.millis();
    synchronized (checked) {
      Checked last = checked.get(key);
      if (last != null && now - last.atMillis() < RECHECK.toMillis()) {
        return last.exists();
      }
      if (now - windowStartMillis >= 1000) {
        windowStartMillis = now;
        getsInWindow = 0;
      }
      Long namespaceLast = lastGetByNamespace.get(namespace);
      if (getsInWindow >= GETS_PER_SECOND || (namespaceLast != null && now - namespaceLast < 1000)) {
        // Over the rate (in all, or for this namespace): say "not found" now; the check is made at
        // a later reconcile. Other namespaces keep their share meanwhile.
        return last != null && last.exists();
      }
      getsInWindow++;
      lastGetByNamespace.put(namespace, now);
    }
    boolean exists;
    try {
      exists = client.secrets().inNamespace(namespace).withName(name).get() != null;
    } catch (KubernetesClientException e) {
      // Not allowed or not reachable: report the plain "not found", which is what the cache says.
      exists = false;
    }
    synchronized (checked) {
      checked.put(key, new Checked(exists, now));
    }
    return exists;
  }
}

package io.bucketprotection.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Secret informer's store: it keeps every labelled Secret, but a Secret labelled
 * {@value SecretLookup#LABEL}={@value SecretLookup#ROOT_KEYS} only as its metadata. So a fixed or
 * newly labelled root-keys Secret still wakes the resources that use it, while the keys themselves
 * are never held between requests: they are read with one GET when a coded request goes.
 */
final class RootKeysStrippingStore implements ItemStore<Secret> {

  private final BasicItemStore<Secret> delegate = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  static boolean holdsRootKeys(Secret secret) {
    Map<String, String> labels = secret.getMetadata() == null ? null : secret.getMetadata().getLabels();
    return labels != null && SecretLookup.ROOT_KEYS.equals(labels.get(SecretLookup.LABEL));
  }

  @Override
  public String getKey(Secret secret) {
    return delegate.getKey(secret);
  }

  @Override
  public Secret put(String key, Secret secret) {
    return delegate.put(key, holdsRootKeys(secret)
        ? new SecretBuilder().withMetadata(secret.getMetadata()).withType(secret.getType()).build()
        : secret);
  }

  @Override
  public Secret remove(String key) {
    return delegate.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return delegate.keySet();
  }

  @Override
  public Stream<Secret> values() {
    return delegate.values();
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public Secret get(String key) {
    return delegate.get(key);
  }
}

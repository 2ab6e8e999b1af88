package io.bucketprotection.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Finds a Secret, in the operator from the informer cache (no API call per reconcile). */
@FunctionalInterface
public interface SecretLookup {

  /** The label a Secret must carry for the operator to cache and read it (any value). */
  String LABEL = "bucketprotection.io/secret";

  /**
   * The value of {@link #LABEL} that marks root keys: the cache keeps only such a Secret's
   * metadata; its keys are read with one GET when a request that needs root is about to go.
   */
  String ROOT_KEYS = "root-keys";

  Optional<Secret> find(String namespace, String name);

  /**
   * For a Secret {@link #find} did not find: whether it exists without the label. Implementations
   * may ask the API server, sparingly; the value is never read.
   */
  default boolean existsUnlabelled(String namespace, String name) {
    return false;
  }

  /**
   * One GET, past the cache, for a Secret that must not be cached (root keys): the caller drops it
   * once its request is sent. Empty when it does not exist.
   */
  default Optional<Secret> fetchUncached(String namespace, String name) {
    return find(namespace, name);
  }
}

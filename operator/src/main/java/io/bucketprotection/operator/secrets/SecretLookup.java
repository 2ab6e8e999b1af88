package io.bucketprotection.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Finds a Secret, in the operator from the informer cache (no API call per reconcile). */
@FunctionalInterface
public interface SecretLookup {

  /** The label a Secret must carry for the operator to cache and read it (any value). */
  String LABEL = "bucketprotection.io/secret";

  Optional<Secret> find(String namespace, String name);

  /**
   * For a Secret {@link #find} did not find: whether it exists without the label. Implementations
   * may ask the API server, sparingly; the value is never read.
   */
  default boolean existsUnlabelled(String namespace, String name) {
    return false;
  }
}

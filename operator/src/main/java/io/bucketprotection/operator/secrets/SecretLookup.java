package io.bucketprotection.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.Optional;

/** Finds a Secret, in the operator from the informer cache (no API call per reconcile). */
@FunctionalInterface
public interface SecretLookup {

  Optional<Secret> find(String namespace, String name);
}

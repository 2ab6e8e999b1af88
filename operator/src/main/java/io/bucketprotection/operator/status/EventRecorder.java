package io.bucketprotection.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Publishes Kubernetes Events about a resource of the operator's. Failures are logged, never thrown. */
public interface EventRecorder {

  /** Event types as Kubernetes knows them. */
  enum Type { Normal, Warning }

  void record(HasMetadata resource, Type type, String reason, String message);
}

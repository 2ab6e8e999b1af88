package io.bucketprotection.operator.status;

import io.bucketprotection.operator.api.BucketProtection;

/** Publishes Kubernetes Events about a BucketProtection. Failures are logged, never thrown. */
public interface EventRecorder {

  /** Event types as Kubernetes knows them. */
  enum Type { Normal, Warning }

  void record(BucketProtection resource, Type type, String reason, String message);
}

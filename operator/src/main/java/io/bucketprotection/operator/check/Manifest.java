package io.bucketprotection.operator.check;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * One document of the input that the check uses: a BucketProtection, ClusterS3Account or
 * S3Account, or a document of this API group that cannot be read as one (then {@code object} is
 * null and {@code problem} says why).
 *
 * @param file the path as given (or found under a folder), "-" for standard input
 * @param document the document's number in its file, from 1
 * @param namespace null for a ClusterS3Account
 */
record Manifest(String file, int document, String kind, String namespace, String name, HasMetadata object,
    String problem) {

  /** "examples/x.yaml, document 2": where a user finds it. */
  String origin() {
    return file + ", document " + document;
  }

  /** Kind, namespace and name: two manifests with the same key would be one object on a cluster. */
  String key() {
    return kind + " " + (namespace == null ? "" : namespace + "/") + name;
  }
}

package io.bucketprotection.operator.spec;

import io.bucketprotection.operator.secrets.SecretSource;

/**
 * An account's observer, validated: the ordinary identity that signs every request S3 does not
 * demand of root. A tenant's S3Account may only name a Secret of its own namespace.
 */
public sealed interface ObserverIdentity {

  /** The access key id and secret key names a Secret holds by default. */
  String DEFAULT_ACCESS_KEY_ID_KEY = "AWS_ACCESS_KEY_ID";
  String DEFAULT_SECRET_ACCESS_KEY_KEY = "AWS_SECRET_ACCESS_KEY";

  /** For status messages: never a key. */
  String describe();

  /** The operator's own default credential chain (IRSA, Pod Identity). */
  record OperatorChain() implements ObserverIdentity {
    @Override
    public String describe() {
      return "the operator's own AWS identity";
    }
  }

  /** A role the operator assumes with its own identity. */
  record AssumedRole(String roleArn, String externalId) implements ObserverIdentity {
    @Override
    public String describe() {
      return "role " + roleArn;
    }

    @Override
    public String toString() {
      return "AssumedRole[" + roleArn + (externalId == null ? "" : ", externalId=<set>") + "]";
    }
  }

  /** Keys in a labelled Kubernetes Secret (read through the operator's cache, like a seed). */
  record Keys(SecretSource.KubernetesSecret secret, String accessKeyIdKey, String secretAccessKeyKey)
      implements ObserverIdentity {
    @Override
    public String describe() {
      return "the keys in " + secret.describe();
    }
  }
}

package io.bucketprotection.operator.secrets;

/** Where one secret value comes from. */
public sealed interface SecretSource {

  /**
   * A key of a Kubernetes Secret. The namespace is decided by the operator, never by the user:
   * the resource's own namespace for inline specs, the account's for an S3Account, the cluster
   * resource namespace for a ClusterS3Account.
   *
   * @param key null for credentials (fixed keys AWS_ACCESS_KEY_ID ...)
   */
  record KubernetesSecret(String namespace, String name, String key) implements SecretSource {
  }

  /**
   * A secret in AWS Secrets Manager (stage AWSCURRENT); only a ClusterS3Account may name one.
   *
   * @param key the JSON field holding the value, or null for the whole secret string
   * @param region the secret's region, or null for the region in its ARN or the operator's default
   */
  record SecretsManagerSecret(String secretId, String key, String region) implements SecretSource {
  }

  /** "Secret ns/root-mfa key seed" or "Secrets Manager secret prod/root-mfa": for messages. */
  default String describe() {
    if (this instanceof KubernetesSecret k8s) {
      return "Secret " + k8s.namespace() + "/" + k8s.name() + (k8s.key() == null ? "" : " key " + k8s.key());
    }
    SecretsManagerSecret sm = (SecretsManagerSecret) this;
    return "Secrets Manager secret " + sm.secretId() + (sm.key() == null ? "" : " key " + sm.key());
  }
}

package io.bucketprotection.operator.secrets;

/** Where one secret value comes from. */
public sealed interface SecretSource {

  /** A Kubernetes Secret in the resource's namespace; {@code key} is null for credentials (fixed keys). */
  record KubernetesSecret(String name, String key) implements SecretSource {
  }

  /**
   * A secret in AWS Secrets Manager (stage AWSCURRENT).
   *
   * @param key the JSON field holding the value, or null for the whole secret string
   * @param region the secret's region, or null for the region in its ARN or the operator's default
   */
  record SecretsManagerSecret(String secretId, String key, String region) implements SecretSource {
  }
}

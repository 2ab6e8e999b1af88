package io.bucketprotection.operator.api;

import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where the S3 access keys come from: exactly one of the two. Without a credentials block the
 * operator uses its own default AWS credentials.
 */
@ValidationRule(value = "has(self.secretRef) != has(self.secretsManager)",
    message = "credentials needs exactly one of secretRef or secretsManager")
public class CredentialsSource extends UnknownFields {

  /** A Secret in the resource's namespace with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  private SecretReference secretRef;

  /**
   * A secret in AWS Secrets Manager holding JSON with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
   * (and optionally AWS_SESSION_TOKEN). Its key field is not used.
   */
  private SecretsManagerReference secretsManager;

  public CredentialsSource() {
  }

  public CredentialsSource(SecretReference secretRef) {
    this.secretRef = secretRef;
  }

  public CredentialsSource(SecretsManagerReference secretsManager) {
    this.secretsManager = secretsManager;
  }

  public SecretReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretReference secretRef) {
    this.secretRef = secretRef;
  }

  public SecretsManagerReference getSecretsManager() {
    return secretsManager;
  }

  public void setSecretsManager(SecretsManagerReference secretsManager) {
    this.secretsManager = secretsManager;
  }
}

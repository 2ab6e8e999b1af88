package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A BucketProtection's inline access keys: exactly one of the two, and only {@code secretRef} is
 * accepted (Secrets Manager is an admin's to lend, through a ClusterS3Account). Without a
 * credentials block and an accountRef the resource uses the ClusterS3Account named default, never
 * the operator's own identity.
 */
@ValidationRule(value = "has(self.secretRef) != has(self.secretsManager)",
    message = "credentials needs exactly one of secretRef or secretsManager")
public class CredentialsSource extends UnknownFields {

  @JsonPropertyDescription("A Secret of this namespace with the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.")
  private SecretReference secretRef;

  @JsonPropertyDescription("Refused here (InvalidSpec): Secrets Manager is read with the operator's own identity,"
      + " so only a ClusterS3Account may name it; use spec.accountRef.")
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

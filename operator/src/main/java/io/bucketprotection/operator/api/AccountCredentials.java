package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where an account's S3 access keys come from: exactly one of a Kubernetes Secret, a Secrets
 * Manager secret, or the operator's own identity. A ClusterS3Account may use all three; an
 * S3Account only {@code secretRef}.
 */
@ValidationRule(value = "(has(self.secretRef) ? 1 : 0) + (has(self.secretsManager) ? 1 : 0)"
    + " + (has(self.operatorIdentity) ? 1 : 0) == 1",
    message = "credentials needs exactly one of secretRef, secretsManager or operatorIdentity")
public class AccountCredentials extends UnknownFields {

  @JsonPropertyDescription("A Secret with the root user's keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: for a"
      + " ClusterS3Account in the operator's cluster resource namespace, for an S3Account in its own namespace. It"
      + " must carry the label bucketprotection.io/secret=root-keys: the operator then reads it with one GET when"
      + " a coded request is about to go and never caches it.")
  private SecretReference secretRef;

  @JsonPropertyDescription("An AWS Secrets Manager secret holding JSON with the root user's AWS_ACCESS_KEY_ID and"
      + " AWS_SECRET_ACCESS_KEY, read with the operator's own AWS identity when a coded request is about to go"
      + " (never cached). ClusterS3Account only.")
  private SecretsManagerReference secretsManager;

  @JsonPropertyDescription("Deprecated: the same as spec.observer.operatorIdentity (the operator's own AWS"
      + " identity signs reads and writes that need no code; the account has no root keys). Write"
      + " spec.observer.operatorIdentity: {} instead. ClusterS3Account only.")
  @SchemaFrom(type = OperatorIdentity.Schema.class)
  private OperatorIdentity operatorIdentity;

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

  public OperatorIdentity getOperatorIdentity() {
    return operatorIdentity;
  }

  public void setOperatorIdentity(OperatorIdentity operatorIdentity) {
    this.operatorIdentity = operatorIdentity;
  }
}

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

  @JsonPropertyDescription("A Secret with the keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: for a"
      + " ClusterS3Account in the operator's cluster resource namespace, for an S3Account in its own namespace.")
  private SecretReference secretRef;

  @JsonPropertyDescription("An AWS Secrets Manager secret holding JSON with AWS_ACCESS_KEY_ID and"
      + " AWS_SECRET_ACCESS_KEY, read with the operator's own AWS identity. ClusterS3Account only.")
  private SecretsManagerReference secretsManager;

  @JsonPropertyDescription("The operator's own default AWS credentials (IRSA, EKS Pod Identity, environment):"
      + " write operatorIdentity: {}. ClusterS3Account only.")
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

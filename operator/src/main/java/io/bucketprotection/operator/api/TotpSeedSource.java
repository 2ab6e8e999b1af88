package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the Base32 TOTP seed of the MFA device is kept: exactly one of the two. */
@ValidationRule(value = "has(self.secretKeyRef) != has(self.secretsManager)",
    message = "totpSeed needs exactly one of secretKeyRef or secretsManager")
public class TotpSeedSource extends UnknownFields {

  @JsonPropertyDescription("A key of a Kubernetes Secret: in the namespace of the BucketProtection or S3Account;"
      + " for a ClusterS3Account, in the operator's cluster resource namespace.")
  private SecretKeyReference secretKeyRef;

  @JsonPropertyDescription("An AWS Secrets Manager secret, read with the operator's own identity: a plain Base32"
      + " string, or JSON with the seed in the field named by key. ClusterS3Account only (elsewhere InvalidSpec).")
  private SecretsManagerReference secretsManager;

  public TotpSeedSource() {
  }

  public TotpSeedSource(SecretKeyReference secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }

  public TotpSeedSource(SecretsManagerReference secretsManager) {
    this.secretsManager = secretsManager;
  }

  public SecretKeyReference getSecretKeyRef() {
    return secretKeyRef;
  }

  public void setSecretKeyRef(SecretKeyReference secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }

  public SecretsManagerReference getSecretsManager() {
    return secretsManager;
  }

  public void setSecretsManager(SecretsManagerReference secretsManager) {
    this.secretsManager = secretsManager;
  }
}

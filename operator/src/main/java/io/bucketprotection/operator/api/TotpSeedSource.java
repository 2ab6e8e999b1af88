package io.bucketprotection.operator.api;

import io.fabric8.generator.annotation.ValidationRule;

/** Where the Base32 TOTP seed of the MFA device is kept: exactly one of the two. */
@ValidationRule(value = "has(self.secretKeyRef) != has(self.secretsManager)",
    message = "totpSeed needs exactly one of secretKeyRef or secretsManager")
public class TotpSeedSource extends UnknownFields {

  /** A key of a Kubernetes Secret in the resource's namespace. */
  private SecretKeyReference secretKeyRef;

  /** A secret in AWS Secrets Manager: a plain Base32 string, or JSON with the seed in field {@code key}. */
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

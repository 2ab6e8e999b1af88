package io.bucketprotection.operator.api;

/** Where the Base32 TOTP seed of the MFA device is kept. */
public class TotpSeedSource {

  private SecretKeyReference secretKeyRef;

  public TotpSeedSource() {
  }

  public TotpSeedSource(SecretKeyReference secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }

  public SecretKeyReference getSecretKeyRef() {
    return secretKeyRef;
  }

  public void setSecretKeyRef(SecretKeyReference secretKeyRef) {
    this.secretKeyRef = secretKeyRef;
  }
}

package io.bucketprotection.operator.api;

/** Where the S3 access keys come from; absent means the operator's default AWS credentials. */
public class CredentialsSource {

  /** A Secret in the resource's namespace with keys AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  private SecretReference secretRef;

  public CredentialsSource() {
  }

  public CredentialsSource(SecretReference secretRef) {
    this.secretRef = secretRef;
  }

  public SecretReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretReference secretRef) {
    this.secretRef = secretRef;
  }
}

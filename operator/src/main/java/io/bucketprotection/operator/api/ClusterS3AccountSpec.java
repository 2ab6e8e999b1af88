package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** An admin's account, usable by the namespaces it admits. */
@ValidationRule(value = "!has(self.mfa) || !has(self.mfaDevices)",
    message = "spec.mfa and spec.mfaDevices both name MFA devices: keep one (spec.mfa is the one-device form)")
public class ClusterS3AccountSpec extends AccountSpec {

  @JsonPropertyDescription("The namespaces whose BucketProtections may use this account: those named and those"
      + " the selector matches. Left out: none may (NamespaceNotAllowed).")
  private AccountNamespaces namespaces;

  public AccountNamespaces getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(AccountNamespaces namespaces) {
    this.namespaces = namespaces;
  }
}

package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
/** An admin's account, usable by the namespaces it admits. */
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

package io.bucketprotection.operator.api;

/** An admin's account, usable by the namespaces it admits. */
public class ClusterS3AccountSpec extends AccountSpec {

  /** The namespaces that may use this account; left out, none may. */
  private AccountNamespaces namespaces;

  public AccountNamespaces getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(AccountNamespaces namespaces) {
    this.namespaces = namespaces;
  }
}

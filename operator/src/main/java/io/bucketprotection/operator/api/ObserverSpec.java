package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The identity that signs everything that is not a coded write: reads, listings, versioning
 * changes that need no code. Exactly one kind; a tenant's S3Account may only name a Secret.
 */
@ValidationRule(value = "(has(self.operatorIdentity) ? 1 : 0) + (has(self.assumeRole) ? 1 : 0)"
    + " + (has(self.secretRef) ? 1 : 0) == 1",
    message = "observer needs exactly one of operatorIdentity, assumeRole or secretRef")
public class ObserverSpec extends UnknownFields {

  @JsonPropertyDescription("The operator's own default AWS credentials (IRSA, EKS Pod Identity): write"
      + " operatorIdentity: {}. ClusterS3Account only.")
  @SchemaFrom(type = OperatorIdentity.Schema.class)
  private OperatorIdentity operatorIdentity;

  @JsonPropertyDescription("A role of the account that the operator assumes with its own identity (sts:AssumeRole;"
      + " sessions are cached and renewed before they expire, named bucket-protection-operator). ClusterS3Account"
      + " only.")
  private AssumeRoleSpec assumeRole;

  @JsonPropertyDescription("A Secret with an ordinary (non-root) identity's access keys: for an S3Account in its own"
      + " namespace, for a ClusterS3Account in the operator's cluster resource namespace. It must carry the label"
      + " bucketprotection.io/secret.")
  private ObserverSecretReference secretRef;

  public OperatorIdentity getOperatorIdentity() {
    return operatorIdentity;
  }

  public void setOperatorIdentity(OperatorIdentity operatorIdentity) {
    this.operatorIdentity = operatorIdentity;
  }

  public AssumeRoleSpec getAssumeRole() {
    return assumeRole;
  }

  public void setAssumeRole(AssumeRoleSpec assumeRole) {
    this.assumeRole = assumeRole;
  }

  public ObserverSecretReference getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(ObserverSecretReference secretRef) {
    this.secretRef = secretRef;
  }
}

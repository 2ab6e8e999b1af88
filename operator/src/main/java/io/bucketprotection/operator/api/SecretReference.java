package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;

/**
 * A Kubernetes Secret, in the namespace of the BucketProtection or S3Account that names it (for a
 * ClusterS3Account, the operator's cluster resource namespace).
 */
public class SecretReference extends UnknownFields {

  @JsonPropertyDescription("Name of the Secret. It must carry the label bucketprotection.io/secret (any value),"
      + " else SecretNotLabelled.")
  @Required
  @Size(max = Limits.NAME)
  private String name;

  public SecretReference() {
  }

  public SecretReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}

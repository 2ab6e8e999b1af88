package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;

/**
 * One key of a Kubernetes Secret, in the namespace of the BucketProtection or S3Account that names
 * it (for a ClusterS3Account, the operator's cluster resource namespace).
 */
public class SecretKeyReference extends UnknownFields {

  @JsonPropertyDescription("Name of the Secret. It must carry the label bucketprotection.io/secret (any value),"
      + " else SecretNotLabelled.")
  @Required
  @Size(max = Limits.NAME)
  private String name;

  @JsonPropertyDescription("The key of the Secret's data that holds the Base32 seed.")
  @Required
  @Size(max = Limits.NAME)
  private String key;

  public SecretKeyReference() {
  }

  public SecretKeyReference(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}

package io.bucketprotection.operator.api;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;

/** A Secret in the same namespace as the BucketProtection. */
public class SecretReference extends UnknownFields {

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

package io.bucketprotection.operator.api;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;

/** One key of a Secret in the same namespace as the BucketProtection. */
public class SecretKeyReference extends UnknownFields {

  @Required
  @Size(max = Limits.NAME)
  private String name;

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

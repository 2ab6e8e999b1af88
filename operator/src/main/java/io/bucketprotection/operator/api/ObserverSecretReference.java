package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A Secret holding an observer's access keys, with the keys' names. */
public class ObserverSecretReference extends UnknownFields {

  @JsonPropertyDescription("Name of the Secret. It must carry the label bucketprotection.io/secret, else"
      + " SecretNotLabelled.")
  @Required
  @Size(max = Limits.NAME)
  private String name;

  @JsonPropertyDescription("The Secret's key holding the access key id. Default AWS_ACCESS_KEY_ID.")
  @Size(max = Limits.NAME)
  private String accessKeyIdKey;

  @JsonPropertyDescription("The Secret's key holding the secret access key. Default AWS_SECRET_ACCESS_KEY.")
  @Size(max = Limits.NAME)
  private String secretAccessKeyKey;

  public ObserverSecretReference() {
  }

  public ObserverSecretReference(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getAccessKeyIdKey() {
    return accessKeyIdKey;
  }

  public void setAccessKeyIdKey(String accessKeyIdKey) {
    this.accessKeyIdKey = accessKeyIdKey;
  }

  public String getSecretAccessKeyKey() {
    return secretAccessKeyKey;
  }

  public void setSecretAccessKeyKey(String secretAccessKeyKey) {
    this.secretAccessKeyKey = secretAccessKeyKey;
  }
}

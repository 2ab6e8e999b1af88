package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Required;

/**
 * A secret in AWS Secrets Manager (stage AWSCURRENT), read with the operator's own AWS identity.
 */
public class SecretsManagerReference extends UnknownFields {

  @JsonPropertyDescription("Name or ARN of the secret (its AWSCURRENT version is read).")
  @Required
  @Size(max = Limits.SECRET_ID)
  private String secretId;

  @JsonPropertyDescription("For a JSON secret string: the field that holds the value. Left out: the whole string"
      + " is the value. Not used for access keys, which are always the fields AWS_ACCESS_KEY_ID and"
      + " AWS_SECRET_ACCESS_KEY.")
  @Size(max = Limits.JSON_KEY)
  private String key;

  @JsonPropertyDescription("AWS region of the secret, such as us-east-1. Left out: the region in its ARN, else the"
      + " operator's default region.")
  @Size(max = Limits.REGION)
  private String region;

  public SecretsManagerReference() {
  }

  public SecretsManagerReference(String secretId, String key, String region) {
    this.secretId = secretId;
    this.key = key;
    this.region = region;
  }

  public String getSecretId() {
    return secretId;
  }

  public void setSecretId(String secretId) {
    this.secretId = secretId;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }
}

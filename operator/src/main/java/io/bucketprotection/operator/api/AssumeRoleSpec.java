package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An observer role the operator assumes with its own identity. */
public class AssumeRoleSpec extends UnknownFields {

  /** arn:PARTITION:iam::ACCOUNT:role/PATH/NAME; RadosGW leaves the account empty. */
  public static final String ROLE_ARN_PATTERN = "^arn:aws[a-z-]*:iam::[0-9]{0,12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$";

  @JsonPropertyDescription("The role's ARN, arn:aws:iam::<account>:role/<name>. Its trust policy must allow the"
      + " operator's identity sts:AssumeRole (deploy/aws/observer-trust-policy.json).")
  @Required
  @Pattern(ROLE_ARN_PATTERN)
  @Size(max = Limits.ROLE_ARN)
  private String roleArn;

  @JsonPropertyDescription("The sts:ExternalId the role's trust policy asks for, if any (2 to 1224 characters).")
  @Pattern("^[A-Za-z0-9+=,.@:/_-]{2,1224}$")
  @Size(max = Limits.EXTERNAL_ID)
  private String externalId;

  public AssumeRoleSpec() {
  }

  public AssumeRoleSpec(String roleArn, String externalId) {
    this.roleArn = roleArn;
    this.externalId = externalId;
  }

  public String getRoleArn() {
    return roleArn;
  }

  public void setRoleArn(String roleArn) {
    this.roleArn = roleArn;
  }

  public String getExternalId() {
    return externalId;
  }

  public void setExternalId(String externalId) {
    this.externalId = externalId;
  }
}

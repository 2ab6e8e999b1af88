package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;

/**
 * The account a BucketProtection uses: a {@code ClusterS3Account} (an admin's, cluster-wide) or an
 * {@code S3Account} in the resource's own namespace. There is no namespace field: a resource can
 * never name another namespace's S3Account.
 */
public class AccountReference extends UnknownFields {

  @JsonPropertyDescription("ClusterS3Account (cluster-scoped, an admin's) or S3Account (of this namespace).")
  @Required
  @SchemaFrom(type = Kind.class)
  @Size(max = Limits.ENUM)
  private String kind;

  @JsonPropertyDescription("Name of the account; an S3Account is always looked up in this resource's namespace.")
  @Required
  @Size(max = Limits.NAME)
  private String name;

  public AccountReference() {
  }

  public AccountReference(String kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  /** Schema-only enum for {@code kind}. */
  public enum Kind { ClusterS3Account, S3Account }
}

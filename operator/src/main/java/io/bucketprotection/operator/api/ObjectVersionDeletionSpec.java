package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which versions of which bucket to delete, through which account, and why. Immutable once created. */
@ValidationRule(value = "self == oldSelf", message = "spec is immutable: create another ObjectVersionDeletion")
@ValidationRule(value = "has(self.versions) != has(self.manifest)",
    message = "give exactly one of spec.versions and spec.manifest")
public class ObjectVersionDeletionSpec extends UnknownFields {

  @JsonPropertyDescription("The account whose root keys and MFA devices delete the versions: a ClusterS3Account"
      + " that admits this namespace, or an S3Account of this namespace. Its spec.versionDeletion must be Allow,"
      + " and it must carry this request's approval annotation.")
  @Required
  private AccountReference accountRef;

  @JsonPropertyDescription("The bucket whose versions are deleted; one of the account's spec.buckets globs must match"
      + " it.")
  @Required
  @Size(min = 3, max = Limits.BUCKET)
  private String bucket;

  @JsonPropertyDescription("The versions to delete (1 to 1,000), each a key and a version id. Exactly one of"
      + " versions and manifest.")
  @Size(min = 1, max = Limits.DELETION_VERSIONS)
  private List<VersionReference> versions;

  @JsonPropertyDescription("A CSV object listing the versions (the S3 Batch Operations format: bucket,key,versionId"
      + " per line, keys URL-encoded, bucket equal to spec.bucket; up to 1,000,000 lines). Exactly one of versions and"
      + " manifest.")
  private ManifestReference manifest;

  @JsonPropertyDescription("Why these versions go (a ticket, an erasure request): recorded in every audit line.")
  @Required
  @Size(min = 1, max = Limits.REASON)
  private String reason;

  public AccountReference getAccountRef() {
    return accountRef;
  }

  public void setAccountRef(AccountReference accountRef) {
    this.accountRef = accountRef;
  }

  public String getBucket() {
    return bucket;
  }

  public void setBucket(String bucket) {
    this.bucket = bucket;
  }

  public List<VersionReference> getVersions() {
    return versions;
  }

  public void setVersions(List<VersionReference> versions) {
    this.versions = versions;
  }

  public ManifestReference getManifest() {
    return manifest;
  }

  public void setManifest(ManifestReference manifest) {
    this.manifest = manifest;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  /** One listed version. */
  @ValidationRule(value = "self.versionId != 'null'",
      message = "versionId null names the unversioned copy, which could be a newer object by the time the batch runs")
  public static class VersionReference extends UnknownFields {
    @JsonPropertyDescription("The object's key, as stored (not URL-encoded).")
    @Required
    @Size(min = 1, max = Limits.OBJECT_KEY)
    private String key;

    @JsonPropertyDescription("The version to delete permanently. Required: the unversioned copy (null) could be a"
        + " newer object by the time the request runs.")
    @Required
    @Size(min = 1, max = Limits.VERSION_ID)
    private String versionId;

    public VersionReference() {
    }

    public VersionReference(String key, String versionId) {
      this.key = key;
      this.versionId = versionId;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getVersionId() {
      return versionId;
    }

    public void setVersionId(String versionId) {
      this.versionId = versionId;
    }
  }

  /** Where the CSV manifest is. */
  @ValidationRule(value = "self.key.startsWith('bucketprotection-manifests/')",
      message = "manifest.key must start with bucketprotection-manifests/ (the observer may read that prefix only)")
  public static class ManifestReference extends UnknownFields {
    @JsonPropertyDescription("The manifest's bucket; the account's spec.buckets globs must match it too. It is read with"
        + " the account's observer identity.")
    @Required
    @Size(min = 3, max = Limits.BUCKET)
    private String bucket;

    @JsonPropertyDescription("The manifest's key; it must start with bucketprotection-manifests/ (the observer may read"
        + " that prefix only).")
    @Required
    @Size(min = 1, max = Limits.OBJECT_KEY)
    private String key;

    public ManifestReference() {
    }

    public ManifestReference(String bucket, String key) {
      this.bucket = bucket;
      this.key = key;
    }

    public String getBucket() {
      return bucket;
    }

    public void setBucket(String bucket) {
      this.bucket = bucket;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }
  }
}

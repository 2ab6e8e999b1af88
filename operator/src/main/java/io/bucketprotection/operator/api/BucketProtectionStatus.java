package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator last saw and did. Deliberately no "last checked" time: a quiet check must
 * cost no Kubernetes write.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class BucketProtectionStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status was computed for.")
  private Long observedGeneration;
  @JsonPropertyDescription("The latest generation whose spec the bucket was seen to match. A later difference for"
      + " the same generation is drift (put back in Enforce mode); a difference before it ever matched is work to do.")
  private Long syncedGeneration;
  @JsonPropertyDescription("The bucket's versioning as last observed: Enabled, Suspended or Unversioned.")
  @Size(max = Limits.ENUM)
  private String versioning;
  @JsonPropertyDescription("The bucket's MFA Delete as last observed: Enabled or Disabled.")
  @Size(max = Limits.ENUM)
  private String mfaDelete;
  @JsonPropertyDescription("When the operator last changed the bucket (RFC 3339).")
  @Size(max = Limits.TIMESTAMP)
  private String lastChangeTime;
  @JsonPropertyDescription("How many times the operator put drift back (Enforce mode).")
  private long driftCorrections;
  @JsonPropertyDescription("The evidence that this resource can read its bucket: its last read of the bucket, bound as"
      + " it is now, succeeded. Only a resource with this evidence counts when several name one bucket.")
  private BucketRead bucketRead;
  @JsonPropertyDescription("While a change waits for a code a person types (an MFA device whose seed nobody"
      + " stores): the change's id. A code annotated as <code>@<this id> (bucketprotection.io/mfa-code) signs this"
      + " change only; a changed spec or bucket is another change, with another id. Absent otherwise.")
  @Size(max = Limits.ENUM)
  private String mfaChangeId;
  @JsonPropertyDescription("The Ready condition. True: the bucket matches the spec (InSync, or Applied just after a"
      + " change). False: a problem whose reason and message say what to fix. Unknown: waiting (WaitingForMfaWindow)"
      + " or an internal error (ReconcileError).")
  @Size(max = Limits.CONDITIONS)
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Long getSyncedGeneration() {
    return syncedGeneration;
  }

  public void setSyncedGeneration(Long syncedGeneration) {
    this.syncedGeneration = syncedGeneration;
  }

  public String getVersioning() {
    return versioning;
  }

  public void setVersioning(String versioning) {
    this.versioning = versioning;
  }

  public String getMfaDelete() {
    return mfaDelete;
  }

  public void setMfaDelete(String mfaDelete) {
    this.mfaDelete = mfaDelete;
  }

  public String getLastChangeTime() {
    return lastChangeTime;
  }

  public void setLastChangeTime(String lastChangeTime) {
    this.lastChangeTime = lastChangeTime;
  }

  public long getDriftCorrections() {
    return driftCorrections;
  }

  public void setDriftCorrections(long driftCorrections) {
    this.driftCorrections = driftCorrections;
  }

  public BucketRead getBucketRead() {
    return bucketRead;
  }

  public void setBucketRead(BucketRead bucketRead) {
    this.bucketRead = bucketRead;
  }

  public String getMfaChangeId() {
    return mfaChangeId;
  }

  public void setMfaChangeId(String mfaChangeId) {
    this.mfaChangeId = mfaChangeId;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BucketProtectionStatus that)) {
      return false;
    }
    return driftCorrections == that.driftCorrections
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(syncedGeneration, that.syncedGeneration)
        && Objects.equals(versioning, that.versioning)
        && Objects.equals(mfaDelete, that.mfaDelete)
        && Objects.equals(lastChangeTime, that.lastChangeTime)
        && Objects.equals(bucketRead, that.bucketRead)
        && Objects.equals(mfaChangeId, that.mfaChangeId)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, syncedGeneration, versioning, mfaDelete, lastChangeTime, driftCorrections,
        bucketRead, mfaChangeId, conditions);
  }
}

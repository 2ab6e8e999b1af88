package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a version deletion stands: conditions as a Job has them (Complete, Failed) beside Ready,
 * the counts, the pinned manifest, and what a restart needs to resume without skipping or
 * repeating a batch unannounced.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectVersionDeletionStatus {

  @JsonPropertyDescription("The metadata.generation this status was computed for (always 1: the spec is immutable).")
  private Long observedGeneration;
  @JsonPropertyDescription("How many versions the request lists (the manifest's lines, once pinned).")
  private Long listed;
  @JsonPropertyDescription("How many listed versions S3 reported deleted, delete markers not included.")
  private Long deleted;
  @JsonPropertyDescription("How many listed delete markers S3 reported removed (each brings its object back).")
  private Long deleteMarkersRemoved;
  @JsonPropertyDescription("How many listed versions could not be deleted after the retries (status.failures lists up"
      + " to 20).")
  private Long failed;
  @JsonPropertyDescription("How many batches of at most 1,000 versions were sent and answered.")
  private Long batchesDone;
  @JsonPropertyDescription("Up to 20 versions that could not be deleted, each with S3's error code.")
  @Size(max = Limits.FAILURES_LISTED)
  private List<VersionFailure> failures;
  @JsonPropertyDescription("The manifest as it was read before approval was asked for: a changed object stops the"
      + " deletion (ManifestChanged).")
  private PinnedManifest manifest;
  @JsonPropertyDescription("Versions of the last batch that failed with a passing error, sent again (at most 3 times)"
      + " before the next batch.")
  @Size(max = Limits.DELETION_VERSIONS)
  private List<VersionFailure> retrying;
  @JsonPropertyDescription("The batch being sent: set before its DeleteObjects goes, cleared with its result. Found set"
      + " after a restart, the batch is sent again and audited with retry: true.")
  private Long sending;
  @JsonPropertyDescription("While a batch waits for a code a person types: the batch's change id. Only a code annotated"
      + " as <code>@<this id> signs it; a bare code never signs a deletion.")
  @Size(max = Limits.ENUM)
  private String mfaChangeId;
  @JsonPropertyDescription("When the request finished (RFC 3339).")
  @Size(max = Limits.TIMESTAMP)
  private String completionTime;
  @JsonPropertyDescription("Ready (its reason says where the request stands), Reconciling, Stalled, and, once"
      + " finished, Complete or Failed as a Job has them.")
  @Size(max = Limits.CONDITIONS)
  private List<Condition> conditions = new ArrayList<>();

  /** A version that was not deleted, and why. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class VersionFailure {
    @JsonPropertyDescription("The object's key.")
    @Size(max = Limits.OBJECT_KEY)
    private String key;
    @JsonPropertyDescription("The version id.")
    @Size(max = Limits.VERSION_ID)
    private String versionId;
    @JsonPropertyDescription("S3's error code (AccessDenied, InternalError, ...).")
    @Size(max = Limits.CONDITION_REASON)
    private String code;
    @JsonPropertyDescription("How many times it was sent.")
    private Integer attempts;

    public VersionFailure() {
    }

    public VersionFailure(String key, String versionId, String code, Integer attempts) {
      this.key = key;
      this.versionId = versionId;
      this.code = code;
      this.attempts = attempts;
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

    public String getCode() {
      return code;
    }

    public void setCode(String code) {
      this.code = code;
    }

    public Integer getAttempts() {
      return attempts;
    }

    public void setAttempts(Integer attempts) {
      this.attempts = attempts;
    }
  }

  /** The manifest object as first read. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class PinnedManifest {
    @JsonPropertyDescription("Its ETag when read.")
    @Size(max = Limits.NAME)
    private String etag;
    @JsonPropertyDescription("Its version id when read (absent when its bucket is not versioned).")
    @Size(max = Limits.VERSION_ID)
    private String versionId;
    @JsonPropertyDescription("Its lines (versions).")
    private Long lines;
    @JsonPropertyDescription("Where the next batch's lines start in the object (a byte offset), so a batch reads"
        + " only its own lines.")
    private Long nextByte;

    public String getEtag() {
      return etag;
    }

    public void setEtag(String etag) {
      this.etag = etag;
    }

    public String getVersionId() {
      return versionId;
    }

    public void setVersionId(String versionId) {
      this.versionId = versionId;
    }

    public Long getLines() {
      return lines;
    }

    public void setLines(Long lines) {
      this.lines = lines;
    }

    public Long getNextByte() {
      return nextByte;
    }

    public void setNextByte(Long nextByte) {
      this.nextByte = nextByte;
    }
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Long getListed() {
    return listed;
  }

  public void setListed(Long listed) {
    this.listed = listed;
  }

  public Long getDeleted() {
    return deleted;
  }

  public void setDeleted(Long deleted) {
    this.deleted = deleted;
  }

  public Long getDeleteMarkersRemoved() {
    return deleteMarkersRemoved;
  }

  public void setDeleteMarkersRemoved(Long deleteMarkersRemoved) {
    this.deleteMarkersRemoved = deleteMarkersRemoved;
  }

  public Long getFailed() {
    return failed;
  }

  public void setFailed(Long failed) {
    this.failed = failed;
  }

  public Long getBatchesDone() {
    return batchesDone;
  }

  public void setBatchesDone(Long batchesDone) {
    this.batchesDone = batchesDone;
  }

  public List<VersionFailure> getFailures() {
    return failures;
  }

  public void setFailures(List<VersionFailure> failures) {
    this.failures = failures;
  }

  public PinnedManifest getManifest() {
    return manifest;
  }

  public void setManifest(PinnedManifest manifest) {
    this.manifest = manifest;
  }

  public List<VersionFailure> getRetrying() {
    return retrying;
  }

  public void setRetrying(List<VersionFailure> retrying) {
    this.retrying = retrying;
  }

  public Long getSending() {
    return sending;
  }

  public void setSending(Long sending) {
    this.sending = sending;
  }

  public String getMfaChangeId() {
    return mfaChangeId;
  }

  public void setMfaChangeId(String mfaChangeId) {
    this.mfaChangeId = mfaChangeId;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}

package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** What a policy's last scan found, and how its children are doing. Written only when it changes. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class BucketProtectionPolicyStatus {

  /** At most this many names in notReady and leftToOthers. */
  public static final int MAX_NAMED = 20;

  @JsonPropertyDescription("The metadata.generation of the spec this status was computed for.")
  private Long observedGeneration;
  @JsonPropertyDescription("Ready (True: the last scan succeeded and every child is Ready), and Reconciling and"
      + " Stalled (kstatus) while it is not.")
  @Size(max = Limits.CONDITIONS)
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Buckets the last scan found that the policy covers (each has a child, or is left to"
      + " another resource).")
  private Integer matched;
  @JsonPropertyDescription("Children whose Ready condition is True.")
  private Integer ready;
  @JsonPropertyDescription("Children by their Ready reason (Pending: no status yet).")
  @Size(max = 64)
  private Map<String, Integer> byReason = new TreeMap<>();
  @JsonPropertyDescription("Up to 20 children that are not Ready, by name.")
  @Size(max = MAX_NAMED)
  private List<String> notReady = new ArrayList<>();
  @JsonPropertyDescription("Up to 20 matching buckets left to a resource that is not this policy's child: \"bucket"
      + " (BucketProtection namespace/name)\".")
  @Size(max = MAX_NAMED)
  private List<String> leftToOthers = new ArrayList<>();
  @JsonPropertyDescription("When the last scan that changed this status ran (RFC 3339). A scan that finds nothing"
      + " new writes nothing, so this can be older than scanInterval.")
  @Size(max = Limits.TIMESTAMP)
  private String lastScanTime;
  @JsonPropertyDescription("The last scan's outcome: how many buckets were listed in how many pages, or why the"
      + " listing failed.")
  @Size(max = Limits.CONDITION_MESSAGE)
  private String lastScan;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public Integer getMatched() {
    return matched;
  }

  public void setMatched(Integer matched) {
    this.matched = matched;
  }

  public Integer getReady() {
    return ready;
  }

  public void setReady(Integer ready) {
    this.ready = ready;
  }

  public Map<String, Integer> getByReason() {
    return byReason;
  }

  public void setByReason(Map<String, Integer> byReason) {
    this.byReason = byReason == null ? new TreeMap<>() : new TreeMap<>(byReason);
  }

  public List<String> getNotReady() {
    return notReady;
  }

  public void setNotReady(List<String> notReady) {
    this.notReady = notReady == null ? new ArrayList<>() : notReady;
  }

  public List<String> getLeftToOthers() {
    return leftToOthers;
  }

  public void setLeftToOthers(List<String> leftToOthers) {
    this.leftToOthers = leftToOthers == null ? new ArrayList<>() : leftToOthers;
  }

  public String getLastScanTime() {
    return lastScanTime;
  }

  public void setLastScanTime(String lastScanTime) {
    this.lastScanTime = lastScanTime;
  }

  public String getLastScan() {
    return lastScan;
  }

  public void setLastScan(String lastScan) {
    this.lastScan = lastScan;
  }

  /** Equal apart from lastScanTime: a scan that finds nothing new writes nothing. */
  public boolean sameApartFromScanTime(BucketProtectionPolicyStatus that) {
    return that != null && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions) && Objects.equals(matched, that.matched)
        && Objects.equals(ready, that.ready) && Objects.equals(byReason, that.byReason)
        && Objects.equals(notReady, that.notReady) && Objects.equals(leftToOthers, that.leftToOthers)
        && Objects.equals(lastScan, that.lastScan);
  }
}

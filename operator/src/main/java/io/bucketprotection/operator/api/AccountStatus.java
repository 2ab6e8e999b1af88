package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator last found of an account: whether its secrets resolve (Ready). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class AccountStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status was computed for.")
  private Long observedGeneration;
  @JsonPropertyDescription("The Ready condition. True (SecretsResolved): the spec is valid and the secrets resolve"
      + " and are well-formed (checking spends no MFA code). False: the reason and message say what to fix."
      + " BucketProtections use the account only while Ready is True for its current generation (else"
      + " AccountNotReady, or AccountPending until the operator has checked it).")
  @Size(max = Limits.CONDITIONS)
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("For a device whose seed nobody stores (spec.mfa without totpSeed): how many changes wait"
      + " for a code annotated on this account (bucketprotection.io/mfa-code), which one is next, its change id, and"
      + " the command that signs it (<code>@<change id>). Absent when nothing waits.")
  @Size(max = Limits.CONDITION_MESSAGE)
  private String mfaCodes;

  @JsonPropertyDescription("For an S3Account naming an MFA device: the proof that its root keys belong to the"
      + " device's account (sts:GetCallerIdentity), made once per generation.")
  private DeviceProof deviceProof;

  @JsonPropertyDescription("Each MFA device of spec.mfa or spec.mfaDevices, in spec order: its state (Ready, Paused,"
      + " AwaitingCode), the first time step it may still use, and how many changes will take its codes.")
  @Size(max = Limits.MFA_DEVICES)
  private List<MfaDeviceStatus> mfaDevices;

  public List<MfaDeviceStatus> getMfaDevices() {
    return mfaDevices;
  }

  public void setMfaDevices(List<MfaDeviceStatus> mfaDevices) {
    this.mfaDevices = mfaDevices;
  }

  public DeviceProof getDeviceProof() {
    return deviceProof;
  }

  public void setDeviceProof(DeviceProof deviceProof) {
    this.deviceProof = deviceProof;
  }

  public String getMfaCodes() {
    return mfaCodes;
  }

  public void setMfaCodes(String mfaCodes) {
    this.mfaCodes = mfaCodes;
  }

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

  @Override
  public boolean equals(Object o) {
    return o instanceof AccountStatus that && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions) && Objects.equals(mfaCodes, that.mfaCodes)
        && Objects.equals(deviceProof, that.deviceProof) && Objects.equals(mfaDevices, that.mfaDevices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, mfaCodes, deviceProof, mfaDevices);
  }
}

package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * The proof that a tenant's account owns the MFA device it names: sts:GetCallerIdentity with its
 * root keys returned that device's account root. Made once per generation of the spec and kept in
 * the status, so a restart or a new leader does not ask again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public class DeviceProof {

  @JsonPropertyDescription("The device the proof is for.")
  @Size(max = Limits.SERIAL_NUMBER)
  private String serialNumber;

  @JsonPropertyDescription("The metadata.generation of the spec the proof was made for.")
  private Long generation;

  @JsonPropertyDescription("Owned: the root keys are the device's account root. NotOwned: they are not"
      + " (DeviceNotOwned). Unprovable: the endpoint has no sts:GetCallerIdentity (RadosGW 16); then only the"
      + " rule that a ClusterS3Account's claim beats any tenant's protects the device.")
  @Size(max = Limits.ENUM)
  private String outcome;

  public DeviceProof() {
  }

  public DeviceProof(String serialNumber, Long generation, String outcome) {
    this.serialNumber = serialNumber;
    this.generation = generation;
    this.outcome = outcome;
  }

  public String getSerialNumber() {
    return serialNumber;
  }

  public void setSerialNumber(String serialNumber) {
    this.serialNumber = serialNumber;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceProof that && Objects.equals(serialNumber, that.serialNumber)
        && Objects.equals(generation, that.generation) && Objects.equals(outcome, that.outcome);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serialNumber, generation, outcome);
  }
}

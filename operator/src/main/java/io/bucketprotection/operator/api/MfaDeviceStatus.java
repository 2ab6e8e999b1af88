package io.bucketprotection.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** What one MFA device of an account is doing, as this operator's code ledger sees it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class MfaDeviceStatus {

  @JsonPropertyDescription("The device, as spec.mfa or spec.mfaDevices names it.")
  @Size(max = Limits.SERIAL_NUMBER)
  private String serialNumber;

  @JsonPropertyDescription("Ready: it takes changes. Paused: the server refused its codes twice in a row; it takes"
      + " none until pausedUntil or until its seed changes, and the pool's other devices serve its changes."
      + " AwaitingCode: changes wait for a code a person types (a device without totpSeed).")
  @Size(max = Limits.ENUM)
  private String state;

  @JsonPropertyDescription("The first TOTP time step (Unix time / periodSeconds) the device may still use: every"
      + " step before it was used or skipped. Absent until this process has used the device.")
  private Long nextFreeStep;

  @JsonPropertyDescription("Changes of every namespace that will take this device's codes, as things stand.")
  private Integer waiting;

  @JsonPropertyDescription("When a Paused device takes changes again (RFC 3339).")
  @Size(max = Limits.DURATION)
  private String pausedUntil;

  public MfaDeviceStatus() {
  }

  public MfaDeviceStatus(String serialNumber, String state, Long nextFreeStep, Integer waiting, String pausedUntil) {
    this.serialNumber = serialNumber;
    this.state = state;
    this.nextFreeStep = nextFreeStep;
    this.waiting = waiting;
    this.pausedUntil = pausedUntil;
  }

  public String getSerialNumber() {
    return serialNumber;
  }

  public void setSerialNumber(String serialNumber) {
    this.serialNumber = serialNumber;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Long getNextFreeStep() {
    return nextFreeStep;
  }

  public void setNextFreeStep(Long nextFreeStep) {
    this.nextFreeStep = nextFreeStep;
  }

  public Integer getWaiting() {
    return waiting;
  }

  public void setWaiting(Integer waiting) {
    this.waiting = waiting;
  }

  public String getPausedUntil() {
    return pausedUntil;
  }

  public void setPausedUntil(String pausedUntil) {
    this.pausedUntil = pausedUntil;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MfaDeviceStatus that && Objects.equals(serialNumber, that.serialNumber)
        && Objects.equals(state, that.state) && Objects.equals(nextFreeStep, that.nextFreeStep)
        && Objects.equals(waiting, that.waiting) && Objects.equals(pausedUntil, that.pausedUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(serialNumber, state, nextFreeStep, waiting, pausedUntil);
  }
}

package io.bucketprotection.operator.api;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** The MFA device whose codes the operator generates. */
public class MfaSpec extends UnknownFields {

  /** Device ARN (virtual device) or hardware serial, as sent in the x-amz-mfa header. */
  @Required
  @Size(max = Limits.SERIAL_NUMBER)
  private String serialNumber;

  @Required
  private TotpSeedSource totpSeed;

  /** RFC 6238 time step of the device; 30 on AWS. */
  @Min(1)
  @Max(300)
  private Integer periodSeconds;

  /**
   * Future time steps the server accepts and the operator may use, 0 to 2 (default 0: only the
   * current step). RGW accepts 2; AWS's window is not documented. Name the same value on every
   * resource that uses this device.
   */
  @Min(0)
  @Max(2)
  private Integer lookAheadSteps;

  public MfaSpec() {
  }

  public MfaSpec(String serialNumber, TotpSeedSource totpSeed, Integer periodSeconds) {
    this.serialNumber = serialNumber;
    this.totpSeed = totpSeed;
    this.periodSeconds = periodSeconds;
  }

  public String getSerialNumber() {
    return serialNumber;
  }

  public void setSerialNumber(String serialNumber) {
    this.serialNumber = serialNumber;
  }

  public TotpSeedSource getTotpSeed() {
    return totpSeed;
  }

  public void setTotpSeed(TotpSeedSource totpSeed) {
    this.totpSeed = totpSeed;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public Integer getLookAheadSteps() {
    return lookAheadSteps;
  }

  public void setLookAheadSteps(Integer lookAheadSteps) {
    this.lookAheadSteps = lookAheadSteps;
  }
}
